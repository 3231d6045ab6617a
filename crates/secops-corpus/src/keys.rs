//! Random key material with the real container structure (DER / OpenSSH / OpenPGP framing) and
//! random numbers inside. None of these are valid keys: the numbers are random bytes, not primes.
//! The point is that the armour, sizes and base64 bodies look exactly like the real thing.

use crate::util::{b64, crc24, pick, range, rbytes, rbytes_range, wrap, Rng};
use rand::Rng as _;

// ---------------------------------------------------------------------------------------------
// DER

fn der_len(n: usize) -> Vec<u8> {
    if n < 0x80 {
        vec![n as u8]
    } else if n < 0x100 {
        vec![0x81, n as u8]
    } else {
        vec![0x82, (n >> 8) as u8, n as u8]
    }
}

fn der(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(der_len(body.len()));
    out.extend_from_slice(body);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    der(0x30, &parts.concat())
}

/// INTEGER from big-endian magnitude bytes.
fn int_bytes(mag: &[u8]) -> Vec<u8> {
    let mut m: Vec<u8> = mag.iter().copied().skip_while(|b| *b == 0).collect();
    if m.is_empty() {
        m.push(0);
    }
    if m[0] & 0x80 != 0 {
        m.insert(0, 0);
    }
    der(0x02, &m)
}

fn int_small(v: u32) -> Vec<u8> {
    int_bytes(&v.to_be_bytes())
}

/// A random positive integer of exactly `bits` bits.
fn rand_uint(rng: &mut Rng, bits: usize, odd: bool) -> Vec<u8> {
    let mut b = rbytes(rng, bits.div_ceil(8));
    let top = (bits - 1) % 8;
    b[0] &= (1u16 << (top + 1)).wrapping_sub(1) as u8;
    b[0] |= 1 << top;
    if odd {
        if let Some(last) = b.last_mut() {
            *last |= 1;
        }
    }
    b
}

/// A random integer below 2^bits, possibly a little shorter (as d, dp, dq, qinv usually are).
fn rand_below(rng: &mut Rng, bits: usize) -> Vec<u8> {
    let mut b = rbytes(rng, bits.div_ceil(8));
    if rng.gen_bool(0.3) {
        b[0] = 0;
    }
    b
}

const OID_RSA: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
];
const OID_EC_PUBLIC: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_ED25519: &[u8] = &[0x06, 0x03, 0x2b, 0x65, 0x70];
const OID_SHA256_RSA: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b,
];
const NULL: &[u8] = &[0x05, 0x00];

struct RsaNums {
    n: Vec<u8>,
    e: Vec<u8>,
    d: Vec<u8>,
    p: Vec<u8>,
    q: Vec<u8>,
    dp: Vec<u8>,
    dq: Vec<u8>,
    qinv: Vec<u8>,
}

fn rsa_nums(rng: &mut Rng, bits: usize) -> RsaNums {
    RsaNums {
        n: rand_uint(rng, bits, true),
        e: vec![0x01, 0x00, 0x01],
        d: rand_below(rng, bits),
        p: rand_uint(rng, bits / 2, true),
        q: rand_uint(rng, bits / 2, true),
        dp: rand_below(rng, bits / 2),
        dq: rand_below(rng, bits / 2),
        qinv: rand_below(rng, bits / 2),
    }
}

fn rsa_bits(rng: &mut Rng) -> usize {
    *pick(rng, &[2048, 2048, 2048, 3072, 4096])
}

fn pkcs1_der(rng: &mut Rng) -> Vec<u8> {
    let bits = rsa_bits(rng);
    let k = rsa_nums(rng, bits);
    seq(&[
        int_small(0),
        int_bytes(&k.n),
        int_bytes(&k.e),
        int_bytes(&k.d),
        int_bytes(&k.p),
        int_bytes(&k.q),
        int_bytes(&k.dp),
        int_bytes(&k.dq),
        int_bytes(&k.qinv),
    ])
}

fn ec_point(rng: &mut Rng, coord: usize) -> Vec<u8> {
    let mut p = vec![0x04];
    p.extend(rbytes(rng, coord * 2));
    p
}

