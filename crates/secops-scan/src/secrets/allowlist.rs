//! The global allowlist: values that look like a credential's shape but are not credentials
//! (placeholders, template references, environment lookups, published example keys, runs of
//! one character).

use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// Substrings (case-insensitive) that mark a value as a placeholder or a published example.
const STOPWORDS: &[&str] = &[
    "example",
    "placeholder",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "yourpassword",
    "changeme",
    "change_me",
    "change-me",
    "dummy",
    "redacted",
    "xxxx",
    "****",
    "....",
    "____",
    "----",
    "####",
    "0000000000",
    "1234567890",
    "abcdefgh",
    "insert_",
    "insert-",
    "replace_me",
    "replace-me",
    "replaceme",
    "fake_",
    "notreal",
    "not_real",
    "not-a-real",
    "secret_here",
    "token_here",
    "key_here",
    "os.environ",
    "os.getenv",
    "process.env",
    "getenv(",
    "system.getenv",
    "env::var",
    "environ.get",
    "config.get",
    "settings.",
    "secrets.",
    "vault:",
    "lookup(",
    "keyvault(",
    "&lt;",
    "&gt;",
];

/// Prefixes of credentials that are public by design (publishable / browser keys).
const PUBLIC_PREFIXES: &[&[u8]] = &[b"pk_live_", b"pk_test_", b"pk.eyJ", b"pk.ey"];

fn stopwords() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(STOPWORDS)
            .expect("static stopword list builds")
    })
}

/// Whether a candidate secret value is a placeholder, reference or example.
pub fn is_placeholder(secret: &[u8]) -> bool {
    if secret.is_empty() {
        return true;
    }
    // Template and variable references: ${VAR}, {{ x }}, <token>, %(x)s, #{x}, $(cmd), $VAR
    if contains(secret, b"${")
        || contains(secret, b"{{")
        || contains(secret, b"}}")
        || contains(secret, b"%(")
        || contains(secret, b"#{")
        || contains(secret, b"$(")
        || (secret.first() == Some(&b'<') && secret.last() == Some(&b'>'))
        || (secret.first() == Some(&b'$')
            && secret
                .get(1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
            && !is_crypt_hash(secret))
        || (secret.first() == Some(&b'%') && secret.last() == Some(&b'%'))
    {
        return true;
    }
    if secret.contains(&b'<') && secret.contains(&b'>') {
        return true;
    }
    if stopwords().is_match(secret) {
        return true;
    }
    if PUBLIC_PREFIXES.iter().any(|p| secret.starts_with(p)) {
        return true;
    }
    dominated_by_one_char(secret)
}

/// Obvious filler in a long value: long runs (`xxxxxxxx`), template markers, one dominant
/// character. Unlike [`is_placeholder`] it does not use short stopwords, which long random
/// bodies (PEM keys) contain by chance.
pub fn is_filler(s: &[u8]) -> bool {
    let lower = s.to_ascii_lowercase();
    [
        "xxxxxxxx",
        "<",
        "${",
        "{{",
        "example",
        "redacted",
        "placeholder",
    ]
    .iter()
    .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
        || dominated_by_one_char(s)
}

/// `$id$salt$hash` password hashes (`$apr1$`, `$2y$`, `$6$`) are not `$VAR` references.
fn is_crypt_hash(s: &[u8]) -> bool {
    let rest = &s[1..];
    match memchr::memchr(b'$', rest) {
        Some(i) => (1..=6).contains(&i) && rest[..i].iter().all(|c| c.is_ascii_alphanumeric()),
        None => false,
    }
}

/// A value where one byte makes up most of it (`xxxxxxxx`, `ghp_000000000…`).
fn dominated_by_one_char(s: &[u8]) -> bool {
    if s.len() < 6 {
        return false;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(0) as usize;
    max * 10 >= s.len() * 6
}

fn contains(h: &[u8], n: &[u8]) -> bool {
    memchr::memmem::find(h, n).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "${GITHUB_TOKEN}",
            "{{ secrets.NPM_TOKEN }}",
            "<your-token>",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "ghp_000000000000000000000000000000000000",
            "changeme",
            "$DB_PASSWORD",
            "%DB_PASSWORD%",
            "os.environ['X']",
            "process.env.STRIPE",
            "********",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
    }

    #[test]
    fn real_looking_values_pass() {
        // Built at run time so that this file holds no credential-shaped literal.
        let gh = format!("{}_{}", "ghp", "9fK2xQ7pL0vZ3mN8aB4cD6eF1gH5iJ7kL9mN");
        let sk = format!("{}_{}", "sk_live", "51H8fKq2eZvKYlo2C0qT7wRm3XsLpZ9vNe");
        for p in [
            gh.as_str(),
            "Tr0ub4dor&3x!Qz",
            sk.as_str(),
            "$apr1$r31Xq7Zb$HqJZimcKQFAMYayBlzkrA/",
        ] {
            assert!(!is_placeholder(p.as_bytes()), "{p}");
        }
    }
}
