//! Did-you-mean: the known name nearest to a mistyped one, for every error and finding that
//! names something unknown (a preset, a variant, a profile key, a lint code, …).

/// The candidate nearest to `typed`, within `max` edits (ties go to the first in sort order).
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Option<&'a str> {
    candidates.into_iter().map(|c| (edit_distance(typed, c), c)).filter(|(d, _)| *d <= max).min().map(|(_, c)| c)
}

/// Edit distance as cargo and rustc count it (restricted Damerau-Levenshtein): single-character
/// insertions, deletions and substitutions, and two neighbours swapped, each one edit, so that
/// `dpe` is nearer `dep` than `app`.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Three rows of the table: two back (for a swap), the last, and the one being filled.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let substitution = last[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            row[j] = substitution.min(last[j] + 1).min(row[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut last, row);
    }
    last[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("opt-levle", "opt-level"), 1);
        assert_eq!(edit_distance("fast-dve", "fast-dev"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
    }

    #[test]
    fn the_nearest_within_the_limit_and_ties_in_sort_order() {
        assert_eq!(closest("fast-dve", ["fast-dev", "release"], 3), Some("fast-dev"));
        assert_eq!(closest("xyz", ["fast-dev", "release"], 2), None);
        assert_eq!(closest("ab", ["bb", "aa"], 1), Some("aa"));
        // A swap is one edit, so the swapped name wins over a tie of substitutions.
        assert_eq!(closest("dpe", ["app", "dep"], 2), Some("dep"));
    }
}
