#!/usr/bin/env python3
"""Convert the crates.io OSV export (RUSTSEC-*.json, as rustsec publishes it on its `osv`
branch) back into the RustSec advisory-db layout that cargo-audit reads:

    OUT/crates/<package>/<RUSTSEC-ID>.md     (```toml front matter, then "# title" and text)

Usage: osv_to_rustsec.py ZIP OUT

Versions: rustsec stores the *unaffected* versions (`[versions] patched`, `unaffected`) and
derives OSV ranges from them (rustsec::osv::ranges_for_advisory). The export has exactly one
SEMVER range per record, a sequence introduced/fixed/introduced/..., so the complement is
written back: `< first_introduced` (unless it is 0.0.0-0, i.e. unbounded), `>= fixed_i,
< introduced_i+1` between ranges, `>= last_fixed`. rustsec's conversion of those requirements
gives the same OSV events again, so the two tools match the same versions.

Kept: id, package, date (published), aliases, related, categories, informational, CVSS v3
vector, withdrawn, affected arch/os, title (summary), description (details). Left out: the
affected function paths (the export lists them without the version requirements rustsec
needs; cargo-audit only displays them) and CVSS v4 vectors.
"""
import json
import os
import sys
import zipfile


def q(s):
    """A TOML basic string (JSON escapes are valid TOML escapes)."""
    return json.dumps(s)


def qlist(xs):
    return "[" + ", ".join(q(x) for x in xs) + "]"


def unaffected_reqs(events):
    """Complement of the affected intervals given by OSV events, as cargo version requirements."""
    reqs = []
    pending_fixed = None
    first = True
    for e in events:
        if "introduced" in e:
            v = e["introduced"]
            if first:
                if v not in ("0", "0.0.0-0"):
                    reqs.append(f"< {v}")
            elif pending_fixed is not None:
                reqs.append(f">= {pending_fixed}, < {v}")
                pending_fixed = None
            first = False
        elif "fixed" in e:
            pending_fixed = e["fixed"]
            first = False
        else:
            raise ValueError(f"unsupported event {e}")
    if pending_fixed is not None:
        reqs.append(f">= {pending_fixed}")
    return reqs


def convert(rec):
    """(package, file name, text) of one record."""
    (aff,) = rec["affected"]
    (rng,) = aff["ranges"]
    if rng["type"] != "SEMVER":
        raise ValueError("not a SEMVER range")
    pkg = aff["package"]["name"]
    ds = aff.get("database_specific") or {}
    es = (aff.get("ecosystem_specific") or {}).get("affects") or {}
    reqs = unaffected_reqs(rng["events"])
    lines = ["```toml", "[advisory]", f"id = {q(rec['id'])}", f"package = {q(pkg)}",
             f"date = {q(rec['published'][:10])}"]
    for key in ("aliases", "related"):
        if rec.get(key):
            lines.append(f"{key} = {qlist(rec[key])}")
    if ds.get("categories"):
        lines.append(f"categories = {qlist(ds['categories'])}")
    cvss = ds.get("cvss")
    if isinstance(cvss, str) and cvss.startswith("CVSS:3"):
        lines.append(f"cvss = {q(cvss)}")
    if ds.get("informational"):
        lines.append(f"informational = {q(ds['informational'])}")
    if rec.get("withdrawn"):
        lines.append(f"withdrawn = {q(rec['withdrawn'][:10])}")
    if es.get("arch") or es.get("os"):
        lines += ["", "[affected]"]
        if es.get("arch"):
            lines.append(f"arch = {qlist(es['arch'])}")
        if es.get("os"):
            lines.append(f"os = {qlist(es['os'])}")
    lines += ["", "[versions]"]
    patched = [r for r in reqs if r.startswith(">=")]
    unaffected = [r for r in reqs if not r.startswith(">=")]
    lines.append(f"patched = {qlist(patched)}")
    if unaffected:
        lines.append(f"unaffected = {qlist(unaffected)}")
    lines.append("```")
    title = (rec.get("summary") or rec["id"]).strip().replace("\n", " ")
    body = (rec.get("details") or title).strip()
    text = "\n".join(lines) + f"\n\n# {title}\n\n{body}\n"
    return pkg, f"{rec['id']}.md", text


def main():
    zip_path, out = sys.argv[1], sys.argv[2]
    n = 0
    with zipfile.ZipFile(zip_path) as z:
        for name in sorted(z.namelist()):
            if not name.endswith(".json"):
                continue
            rec = json.loads(z.read(name))
            pkg, fname, text = convert(rec)
            # Names come from the records: refuse anything that is not a plain file name.
            if any(p in ("", ".", "..") or "/" in p or "\\" in p for p in (pkg, fname)):
                print(f"skipping {name}: unsafe name {pkg!r}/{fname!r}", file=sys.stderr)
                continue
            d = os.path.join(out, "crates", pkg)
            os.makedirs(d, exist_ok=True)
            # secops:ignore[sast.python.path-traversal] both names were checked just above
            with open(os.path.join(d, fname), "w", encoding="utf-8") as f:
                f.write(text)
            n += 1
    print(f"{n} advisories written to {out}/crates", file=sys.stderr)


if __name__ == "__main__":
    main()
