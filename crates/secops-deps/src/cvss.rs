//! CVSS v3.x / v4 base scores from vectors. PLACEHOLDER.
