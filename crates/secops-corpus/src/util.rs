//! Small helpers: the RNG type, alphabets, random strings, base64, CRC32, base62, name casing.

use rand::seq::SliceRandom;
use rand::Rng as _;

/// The one RNG the corpus uses: seeded, portable, reproducible.
pub(crate) type Rng = rand_chacha::ChaCha8Rng;

pub(crate) const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
pub(crate) const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
pub(crate) const DIGITS: &[u8] = b"0123456789";
pub(crate) const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub(crate) const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub(crate) const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
pub(crate) const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
pub(crate) const HEX: &[u8] = b"0123456789abcdef";
pub(crate) const HEX_UPPER: &[u8] = b"0123456789ABCDEF";
pub(crate) const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// `[A-Za-z0-9_-]`, the base64url alphabet.
pub(crate) const WORD_DASH: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
/// `[A-Za-z0-9+/]`, the standard base64 alphabet.
pub(crate) const B64_STD: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// Characters that appear in generated passwords besides letters and digits. Chosen so that the
/// values stay valid, unescaped, in every file syntax the corpus writes.
pub(crate) const PW_SPECIAL: &[u8] = b"!@%^*-_+=.?~";

/// A random string of `n` characters from `cs`.
pub(crate) fn rs(rng: &mut Rng, cs: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| char::from(cs[rng.gen_range(0..cs.len())]))
        .collect()
}

/// A random string of `lo..=hi` characters from `cs`.
pub(crate) fn rs_range(rng: &mut Rng, cs: &[u8], lo: usize, hi: usize) -> String {
    let n = range(rng, lo, hi);
    rs(rng, cs, n)
}

pub(crate) fn digits_range(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let n = range(rng, lo, hi);
    digits(rng, n)
}

pub(crate) fn rbytes_range(rng: &mut Rng, lo: usize, hi: usize) -> Vec<u8> {
    let n = range(rng, lo, hi);
    rbytes(rng, n)
}

pub(crate) fn rbytes(rng: &mut Rng, n: usize) -> Vec<u8> {
    (0..n).map(|_| rng.gen::<u8>()).collect()
}

/// Uniform integer in `lo..=hi`.
pub(crate) fn range(rng: &mut Rng, lo: usize, hi: usize) -> usize {
    rng.gen_range(lo..=hi)
}

pub(crate) fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.gen_bool(p)
}

pub(crate) fn pick<'a, T>(rng: &mut Rng, xs: &'a [T]) -> &'a T {
    xs.choose(rng)
        .expect("pick() is only called with non-empty lists")
}

pub(crate) fn pick_str(rng: &mut Rng, xs: &[&str]) -> String {
    (*pick(rng, xs)).to_string()
}

pub(crate) fn digits(rng: &mut Rng, n: usize) -> String {
    let mut s = String::with_capacity(n);
    s.push(char::from(b"123456789"[rng.gen_range(0..9)]));
    s.push_str(&rs(rng, DIGITS, n.saturating_sub(1)));
    s
}

pub(crate) fn hex(rng: &mut Rng, n: usize) -> String {
    rs(rng, HEX, n)
}