fn sec1_der(rng: &mut Rng, p384: bool, with_params: bool) -> Vec<u8> {
    let (size, oid) = if p384 { (48, OID_P384) } else { (32, OID_P256) };
    let mut bit = vec![0u8];
    bit.extend(ec_point(rng, size));
    let mut parts = vec![int_small(1), der(0x04, &rbytes(rng, size))];
    if with_params {
        parts.push(der(0xa0, oid));
    }
    parts.push(der(0xa1, &der(0x03, &bit)));
    seq(&parts)
}

fn pem(label: &str, der_bytes: &[u8]) -> String {
    let mut s = format!("-----BEGIN {label}-----\n");
    for l in wrap(&b64(der_bytes), 64) {
        s.push_str(&l);
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----"));
    s
}

/// `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1).
pub(crate) fn rsa_private_pem(rng: &mut Rng) -> String {
    let d = pkcs1_der(rng);
    pem("RSA PRIVATE KEY", &d)
}

/// `-----BEGIN EC PRIVATE KEY-----` (SEC 1), P-256 or P-384.
pub(crate) fn ec_private_pem(rng: &mut Rng) -> String {
    let p384 = rng.gen_bool(0.3);
    let d = sec1_der(rng, p384, true);
    pem("EC PRIVATE KEY", &d)
}

/// `-----BEGIN PRIVATE KEY-----` (PKCS#8): RSA, EC or Ed25519 inside.
pub(crate) fn pkcs8_private_pem(rng: &mut Rng) -> String {
    let d = pkcs8_der(rng);
    pem("PRIVATE KEY", &d)
}

fn pkcs8_der(rng: &mut Rng) -> Vec<u8> {
    match range(rng, 0, 9) {
        0..=5 => {
            let inner = pkcs1_der(rng);
            seq(&[
                int_small(0),
                seq(&[OID_RSA.to_vec(), NULL.to_vec()]),
                der(0x04, &inner),
            ])
        }
        6..=7 => {
            let inner = sec1_der(rng, false, false);
            seq(&[
                int_small(0),
                seq(&[OID_EC_PUBLIC.to_vec(), OID_P256.to_vec()]),
                der(0x04, &inner),
            ])
        }
        _ => {
            let inner = der(0x04, &rbytes(rng, 32));
            seq(&[
                int_small(0),
                seq(&[OID_ED25519.to_vec()]),
                der(0x04, &inner),
            ])
        }
    }
}

/// The PKCS#8 key of a GCP service account (always RSA 2048), PEM with a trailing newline.
pub(crate) fn gcp_service_account_pem(rng: &mut Rng) -> String {
    let k = rsa_nums(rng, 2048);
    let inner = seq(&[
        int_small(0),
        int_bytes(&k.n),
        int_bytes(&k.e),
        int_bytes(&k.d),
        int_bytes(&k.p),
        int_bytes(&k.q),
        int_bytes(&k.dp),
        int_bytes(&k.dq),
        int_bytes(&k.qinv),
    ]);
    let d = seq(&[
        int_small(0),
        seq(&[OID_RSA.to_vec(), NULL.to_vec()]),
        der(0x04, &inner),
    ]);
    pem("PRIVATE KEY", &d) + "\n"
}

// ---------------------------------------------------------------------------------------------
// OpenSSH

fn ssh_string(out: &mut Vec<u8>, s: &[u8]) {
    out.extend((s.len() as u32).to_be_bytes());
    out.extend_from_slice(s);
}

fn ssh_mpint(out: &mut Vec<u8>, mag: &[u8]) {
    let mut m: Vec<u8> = mag.iter().copied().skip_while(|b| *b == 0).collect();
    if m.first().is_some_and(|b| b & 0x80 != 0) {
        m.insert(0, 0);
    }
    ssh_string(out, &m);
}

const SSH_USERS: &[&str] = &[
    "deploy", "ci", "jenkins", "ubuntu", "ec2-user", "git", "admin", "build", "ops", "runner",
];
const SSH_HOSTS: &[&str] = &[
    "bastion",
    "build-01",
    "laptop",
    "ci-runner",
    "jump",
    "deploy-host",
    "workstation",
    "prod-ops",
];

pub(crate) fn ssh_comment(rng: &mut Rng) -> String {
    format!("{}@{}", pick(rng, SSH_USERS), pick(rng, SSH_HOSTS))
}

/// `-----BEGIN OPENSSH PRIVATE KEY-----`, unencrypted, Ed25519 or RSA.
pub(crate) fn openssh_private_pem(rng: &mut Rng) -> String {
    let comment = ssh_comment(rng);
    let ed = rng.gen_bool(0.65);
    let mut pubblob = Vec::new();
    let mut private = Vec::new();
    let check = rbytes(rng, 4);
    private.extend(&check);
    private.extend(&check);
    if ed {
        let seed = rbytes(rng, 32);
        let public = rbytes(rng, 32);
        ssh_string(&mut pubblob, b"ssh-ed25519");
        ssh_string(&mut pubblob, &public);
        ssh_string(&mut private, b"ssh-ed25519");
        ssh_string(&mut private, &public);
        let mut both = seed.clone();
        both.extend(&public);
        ssh_string(&mut private, &both);
    } else {
        let bits = *pick(rng, &[2048usize, 3072, 4096]);
        let k = rsa_nums(rng, bits);
        ssh_string(&mut pubblob, b"ssh-rsa");
        ssh_mpint(&mut pubblob, &k.e);
        ssh_mpint(&mut pubblob, &k.n);
        ssh_string(&mut private, b"ssh-rsa");
        ssh_mpint(&mut private, &k.n);
        ssh_mpint(&mut private, &k.e);
        ssh_mpint(&mut private, &k.d);
        ssh_mpint(&mut private, &k.qinv);
        ssh_mpint(&mut private, &k.p);
        ssh_mpint(&mut private, &k.q);
    }
    ssh_string(&mut private, comment.as_bytes());
    let mut pad = 1u8;
    while private.len() % 8 != 0 {
        private.push(pad);
        pad += 1;
    }
    let mut blob = b"openssh-key-v1\0".to_vec();
    ssh_string(&mut blob, b"none");
    ssh_string(&mut blob, b"none");
    ssh_string(&mut blob, b"");
    blob.extend(1u32.to_be_bytes());
    ssh_string(&mut blob, &pubblob);
    ssh_string(&mut blob, &private);
    let mut s = String::from("-----BEGIN OPENSSH PRIVATE KEY-----\n");
    for l in wrap(&b64(&blob), 70) {
        s.push_str(&l);
        s.push('\n');
    }
    s.push_str("-----END OPENSSH PRIVATE KEY-----");
    s
}

/// `ssh-ed25519 AAAA... user@host` or `ssh-rsa AAAA... user@host` (a public key: not a secret).
pub(crate) fn ssh_public_line(rng: &mut Rng) -> String {
    let comment = ssh_comment(rng);
    let mut blob = Vec::new();
    if rng.gen_bool(0.5) {
        ssh_string(&mut blob, b"ssh-ed25519");
        ssh_string(&mut blob, &rbytes(rng, 32));
        format!("ssh-ed25519 {} {comment}", b64(&blob))
    } else {
        let bits = *pick(rng, &[2048usize, 3072, 4096]);
        let n = rand_uint(rng, bits, true);
        ssh_string(&mut blob, b"ssh-rsa");
        ssh_mpint(&mut blob, &[0x01, 0x00, 0x01]);
        ssh_mpint(&mut blob, &n);
        format!("ssh-rsa {} {comment}", b64(&blob))
    }
}

// ---------------------------------------------------------------------------------------------
// OpenPGP

fn pgp_old_packet(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    if body.len() < 0x100 {
        out.push(0x80 | (tag << 2));
        out.push(body.len() as u8);
    } else {
        out.push(0x80 | (tag << 2) | 1);
        out.extend((body.len() as u16).to_be_bytes());
    }
    out.extend_from_slice(body);
    out
}

fn pgp_mpi(out: &mut Vec<u8>, bits: u16, mag: &[u8]) {
    out.extend(bits.to_be_bytes());
    out.extend_from_slice(mag);
}

const PGP_NAMES: &[&str] = &[
    "Release Signing",
    "Build Bot",
    "Deploy Automation",
    "Package Signing",
    "Ops Team",
];

/// `-----BEGIN PGP PRIVATE KEY BLOCK-----`: an unprotected Ed25519 primary key, a user id, a
/// signature, a Curve25519 subkey and its binding signature, armored with the CRC-24 line.
pub(crate) fn pgp_private_block(rng: &mut Rng) -> String {
    let time: u32 = rng.gen_range(1_500_000_000..1_750_000_000);
    let mut key = vec![0x04];
    key.extend(time.to_be_bytes());
    key.push(22); // EdDSA
    key.push(9);
    key.extend([0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01]);
    let mut point = vec![0x40];
    point.extend(rbytes(rng, 32));
    pgp_mpi(&mut key, 263, &point);
    key.push(0); // S2K usage: unprotected
    let mut secret = rbytes(rng, 32);
    secret[0] |= 0x80;
    pgp_mpi(&mut key, 256, &secret);
    key.extend(rbytes(rng, 2));
    let uid = format!(
        "{} <{}@{}>",
        pick(rng, PGP_NAMES),
        pick(rng, &["release", "build", "security", "ops", "packages"]),
        pick(rng, crate::text::DOMAINS)
    );
    let mut sub = vec![0x04];
    sub.extend(time.to_be_bytes());
    sub.push(18); // ECDH
    sub.push(10);
    sub.extend([0x2b, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01]);
    let mut spoint = vec![0x40];
    spoint.extend(rbytes(rng, 32));
    pgp_mpi(&mut sub, 263, &spoint);
    sub.extend([0x03, 0x01, 0x08, 0x07]);
    sub.push(0);
    let mut ssecret = rbytes(rng, 32);
    ssecret[0] |= 0x80;
    pgp_mpi(&mut sub, 256, &ssecret);
    sub.extend(rbytes(rng, 2));

    let mut blob = pgp_old_packet(5, &key);
    blob.extend(pgp_old_packet(13, uid.as_bytes()));
    let sig1 = rbytes_range(rng, 140, 150);
    blob.extend(pgp_old_packet(2, &sig1));
    blob.extend(pgp_old_packet(7, &sub));
    let sig2 = rbytes_range(rng, 118, 126);
    blob.extend(pgp_old_packet(2, &sig2));

    let crc = crc24(&blob);
    let mut s = String::from("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n");
    for l in wrap(&b64(&blob), 64) {
        s.push_str(&l);
        s.push('\n');
    }
    s.push('=');
    s.push_str(&b64(&[(crc >> 16) as u8, (crc >> 8) as u8, crc as u8]));
    s.push('\n');
    s.push_str("-----END PGP PRIVATE KEY BLOCK-----");
    s
}

// ---------------------------------------------------------------------------------------------
// Public material (hard negatives)

fn spki_rsa(rng: &mut Rng) -> Vec<u8> {
    let bits = rsa_bits(rng);
    let n = rand_uint(rng, bits, true);
    let rsa_pub = seq(&[int_bytes(&n), int_bytes(&[0x01, 0x00, 0x01])]);
    let mut bit = vec![0u8];
    bit.extend(rsa_pub);
    seq(&[seq(&[OID_RSA.to_vec(), NULL.to_vec()]), der(0x03, &bit)])
}

fn spki_ec(rng: &mut Rng) -> Vec<u8> {
    let mut bit = vec![0u8];
    bit.extend(ec_point(rng, 32));
    seq(&[
        seq(&[OID_EC_PUBLIC.to_vec(), OID_P256.to_vec()]),
        der(0x03, &bit),
    ])
}

/// `-----BEGIN PUBLIC KEY-----` (RSA or EC SubjectPublicKeyInfo).
pub(crate) fn public_key_pem(rng: &mut Rng) -> String {
    let d = if rng.gen_bool(0.7) {
        spki_rsa(rng)
    } else {
        spki_ec(rng)
    };
    pem("PUBLIC KEY", &d)
}

fn name_der(cn: &str, org: &str) -> Vec<u8> {
    let rdn = |oid_last: u8, val: &str| {
        der(
            0x31,
            &seq(&[
                vec![0x06, 0x03, 0x55, 0x04, oid_last],
                der(0x0c, val.as_bytes()),
            ]),
        )
    };
    seq(&[rdn(0x06, "US"), rdn(0x0a, org), rdn(0x03, cn)])
}

fn utc_time(year: u32, rng: &mut Rng) -> Vec<u8> {
    let s = format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}Z",
        year % 100,
        range(rng, 1, 12),
        range(rng, 1, 28),
        range(rng, 0, 23),
        range(rng, 0, 59),
        range(rng, 0, 59)
    );
    der(0x17, s.as_bytes())
}

