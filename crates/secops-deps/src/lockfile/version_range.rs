//! Interval version requirements shared by Maven and NuGet (`[1.0,2.0)`, `(,1.5]`, `[1.2]`).

/// What a version text pins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// One exact version (`1.2.3`, or the interval `[1.2.3]`).
    Exact(String),
    /// A range; the lower bound (empty when the range has none), which is what gets scanned.
    Range(String),
}

/// Read a version text. Interval notation gives [`Requirement::Range`] with its lower bound
/// (for several intervals, `[1,2),[3,)`, the first one's); `[x]` is exact; anything else is
/// taken as an exact version. An interval that does not close is still read up to its end.
pub fn requirement(text: &str) -> Requirement {
    let t = text.trim();
    if !t.starts_with(['[', '(']) {
        return Requirement::Exact(t.to_string());
    }
    let first = match t.find([']', ')']) {
        Some(end) => t.get(1..end).unwrap_or(""),
        None => t.get(1..).unwrap_or(""),
    };
    match first.split_once(',') {
        Some((lower, _)) => Requirement::Range(lower.trim().to_string()),
        None if t.starts_with('[')
            && t.get(first.len() + 1..).is_some_and(|r| r.starts_with(']')) =>
        {
            Requirement::Exact(first.trim().to_string())
        }
        None => Requirement::Range(first.trim().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        use Requirement::*;
        assert_eq!(requirement("1.2.3"), Exact("1.2.3".into()));
        assert_eq!(requirement("[1.2.3]"), Exact("1.2.3".into()));
        assert_eq!(requirement("[1.0,2.0)"), Range("1.0".into()));
        assert_eq!(requirement("(1.0, 2.0]"), Range("1.0".into()));
        assert_eq!(requirement("(,1.5]"), Range(String::new()));
        assert_eq!(requirement("[1,2),[3,)"), Range("1".into()));
        assert_eq!(requirement("[1.0,"), Range("1.0".into()));
        assert_eq!(requirement("(1.0)"), Range("1.0".into()));
        assert_eq!(requirement("["), Range(String::new()));
    }
}
