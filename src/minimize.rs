//! Deletion-based shrinking: the one way every "minimal set" in flowproof is found
//! (conflicting assumptions, contradictory statements).

/// Drops elements one at a time, in order, whenever what is left still `keeps` the
/// property. Given a set that has it, the result has it and no single element can be
/// dropped from it without losing it.
pub fn shrink<T: Copy, E>(
    mut set: Vec<T>,
    mut keeps: impl FnMut(&[T]) -> Result<bool, E>,
) -> Result<Vec<T>, E> {
    let mut i = 0;
    while i < set.len() {
        let without: Vec<T> = set
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, x)| *x)
            .collect();
        if keeps(&without)? {
            set = without;
        } else {
            i += 1;
        }
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::shrink;

    #[test]
    fn keeps_only_what_the_property_needs() {
        // the property: the set contains both 2 and 5
        let needs = |s: &[u32]| Ok::<_, ()>(s.contains(&2) && s.contains(&5));
        assert_eq!(shrink(vec![1, 2, 3, 4, 5, 6], needs), Ok(vec![2, 5]));
        assert_eq!(shrink(vec![2, 5], needs), Ok(vec![2, 5]));
    }

    #[test]
    fn errors_stop_the_search() {
        assert_eq!(
            shrink(vec![1, 2], |_| Err::<bool, _>("gave up")),
            Err("gave up")
        );
    }
}