/// `-----BEGIN CERTIFICATE-----`: an X.509 v3 structure with random key and signature.
pub(crate) fn certificate_pem(rng: &mut Rng) -> String {
    let host = format!(
        "{}.{}",
        pick(
            rng,
            &["api", "www", "auth", "gateway", "internal", "metrics"]
        ),
        pick(rng, crate::text::DOMAINS)
    );
    let org = pick_org(rng);
    let year = range(rng, 2021, 2025) as u32;
    let mut serial = rbytes(rng, 16);
    serial[0] &= 0x7f;
    let tbs = seq(&[
        der(0xa0, &int_small(2)),
        int_bytes(&serial),
        seq(&[OID_SHA256_RSA.to_vec(), NULL.to_vec()]),
        name_der(&format!("{org} Issuing CA"), &org),
        seq(&[utc_time(year, rng), utc_time(year + 1, rng)]),
        name_der(&host, &org),
        spki_rsa(rng),
        der(
            0xa3,
            &seq(&[seq(&[
                vec![0x06, 0x03, 0x55, 0x1d, 0x11],
                der(0x04, &seq(&[der(0x82, host.as_bytes())])),
            ])]),
        ),
    ]);
    let mut sig = vec![0u8];
    sig.extend(rbytes(rng, 256));
    let cert = seq(&[
        tbs,
        seq(&[OID_SHA256_RSA.to_vec(), NULL.to_vec()]),
        der(0x03, &sig),
    ]);
    pem("CERTIFICATE", &cert)
}