/// A version 4 UUID, lowercase.
pub(crate) fn uuid4(rng: &mut Rng) -> String {
    let mut b = rbytes(rng, 16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A password-like value: `len` characters mixing upper, lower, digits and (optionally) specials,
/// starting with a letter or digit.
pub(crate) fn mixed_secret(rng: &mut Rng, len: usize, specials: bool) -> String {
    loop {
        let mut s = String::with_capacity(len);
        s.push(char::from(ALNUM[rng.gen_range(0..ALNUM.len())]));
        for _ in 1..len {
            let r: f64 = rng.gen();
            let c = if specials && r < 0.12 {
                PW_SPECIAL[rng.gen_range(0..PW_SPECIAL.len())]
            } else if r < 0.40 {
                LOWER[rng.gen_range(0..LOWER.len())]
            } else if r < 0.72 {
                UPPER[rng.gen_range(0..UPPER.len())]
            } else {
                DIGITS[rng.gen_range(0..DIGITS.len())]
            };
            s.push(char::from(c));
        }
        let has = |f: fn(&char) -> bool| s.chars().any(|c| f(&c));
        if has(char::is_ascii_lowercase)
            && has(char::is_ascii_uppercase)
            && has(char::is_ascii_digit)
        {
            return s;
        }
    }
}

fn b64_with(data: &[u8], alphabet: &[u8], pad: bool) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let idx = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
        let keep = chunk.len() + 1;
        for (i, v) in idx.iter().enumerate() {
            if i < keep {
                out.push(char::from(alphabet[*v as usize]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 with padding.
pub(crate) fn b64(data: &[u8]) -> String {
    b64_with(data, B64_STD, true)
}

/// base64url without padding (JWT, macaroons).
pub(crate) fn b64url(data: &[u8]) -> String {
    b64_with(data, WORD_DASH_URL, false)
}

/// Standard base64 without padding.
pub(crate) fn b64_nopad(data: &[u8]) -> String {
    b64_with(data, B64_STD, false)
}

const WORD_DASH_URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// CRC-32 (IEEE), as used by the GitHub / npm token checksum.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut crc: u32 = 0xffff_ffff;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

/// CRC-24 of OpenPGP ASCII armor (RFC 4880 §6.1).
pub(crate) fn crc24(data: &[u8]) -> u32 {
    let mut crc: u32 = 0x00b7_04ce;
    for &byte in data {
        crc ^= u32::from(byte) << 16;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x0100_0000 != 0 {
                crc ^= 0x0186_4cfb;
            }
        }
    }
    crc & 0x00ff_ffff
}

/// `n` in base62 (`0-9A-Za-z`), left-padded with `0` to `width`.
pub(crate) fn base62(mut n: u32, width: usize) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(A[(n % 62) as usize]);
        n /= 62;
    }
    while digits.len() < width {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8_lossy(&digits).into_owned()
}

/// Wrap a string every `width` characters.
pub(crate) fn wrap(s: &str, width: usize) -> Vec<String> {
    s.as_bytes()
        .chunks(width)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Names. Canonical names are lower snake case (`stripe_secret_key`); contexts render them in the
// casing their syntax uses.

fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split('_').filter(|w| !w.is_empty())
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

pub(crate) fn upper_snake(name: &str) -> String {
    name.to_ascii_uppercase()
}

pub(crate) fn camel(name: &str) -> String {
    let mut out = String::new();
    for (i, w) in words(name).enumerate() {
        if i == 0 {
            out.push_str(w);
        } else {
            out.push_str(&capitalise(w));
        }
    }
    out
}

pub(crate) fn pascal(name: &str) -> String {
    words(name).map(capitalise).collect()
}

pub(crate) fn kebab(name: &str) -> String {
    words(name).collect::<Vec<_>>().join("-")
}

pub(crate) fn dotted(name: &str) -> String {
    words(name).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_known_vectors() {
        assert_eq!(b64(b""), "");
        assert_eq!(b64(b"f"), "Zg==");
        assert_eq!(b64(b"fo"), "Zm8=");
        assert_eq!(b64(b"foo"), "Zm9v");
        assert_eq!(b64(b"foobar"), "Zm9vYmFy");
        assert_eq!(b64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(b64(b"\x02\x01\x08pypi.org"), "AgEIcHlwaS5vcmc=");
    }

    #[test]
    fn checksums_match_known_vectors() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc24(b""), 0x00b7_04ce);
        assert_eq!(base62(0, 6), "000000");
        assert_eq!(base62(61, 2), "0z");
    }

    #[test]
    fn casing() {
        assert_eq!(camel("stripe_secret_key"), "stripeSecretKey");
        assert_eq!(pascal("db_password"), "DbPassword");
        assert_eq!(kebab("db_password"), "db-password");
        assert_eq!(dotted("db_password"), "db.password");
        assert_eq!(upper_snake("db_password"), "DB_PASSWORD");
    }
}
