//! "Did you mean" suggestions for unknown names, shared by every stage that reports one.

/// The candidate closest to `name`, if any is close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let lower = name.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let score = if c.to_lowercase() == lower {
            1.0
        } else {
            strsim::normalized_damerau_levenshtein(&lower, &c.to_lowercase())
                .max(strsim::jaro_winkler(&lower, &c.to_lowercase()) - 0.15)
        };
        if score >= 0.7 && best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_owned())
}

pub fn did_you_mean(name: &str) -> String {
    format!("did you mean `{name}`?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested() {
        let names = ["SanFrancisco", "SantaClara", "ICE", "FBI"];
        assert_eq!(
            suggest("SanFransisco", names.into_iter()).as_deref(),
            Some("SanFrancisco")
        );
        assert_eq!(suggest("ice", names.into_iter()).as_deref(), Some("ICE"));
    }

    #[test]
    fn distant_names_are_not() {
        let names = ["SanFrancisco", "ICE"];
        assert_eq!(suggest("Washington", names.into_iter()), None);
    }
}
