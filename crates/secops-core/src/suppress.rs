//! Inline suppression comments.
//!
//! A finding is suppressed when its line (or the line above, if that line holds only the
//! comment) carries one of:
//! - `secops:ignore` (every rule) or `secops:ignore[rule-id, other-id] reason`
//! - `gitleaks:allow`, `pragma: allowlist secret` (detect-secrets), `nosec`, `nosemgrep`

use memchr::memmem;

const MARKERS: &[&[u8]] = &[
    b"secops:ignore",
    b"gitleaks:allow",
    b"pragma: allowlist secret",
    b"pragma: allowlist nextline secret",
    b"nosec",
    b"nosemgrep",
];

/// Whether `line` carries a marker suppressing `rule_id`.
pub fn line_suppresses(line: &[u8], rule_id: &str) -> bool {
    if memchr::memchr3(b'i', b'a', b's', line).is_none() {
        return false;
    }
    let mut start = 0;
    while let Some(pos) = memmem::find(&line[start..], b"secops:ignore") {
        let at = start + pos + b"secops:ignore".len();
        match line.get(at) {
            Some(b'[') => {
                let rest = &line[at + 1..];
                if let Some(end) = memchr::memchr(b']', rest) {
                    let list = String::from_utf8_lossy(&rest[..end]);
                    if list
                        .split(',')
                        .map(str::trim)
                        .any(|id| id_matches(id, rule_id))
                    {
                        return true;
                    }
                }
            }
            _ => return true,
        }
        start = at;
    }
    MARKERS[1..].iter().any(|m| memmem::find(line, m).is_some())
}

fn id_matches(pattern: &str, rule_id: &str) -> bool {
    if pattern.is_empty() {
        return false;
    }
    if let Some(prefix) = pattern.strip_suffix('*') {
        return rule_id.starts_with(prefix);
    }
    if pattern == rule_id {
        return true;
    }
    // allow the id without its kind prefix: `aws-access-key-id` for `secret.aws-access-key-id`
    rule_id
        .split_once('.')
        .is_some_and(|(_, rest)| rest == pattern)
}

/// Whether a line is only a comment (so that its marker applies to the next line).
fn comment_only(line: &[u8]) -> bool {
    let t = trim_ascii(line);
    t.starts_with(b"#")
        || t.starts_with(b"//")
        || t.starts_with(b"/*")
        || t.starts_with(b"--")
        || t.starts_with(b";")
        || t.starts_with(b"<!--")
        || t.starts_with(b"*")
}

fn trim_ascii(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if first.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if last.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// Whether a finding on `line` is suppressed, looking at the line itself and the line before.
pub fn is_suppressed(line: &[u8], previous: Option<&[u8]>, rule_id: &str) -> bool {
    line_suppresses(line, rule_id)
        || previous.is_some_and(|p| comment_only(p) && line_suppresses(p, rule_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let id = "secret.aws-access-key-id";
        assert!(line_suppresses(b"key = 'x' # secops:ignore", id));
        assert!(line_suppresses(
            b"key = 'x' # secops:ignore[secret.aws-access-key-id] test key",
            id
        ));
        assert!(line_suppresses(b"k # secops:ignore[aws-access-key-id]", id));
        assert!(line_suppresses(b"k # secops:ignore[secret.aws-*]", id));
        assert!(!line_suppresses(
            b"k # secops:ignore[secret.github-pat]",
            id
        ));
        assert!(line_suppresses(b"k // gitleaks:allow", id));
        assert!(line_suppresses(b"k # pragma: allowlist secret", id));
        assert!(line_suppresses(b"k # nosec", id));
        assert!(!line_suppresses(b"key = 'value'", id));
    }

    #[test]
    fn previous_comment_line() {
        let id = "secret.x";
        assert!(is_suppressed(b"k = 1", Some(b"  # secops:ignore"), id));
        assert!(!is_suppressed(b"k = 1", Some(b"x = 2 # secops:ignore"), id));
        assert!(!is_suppressed(b"k = 1", None, id));
    }
}
