//! Deletion-based shrinking: the one way every "minimal set" in flowproof is found
//! (conflicting assumptions, contradictory statements, the edits that flip a verdict,
//! the facts a scenario needs).

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

/// [`shrink`] for a property that need not be monotone (a subset of a set that has it
/// may lack it, and a subset of that may have it again): passes are repeated until one
/// drops nothing, so that, at the end, leaving out any single element loses the
/// property — checked, not assumed.
pub fn shrink_until_stable<T: Copy, E>(
    mut set: Vec<T>,
    mut keeps: impl FnMut(&[T]) -> Result<bool, E>,
) -> Result<Vec<T>, E> {
    loop {
        let before = set.len();
        set = shrink(set, &mut keeps)?;
        if set.len() == before {
            return Ok(set);
        }
    }
}

/// A subset of `set` that `keeps` the property and none of whose proper subsets does
/// (subset-minimal, for a property that need not be monotone), when the set left after
/// [`shrink_until_stable`] has at most `exhaustive` elements: then every proper subset
/// is tried, smallest first, and the search starts again from any that keeps it. The
/// flag says whether that check was made; when it was not, only single elements were
/// checked (none can be dropped alone).
pub fn shrink_to_subset_minimal<T: Copy, E>(
    set: Vec<T>,
    exhaustive: usize,
    mut keeps: impl FnMut(&[T]) -> Result<bool, E>,
) -> Result<(Vec<T>, bool), E> {
    let mut set = shrink_until_stable(set, &mut keeps)?;
    'search: loop {
        if set.len() > exhaustive {
            return Ok((set, false));
        }
        let n = set.len();
        // proper subsets by size, then by mask: the first that keeps it is as small as any
        let mut masks: Vec<u32> = (0..(1u32 << n) - 1).collect();
        masks.sort_by_key(|m| m.count_ones());
        for mask in masks {
            let subset: Vec<T> = (0..n)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| set[i])
                .collect();
            if keeps(&subset)? {
                set = shrink_until_stable(subset, &mut keeps)?;
                continue 'search;
            }
        }
        return Ok((set, true));
    }
}

#[cfg(test)]
mod tests {
    use super::{shrink, shrink_to_subset_minimal, shrink_until_stable};

    #[test]
    fn a_property_that_is_not_monotone_is_shrunk_until_stable() {
        // holds for {1,2,3}, {1,2} and {1} only: one pass keeps 1 ({2,3} lacks it) and
        // 2 ({1,3} lacks it, with 3 still there), then drops 3, leaving {1,2}, from
        // which 2 could be dropped; a second pass drops it
        let holds = |s: &[u32]| Ok::<_, ()>(matches!(s, [1, 2, 3] | [1, 2] | [1]));
        assert_eq!(shrink(vec![1, 2, 3], holds), Ok(vec![1, 2]));
        assert_eq!(shrink_until_stable(vec![1, 2, 3], holds), Ok(vec![1]));
    }

    #[test]
    fn a_smaller_subset_that_no_single_drop_reaches_is_found() {
        // holds for {1,2,3} and for {3} alone: dropping 1 or 2 alone loses it, so
        // deletion stops at {1,2,3}; trying every subset finds {3}
        let holds = |s: &[u32]| Ok::<_, ()>(matches!(s, [1, 2, 3] | [3]));
        assert_eq!(shrink_until_stable(vec![1, 2, 3], holds), Ok(vec![1, 2, 3]));
        assert_eq!(
            shrink_to_subset_minimal(vec![1, 2, 3], 12, holds),
            Ok((vec![3], true))
        );
        // the empty set counts too
        let always = |_: &[u32]| Ok::<_, ()>(true);
        assert_eq!(
            shrink_to_subset_minimal(vec![1, 2], 12, always),
            Ok((vec![], true))
        );
        // beyond the bound only single drops are checked, and it says so
        assert_eq!(
            shrink_to_subset_minimal(vec![1, 2, 3], 2, holds),
            Ok((vec![1, 2, 3], false))
        );
    }

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
