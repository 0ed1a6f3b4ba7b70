//! Did-you-mean: the known name nearest to a mistyped one, for every error and finding that
//! names something unknown (a preset, a variant, a profile key, a lint code, …).

/// The candidate nearest to `typed`, within `max` edits (ties go to the first in sort order).
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Option<&'a str> {
    candidates.into_iter().map(|c| (edit_distance(typed, c), c)).filter(|(d, _)| *d <= max).min().map(|(_, c)| c)
}

/// Levenshtein distance: single-character insertions, deletions and substitutions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("opt-levle", "opt-level"), 2);
        assert_eq!(edit_distance("fast-dve", "fast-dev"), 2);
        assert_eq!(edit_distance("abc", "abc"), 0);
    }

    #[test]
    fn the_nearest_within_the_limit_and_ties_in_sort_order() {
        assert_eq!(closest("fast-dve", ["fast-dev", "release"], 3), Some("fast-dev"));
        assert_eq!(closest("xyz", ["fast-dev", "release"], 2), None);
        assert_eq!(closest("ab", ["bb", "aa"], 1), Some("aa"));
    }
}
