//! Resource limits. A policy file may come from a stranger, so everything that grows
//! with the input has a ceiling, and reaching one is a coded error that names the
//! numbers and the flag that raises it, never a crash or a hang.
//!
//! | limit | default | flag | error code |
//! |---|---|---|---|
//! | size of one file | 64 MiB | `--max-file-size MB` | `flowproof::limit::file_size` |
//! | nesting of brackets and formulas | 256 | `--max-depth N` | `flowproof::limit::depth` |
//! | ground rule instances | 10,000,000 | `--max-ground N` | `flowproof::limit::ground` |
//! | ground params | 10,000,000 | `--max-ground-params N` | `flowproof::limit::ground_params` |
//! | solver memory | 4,096 MB | `--max-memory MB` | the claim is unknown, with the reason |
//! | solver time per question | 120 s | `--timeout S` | the claim is unknown, with the reason |

/// The limits of one run. [`Limits::default`] is what the command line uses unless a
/// flag raises a limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes in any one file (the file given and each import).
    pub max_file_bytes: u64,
    /// How deep brackets may nest, and how deep a formula may be: each `!`, binary
    /// operator and quantifier is one level.
    pub max_depth: u32,
    /// Ground instances of all rules, assumptions and claims together: a rule over
    /// variables of kinds with `n` and `m` agencies counts `n × m`, and so does every
    /// quantifier inside its formulas.
    pub max_ground: u64,
    /// Ground params: a param over kinds with `n` and `m` agencies counts `n × m`.
    pub max_ground_params: u64,
}

/// Depth beyond which `--max-depth` is refused: deeper trees could exhaust the stack
/// of the recursive passes even on the command line's large stack.
pub const DEPTH_CEILING: u32 = 100_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_depth: 256,
            max_ground: 10_000_000,
            max_ground_params: 10_000_000,
        }
    }
}

/// `n` with thousands separators, for the numbers in limit messages.
pub fn thousands(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size in bytes in the unit people read: bytes, KB or MB (powers of 1,024).
pub fn size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else if bytes >= KB {
        format!("{:.1} KB", bytes as f64 / KB as f64)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size(12), "12 bytes");
        assert_eq!(size(2048), "2.0 KB");
        assert_eq!(size(64 * 1024 * 1024), "64.0 MB");
    }
}