fn pick_org(rng: &mut Rng) -> String {
    pick(
        rng,
        &[
            "Northwind Labs",
            "Acme Cloud",
            "Globex Systems",
            "Initech",
            "Umbrella Data",
            "Contoso",
        ],
    )
    .to_string()
}

/// A JWK set with RSA public keys (`n` is long base64url: a classic false-positive trap).
pub(crate) fn jwks_json(rng: &mut Rng) -> String {
    let mut keys = Vec::new();
    for _ in 0..range(rng, 1, 3) {
        let n = rand_uint(rng, 2048, true);
        keys.push(format!(
            "    {{\n      \"kty\": \"RSA\",\n      \"use\": \"sig\",\n      \"alg\": \"RS256\",\n      \"kid\": \"{}\",\n      \"n\": \"{}\",\n      \"e\": \"AQAB\"\n    }}",
            crate::util::hex(rng, 40),
            crate::util::b64url(&n)
        ));
    }
    format!("{{\n  \"keys\": [\n{}\n  ]\n}}\n", keys.join(",\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn pem_bodies_have_realistic_shapes() {
        let mut rng = Rng::seed_from_u64(7);
        let rsa = rsa_private_pem(&mut rng);
        assert!(rsa.starts_with("-----BEGIN RSA PRIVATE KEY-----\nMII"));
        assert!(rsa.lines().count() > 20);
        let ec = ec_private_pem(&mut rng);
        assert!(ec.contains("\nMH") || ec.contains("\nMIG"));
        let ssh = openssh_private_pem(&mut rng);
        assert!(ssh.contains("\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"));
        let pgp = pgp_private_block(&mut rng);
        assert!(pgp.contains("\n\nlF") || pgp.contains("\n\nlQ"));
        assert!(certificate_pem(&mut rng).starts_with("-----BEGIN CERTIFICATE-----\nMII"));
        assert!(public_key_pem(&mut rng).starts_with("-----BEGIN PUBLIC KEY-----\nM"));
    }
}
