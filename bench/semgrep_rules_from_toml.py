#!/usr/bin/env python3
"""Translate secops's own SAST rules into a semgrep rule set of the same detection scope.

    python3 bench/semgrep_rules_from_toml.py > bench-out/semgrep-rules.yml

Reads crates/secops-scan/rules/{python,javascript,java,go}.toml (format documented in
crates/secops-scan/src/sast/spec.rs) and writes one semgrep rule per `[[rule]]` to stdout:
a taint rule (`mode: taint`) when the rule has `[[sink]]` entries, a search rule
(`pattern-either`) when it only has `[[pattern]]` entries. A rule with both gets the taint rule
under its own id plus a search rule `<id>.patterns`. A summary (rules emitted, entries
translated, entries skipped by reason, approximations) goes to stderr.

Python 3.11+ standard library only. The output is JSON (which is valid YAML, and which semgrep
loads much faster than block YAML), with the header text under a "#" key; `--yaml` writes block
YAML with the header as a comment instead.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "crates" / "secops-scan" / "rules"

LANGS = [
    ("python", ["python"]),
    ("javascript", ["javascript", "typescript"]),
    ("java", ["java"]),
    ("go", ["go"]),
]

SEVERITY = {"critical": "ERROR", "high": "ERROR", "medium": "WARNING", "low": "INFO", "info": "INFO"}

# spec.rs SPECIAL_KINDS: source kinds only sinks naming them (`source_kinds`) react to.
SPECIAL_KINDS = {"weak-random", "tls-noop", "config"}

# Go: the simple type names the rules use for typed receivers (`r *http.Request` is seen as
# `Request.FormValue`), mapped to the semgrep types we are confident about. Any other
# capitalised receiver becomes an untyped metavariable (counted as an approximation).
GO_TYPES = {
    "Request": ["*http.Request"],
    "ResponseWriter": ["http.ResponseWriter"],
    "DB": ["*sql.DB", "*sqlx.DB", "*gorm.DB"],
    "Tx": ["*sql.Tx", "*sqlx.Tx"],
    "Conn": ["*sql.Conn", "*pgx.Conn"],
    "Pool": ["*pgxpool.Pool"],
    "Context": ["*gin.Context", "echo.Context"],
    "Ctx": ["*fiber.Ctx"],
    "Client": ["*http.Client"],
    "Cookie": ["*http.Cookie", "http.Cookie"],
    "Template": ["*template.Template"],
    "Builder": ["*strings.Builder", "strings.Builder"],
    "Buffer": ["*bytes.Buffer", "bytes.Buffer"],
    "Engine": ["*gin.Engine"],
    "Echo": ["*echo.Echo"],
    "Params": ["httprouter.Params"],
    "Session": ["*sessions.Session", "sessions.Session"],
    "Options": ["*sessions.Options", "sessions.Options"],
    "Token": ["*jwt.Token"],
    "Runtime": ["*goja.Runtime"],
    "Otto": ["*otto.Otto"],
    "Interpreter": ["*interp.Interpreter"],
    "SessionManager": ["*scs.SessionManager"],
    "Node": ["*xmlquery.Node"],
}

# Python: capitalised first segments that are modules, not types.
PY_MODULES = {"Crypto", "Cryptodome"}
# Java: a lowercase first segment after `**.` that names a method (`**.getSession.x`), not a
# field (`**.jdbcTemplate.query`).
JAVA_METHOD_RE = re.compile(r"^(get|create|new|to|current|from)[A-Z]")
# Python: FastAPI parameter markers (param_annotation) that are calls in a default value or an
# `Annotated[...]` type.
PY_FASTAPI_MARKERS = {"Query", "Path", "Body", "Header", "Cookie", "Form", "File"}


# ----------------------------------------------------------------------------- statistics


class Stats:
    def __init__(self) -> None:
        self.total: Counter = Counter()  # (lang, section) -> entries
        self.translated: Counter = Counter()  # (lang, section) -> entries
        self.skipped: Counter = Counter()  # (lang, section, reason) -> entries
        self.approx: Counter = Counter()  # (lang, what) -> entries
        self.rules: Counter = Counter()  # lang -> semgrep rules
        self.our_rules: Counter = Counter()  # lang -> [[rule]] entries
        self.patterns: Counter = Counter()  # lang -> semgrep pattern strings


STATS = Stats()


class Skip(Exception):
    """An entry that cannot be expressed in semgrep; the message is the reason."""


# ----------------------------------------------------------------------------- helpers


def is_cap(s: str) -> bool:
    return bool(s) and s[0].isupper()


def is_allcaps(s: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9_]*", s)) and len(s) > 1


def split_alternation(rx: str) -> list[str]:
    """Top-level `|` branches of a regex (not inside groups or classes)."""
    out, cur, depth, cls, esc = [], [], 0, False, False
    for ch in rx:
        if esc:
            cur.append(ch)
            esc = False
            continue
        if ch == "\\":
            cur.append(ch)
            esc = True
            continue
        if cls:
            cls = ch != "]"
        elif ch == "[":
            cls = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return out


def literal_regex(rx: str) -> str:
    """Our regexes match a constant's text (case-insensitive); semgrep's metavariable-regex sees
    the source text, quotes included. Anchor every branch on an optional quote."""
    branches = []
    for b in split_alternation(rx):
        start = b.startswith("^")
        end = b.endswith("$") and not b.endswith("\\$")
        core = b[1 if start else 0 : len(b) - 1 if end else len(b)]
        branches.append(("" if start else ".*?") + core + ("" if end else ".*?"))
    return "(?i)^[\"'`]?(?:" + "|".join(f"(?:{b})" for b in branches) + ")[\"'`]?$"


def plain_literal(rx: str) -> str | None:
    """`^true$` -> `true`: a regex that is one literal word."""
    m = re.fullmatch(r"\^?([A-Za-z0-9_]+)\$?", rx)
    return m.group(1) if m else None


@dataclass(frozen=True)
class Target:
    """One semgrep rendering of a dotted path: `recv.name`, or `name` alone."""

    recv: str | None
    name: str
    inside: tuple = ()  # pattern-inside conditions
    ctor: bool = False  # Java: a constructor (`new T(...)`)
    typed: bool = False  # recv is a typed metavariable or a metavariable standing for a type

    def expr(self) -> str:
        return f"{self.recv}.{self.name}" if self.recv else self.name


class Fresh:
    """Fresh metavariable names, so that unrelated wildcards do not have to bind equally."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, base: str) -> str:
        self.n += 1
        return f"${base}{self.n}"


def alt(main: str, inside=(), extra=(), focus: str | None = None) -> dict:
    """A semgrep pattern formula: a plain `pattern`, or `patterns` with conditions."""
    if not inside and not extra and not focus:
        return {"pattern": main}
    items = [{"pattern-inside": i} for i in inside] + [{"pattern": main}] + list(extra)
    if focus:
        items.append({"focus-metavariable": focus})
    return {"patterns": items}


def key(x) -> str:
    return json.dumps(x, sort_keys=True)


def dedupe(alts: list[dict]) -> list[dict]:
    """Drop duplicates, and Go import-guarded alternatives whose unguarded form is present
    (`os/exec.Command` next to `exec.Command`)."""
    seen, out = set(), []
    for a in alts:
        k = key(a)
        if k not in seen:
            seen.add(k)
            out.append(a)

    def unguard(a: dict):
        if "patterns" not in a:
            return None
        rest = [
            i
            for i in a["patterns"]
            if not (isinstance(i.get("pattern-inside"), str) and i["pattern-inside"].startswith("import "))
        ]
        if len(rest) == len(a["patterns"]):
            return None
        return rest[0] if len(rest) == 1 and "pattern" in rest[0] else {"patterns": rest}

    keys = {key(a) for a in out}
    return [a for a in out if (u := unguard(a)) is None or key(u) not in keys]


def count_patterns(x) -> int:
    if isinstance(x, dict):
        return sum(
            (1 if k in ("pattern", "pattern-inside", "pattern-not", "pattern-not-inside") else 0)
            + count_patterns(v)
            for k, v in x.items()
        )
    if isinstance(x, list):
        return sum(count_patterns(v) for v in x)
    return 0


# ----------------------------------------------------------------------------- languages


class Lang:
    def __init__(self, name: str) -> None:
        self.name = name
        self.notes: set[str] = set()

    def note(self, what: str) -> None:
        """Record an approximation made for the entry being translated."""
        self.notes.add(what)

    # -- paths ---------------------------------------------------------------------------

    def split(self, path: str) -> tuple[list[str], str | None]:
        """Segments of a path, and (Go) the import path of its package."""
        return path.split("."), None

    def first_alts(self, seg: str, lead: str | None, more: bool, fresh: Fresh) -> list[tuple[str, tuple, bool]]:
        """Renderings of the first concrete segment: (text, pattern-inside, typed)."""
        lit = [(seg, (), False)]
        if lead == "**":
            return lit + [(f"{fresh('X')}.{seg}", (), False)]
        if lead == "*":
            return [(f"{fresh('X')}.{seg}", (), False)]
        return lit

    def middle(self, seg: str, fresh: Fresh) -> list[str]:
        """Suffixes for a middle segment (`.seg`, `.seg(...)`)."""
        if seg == "**":
            return ["", f".{fresh('M')}(...)", f".{fresh('F')}"]
        if seg == "*":
            return [f".{fresh('M')}(...)", f".{fresh('F')}"]
        return [f".{seg}"]

    def expand(self, path: str, fresh: Fresh | None = None) -> list[Target]:
        fresh = fresh or Fresh()
        segs, imp = self.split(path)
        guard = (f'import "{imp}"\n...',) if imp else ()
        if segs in (["**"], ["*"]):
            return [Target(None, fresh("F"), guard)]
        lead = None
        if segs[0] in ("*", "**"):
            lead, segs = segs[0], segs[1:]
        final = segs[-1]
        final = fresh("F") if final in ("*", "**") else final
        if len(segs) == 1:
            return self.single(final, lead, guard, fresh)
        heads = self.first_alts(segs[0], lead, True, fresh)
        rest = segs[1:-1]
        heads, rest = self.type_path(heads, segs, rest, lead, fresh)
        out = []
        for text, inside, typed in heads:
            prefixes = [text]
            for seg in rest:
                prefixes = [p + m for p in prefixes for m in self.middle(seg, fresh)]
            out += [Target(p, final, inside + guard, typed=typed) for p in prefixes]
        return out

    def type_path(self, heads, segs, rest, lead, fresh):
        return heads, rest

    def single(self, name: str, lead, guard, fresh) -> list[Target]:
        if lead == "**":
            return [Target(None, name, guard), Target(fresh("X"), name, guard)]
        if lead == "*":
            return [Target(fresh("X"), name, guard)]
        return [Target(None, name, guard)]

    # -- calls ---------------------------------------------------------------------------

    def kw(self, name: str, value: str) -> str | None:
        """A keyword argument in argument position (None: not expressible)."""
        return None

    def args(self, pos: list[str], kws: list[tuple[str, str]]) -> str | None:
        parts = list(pos)
        if kws:
            if not parts or parts[-1] != "...":
                parts.append("...")
            for n, v in kws:
                k = self.kw(n, v)
                if k is None:
                    return None
                parts += [k, "..."]
        return ", ".join(parts)

    def calls(self, t: Target, pos: list[str], kws: list[tuple[str, str]] = ()) -> list[str]:
        a = self.args(pos, list(kws))
        if a is None:
            return []
        return [f"{t.expr()}({a})"]

    # -- values --------------------------------------------------------------------------

    def values(self, text: str) -> list[str]:
        low = text.lower()
        if low in ("true", "false"):
            return [low]
        if low in ("none", "null", "nil"):
            return [{"python": "None", "go": "nil"}.get(self.name, "null")]
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return [text, json.dumps(text)]
        if is_allcaps(text):
            return [text, f"$MOD.{text}", json.dumps(text)]
        return [json.dumps(text)]

    # -- parameter sources ---------------------------------------------------------------

    def param_source(self, src: dict) -> list[dict]:
        raise Skip("parameter source not supported for this language")

    # -- special shapes ------------------------------------------------------------------

    def assign_sink(self, t: Target, path: str) -> list[dict]:
        return [alt(f"{t.expr()} = $SINK", t.inside, focus="$SINK")]

    def function_pattern(self, p: dict) -> list[dict]:
        raise Skip("function shape (`function = true`)")

    def lambda_arg(self, body: str) -> list[str]:
        raise Skip("lambda_body")


class Python(Lang):
    def first_alts(self, seg, lead, more, fresh):
        if is_cap(seg) and seg not in PY_MODULES and more:
            # A receiver of a declared type: a parameter annotated with it, or a variable
            # assigned from its constructor.
            r = fresh("R")
            insides = [
                (f"def {fresh('FN')}(..., {r}: {seg}, ...):\n  ...",),
                (f"{r} = {seg}(...)\n...",),
            ]
            self.note("Python typed receiver -> annotated parameter / constructor-assigned variable")
            out = [(r, i, True) for i in insides]
            if lead:
                out.append((f"{fresh('X')}.{seg}", (), False))
            return out
        return super().first_alts(seg, lead, more, fresh)

    def middle(self, seg, fresh):
        # Module paths are deep (`cryptography.**.algorithms.TripleDES` is
        # `cryptography.hazmat.primitives.ciphers.algorithms.TripleDES`): up to three segments.
        if seg == "**":
            return ["", f".{fresh('F')}", f".{fresh('F')}.{fresh('G')}", f".{fresh('F')}.{fresh('G')}.{fresh('H')}"]
        if seg == "*":
            return [f".{fresh('F')}", f".{fresh('F')}.{fresh('G')}"]
        return [f".{seg}"]

    def kw(self, name, value):
        if "." in name:
            return None
        return f"{name}={value}"

    def values(self, text):
        low = text.lower()
        if low in ("true", "false"):
            return ["True" if low == "true" else "False"]
        return super().values(text)

    def calls(self, t, pos, kws=()):
        if t.name == "__setitem__":
            # `obj[k] = v` is lowered as `obj.__setitem__(k, v)`.
            if kws or not t.recv:
                return []
            p = [x for x in pos if x != "..."]
            k = pos[0] if pos and pos[0] != "..." else "$KEY"
            v = pos[1] if len(pos) > 1 and pos[1] != "..." else "$VALUE"
            if len(p) > 2:
                return []
            return [f"{t.recv}[{k}] = {v}"]
        return super().calls(t, pos, kws)

    def param_source(self, src):
        ann, ptype = src.get("param_annotation"), src.get("param_type")
        if ann == "route_param":
            self.note("route_param: every parameter of a route-decorated function")
            inside = "@$APP.$ROUTE(...)\ndef $FN(..., $P, ...):\n  ..."
            reg = {"metavariable-regex": {"metavariable": "$ROUTE", "regex": "^(route|get|post|put|patch|delete|websocket)$"}}
            return [{"patterns": [{"pattern-inside": inside}, reg, {"pattern": "$P"}]}]
        if ann in PY_FASTAPI_MARKERS:
            forms = [
                f"def $FN(..., $P = {ann}(...), ...):\n  ...",
                f"def $FN(..., $P: $T = {ann}(...), ...):\n  ...",
                f"def $FN(..., $P: Annotated[$T, {ann}(...)], ...):\n  ...",
                f"def $FN(..., $P: Annotated[$T, {ann}(...)] = $D, ...):\n  ...",
            ]
            return [alt("$P", (f,)) for f in forms]
        if ptype:
            return [alt("$P", (f"def $FN(..., $P: {ptype}, ...):\n  ...",))]
        raise Skip(f"parameter annotation `{ann}`")


class JavaScript(Lang):
    def hyphen_names(self, seg: str) -> list[str]:
        """A module name that is not an identifier (`js-yaml`) as the names code binds it to:
        camelCase (`jsYaml`) and the last word (`yaml`)."""
        words = [w for w in re.split(r"[-.]", seg) if w]
        camel = words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])
        return list(dict.fromkeys([camel, words[-1]]))

    def first_alts(self, seg, lead, more, fresh):
        if seg == "$" or seg == "jQuery":
            return [(f"{seg}(...)", (), False)]
        if "-" in seg:
            self.note("hyphenated module name -> local binding names")
            return [(n, (), False) for n in self.hyphen_names(seg)]
        out = super().first_alts(seg, lead, more, fresh)
        if is_cap(seg) and more:
            # A static object (`DOMPurify.sanitize`) or a TypeScript-typed receiver.
            out.append((f"({fresh('R')} : {seg})", (), True))
        return out

    def middle(self, seg, fresh):
        if seg in ("*", "**"):
            return super().middle(seg, fresh)
        return [f".{seg}"]

    def single(self, name, lead, guard, fresh):
        if "-" in name:
            self.note("hyphenated module name -> local binding names")
            return [Target(None, n, guard) for n in self.hyphen_names(name)]
        return super().single(name, lead, guard, fresh)

    def obj(self, name: str, value: str) -> str:
        parts = name.split(".")
        inner = f"{parts[-1]}: {value}"
        for p in reversed(parts[:-1]):
            inner = f"{p}: {{..., {inner}, ...}}"
        return f"{{..., {inner}, ...}}"

    def args(self, pos, kws):
        parts = list(pos)
        if kws:
            if not parts or parts[-1] != "...":
                parts.append("...")
            for n, v in kws:
                parts += [self.obj(n, v), "..."]
        return ", ".join(parts)

    def calls(self, t, pos, kws=()):
        a = self.args(pos, list(kws))
        out = [f"{t.expr()}({a})"]
        if is_cap(t.name) or t.name.startswith("$"):
            out.append(f"new {t.expr()}({a})")
        return out

    def param_source(self, src):
        ann = src.get("param_annotation")
        if not ann:
            raise Skip("parameter type")
        return [alt("$P", (f"$METHOD(..., @{ann}(...) $P, ...) {{\n  ...\n}}",))]

    def assign_sink(self, t, path):
        if t.recv == "jsx":
            return self.jsx_attr(t)
        return super().assign_sink(t, path)

    def jsx_attr(self, t: Target) -> list[dict]:
        """`jsx.dangerouslySetInnerHTML`: the front-end sees JSX attributes as calls."""
        return [alt(f"<$EL {t.name}={{$SINK}} />", focus="$SINK")]


class Java(Lang):
    def first_alts(self, seg, lead, more, fresh):
        if is_cap(seg):
            return [(seg, (), False)]
        if lead and JAVA_METHOD_RE.match(seg):
            return [(f"{seg}(...)", (), False), (f"{fresh('X')}.{seg}(...)", (), False)]
        return super().first_alts(seg, lead, more, fresh)

    def type_path(self, heads, segs, rest, lead, fresh):
        """`HttpRequest.Builder.uri`: leading capitalised segments form the type. A type not
        behind `**.` (those are static utility classes) also matches typed receivers."""
        if not is_cap(segs[0]):
            return heads, rest
        tsegs = [segs[0]]
        while rest and is_cap(rest[0]) and not is_allcaps(rest[0]):
            tsegs.append(rest[0])
            rest = rest[1:]
        tname = ".".join(tsegs)
        heads = [(tname, (), False)]
        if not lead or len(tsegs) > 1:
            heads.append((f"({tname} {fresh('R')})", (), True))
        return heads, rest

    def middle(self, seg, fresh):
        if seg == "**":
            return ["", f".{fresh('M')}(...)"]
        if seg == "*":
            return [f".{fresh('M')}(...)"]
        if is_cap(seg):
            return [f".{seg}"]
        return [f".{seg}(...)"]

    def single(self, name, lead, guard, fresh):
        if is_cap(name):
            return [Target(None, name, guard, ctor=True)]
        return super().single(name, lead, guard, fresh)

    def calls(self, t, pos, kws=()):
        if kws:
            return []
        a = ", ".join(pos)
        if t.ctor:
            return [f"new {t.expr()}({a})"]
        return [f"{t.expr()}({a})"]

    def param_source(self, src):
        ann, ptype = src.get("param_annotation"), src.get("param_type")
        if ann == "$main-args":
            return [alt("$P", ("public static void main(String[] $P) {\n  ...\n}",))]
        if ann:
            return [alt("$P", (f"$RET $METHOD(..., @{ann}(...) $T $P, ...) {{\n  ...\n}}",))]
        if ptype:
            return [alt("$P", (f"$RET $METHOD(..., {ptype} $P, ...) {{\n  ...\n}}",))]
        raise Skip("parameter source")

    def function_pattern(self, p):
        name = p["pattern"].split(".")[-1]
        body = p.get("body")
        if body == "empty":
            return [{"pattern": f"$RET {name}(...) {{}}"}]
        if body == "returns-true":
            return [{"pattern": f"$RET {name}(...) {{ return true; }}"}]
        raise Skip(f"function body `{body}`")

    def lambda_arg(self, body):
        if body == "returns-true":
            return ["($LA, $LB) -> true", "($LA, $LB) -> { return true; }", "$LA -> true"]
        if body == "empty":
            return ["($LA, $LB) -> {}", "$LA -> {}"]
        raise Skip(f"lambda body `{body}`")


class Go(Lang):
    def split(self, path):
        if "/" not in path:
            return path.split("."), None
        i = path.rfind("/")
        head, tail = path[:i], path[i + 1 :].split(".")
        if len(tail) >= 2 and re.fullmatch(r"v\d+", tail[1]):  # gopkg.in/yaml.v2
            elem, rest = f"{tail[0]}.{tail[1]}", tail[2:]
        else:
            elem, rest = tail[0], tail[1:]
        imp = f"{head}/{elem}"
        pkg = elem
        if re.fullmatch(r"v\d+", pkg):  # github.com/go-chi/chi/v5
            pkg = head.rsplit("/", 1)[-1]
        pkg = re.sub(r"\.v\d+$", "", pkg).rsplit("-", 1)[-1]
        return [pkg] + rest, imp

    def first_alts(self, seg, lead, more, fresh):
        if is_cap(seg):
            out = []
            if lead != "*":
                types = GO_TYPES.get(seg)
                if types:
                    out += [(f"({fresh('R')} : {t})", (), True) for t in types]
                else:
                    self.note(f"receiver type `{seg}` unknown -> untyped metavariable")
                    out.append((fresh("R"), (), True))
            if lead:
                out.append((f"{fresh('X')}.{seg}", (), False))
            return out
        return super().first_alts(seg, lead, more, fresh)

    def middle(self, seg, fresh):
        if seg in ("*", "**"):
            return super().middle(seg, fresh)
        # A field or a method: `r.URL.Query()`, `w.Header().Set(...)`.
        return [f".{seg}", f".{seg}(...)"]

    def args(self, pos, kws):
        if kws:
            return None
        return ", ".join(pos)

    def calls(self, t, pos, kws=()):
        if kws:
            # Struct literals of package types are calls with the fields as keyword arguments.
            if not is_cap(t.name):
                return []
            fields = ", ".join(f"{n}: {v}" for n, v in kws)
            return [f"{t.expr()}{{..., {fields}, ...}}"]
        a = ", ".join(pos)
        if t.recv and t.name in ("Fprintf", "Fprint", "Fprintln"):
            # `fmt.Fprintf(w, ...)` is lowered as `w.Fprintf(...)`.
            return [f"fmt.{t.name}({t.recv}, {a})"]
        out = [f"{t.expr()}({a})"]
        if t.recv and t.name == "WriteString":
            out.append(f"io.WriteString({t.recv}, {a})")
        return out

    def struct(self, t: Target) -> str | None:
        return f"{t.expr()}{{...}}" if is_cap(t.name) else None

    def assign_sink(self, t, path):
        # A map field: `session.Values["k"] = v` stores into `session.Values`.
        return [
            alt(f"{t.expr()} = $SINK", t.inside, focus="$SINK"),
            alt(f"{t.expr()}[$KEY] = $SINK", t.inside, focus="$SINK"),
        ]


LANG_IMPL = {"python": Python, "javascript": JavaScript, "java": Java, "go": Go}


# ----------------------------------------------------------------------------- entries


def receiver_var(t: Target, whole: bool = False) -> str | None:
    """The metavariable at the root of a target's receiver (`$X1` in `$X1.foo(...)`,
    `$R2` in `(Statement $R2)`); with `whole`, only when it is the entire receiver."""
    if not t.recv:
        return None
    if whole:
        m = re.fullmatch(r"(\$\w+)|\([\w.]+ (\$\w+)\)|\((\$\w+) : [^)]*\)", t.recv)
        return next((g for g in m.groups() if g), None) if m else None
    m = re.search(r"\$[A-Z]\w*", t.recv)
    return m.group(0) if m else None


def positional(i: int, mv: str, prefix: str) -> list[str]:
    if i >= 0:
        return [f"${prefix}{k}" for k in range(i)] + [mv, "..."]
    return ["..."] + [mv] + [f"${prefix}{k}" for k in range(-i - 1)]


def source_alts(L: Lang, s: dict) -> list[dict]:
    if "pattern" not in s or s["pattern"] is None:
        if s.get("param_of"):
            raise Skip("param_of")
        return L.param_source(s)
    out = []
    # Java: a lowercase final name is a method (call only), a capitalised one a constant.
    names = s["_names"][1] if "_names" in s else [s["pattern"].rsplit(".", 1)[-1]]
    for t in L.expand(s["pattern"]):
        final_call = L.name == "java" and all(IDENT.fullmatch(n) and not is_cap(n) for n in names)
        final_attr = L.name == "java" and all(is_cap(n) for n in names)
        if t.ctor:
            out += [alt(c, t.inside) for c in L.calls(t, ["..."])]
            continue
        if t.recv and not final_call:
            out.append(alt(t.expr(), t.inside))
        if not final_attr:
            out += [alt(c, t.inside) for c in L.calls(t, ["..."])]
    return out


def sink_alts(L: Lang, s: dict) -> list[dict]:
    path = s["pattern"]
    out = []
    targets = L.expand(path)
    if L.name == "javascript" and path.startswith("jsx."):
        return [x for t in targets for x in L.jsx_attr(t)]
    if s.get("assign"):
        for t in targets:
            out += L.assign_sink(t, path)
        return out
    pos = s.get("args")
    kwargs = s.get("kwargs", [])
    if s.get("unless_receiver_called"):
        L.note("unless_receiver_called -> no such call (any arguments) on the receiver or its factory earlier in the function")
    for t in targets:
        extra = []
        if s.get("when_kwarg"):
            c = s["when_kwarg"]
            conds = [x for v in L.values(c["equals"]) for x in L.calls(t, ["..."], [(c["name"], v)])]
            if not conds:
                raise Skip("when_kwarg not expressible")
            extra.append({"pattern-either": [{"pattern": x} for x in conds]} if len(conds) > 1 else {"pattern": conds[0]})
        if s.get("when_arg_matches"):
            c = s["when_arg_matches"]
            conds = L.calls(t, positional(c["index"], "$COND", "W"))
            if not conds:
                raise Skip("when_arg_matches not expressible")
            extra.append({"pattern-either": [{"pattern": x} for x in conds]} if len(conds) > 1 else {"pattern": conds[0]})
            extra.append({"metavariable-regex": {"metavariable": "$COND", "regex": literal_regex(c["regex"])}})
        for k in s.get("unless_kwargs", []):
            for x in L.calls(t, ["..."], [(k, "$UNLESS")]):
                extra.append({"pattern-not": x})
        root = receiver_var(t)
        if s.get("unless_receiver_called") and root:
            m = s["unless_receiver_called"]["method"]
            extra += [
                {"pattern-not-inside": f"{root}.{m}(...);\n..."},
                {"pattern-not-inside": f"$FACTORY.{m}(...);\n...\n{root} = $FACTORY.$DERIVE(...);\n..."},
            ]
            if L.name == "java":
                extra.append({"pattern-not-inside": f"$FACTORY.{m}(...);\n...\n$TYPE {root} = $FACTORY.$DERIVE(...);\n..."})
        mains: list[tuple[str, str | None]] = []
        if pos is None:
            # Every positional argument (not the receiver).
            mains += [(c, "$SINK") for c in L.calls(t, ["...", "$SINK", "..."])]
        else:
            for i in pos:
                mains += [(c, "$SINK") for c in L.calls(t, positional(i, "$SINK", "A"))]
        for k in kwargs:
            mains += [(c, "$SINK") for c in L.calls(t, ["..."], [(k, "$SINK")])]
        if s.get("receiver"):
            if root and root == receiver_var(t, whole=True):
                mains += [(c, root) for c in L.calls(t, ["..."])]
            elif root:
                L.note("receiver sink on a receiver expression -> whole call")
                mains += [(c, None) for c in L.calls(t, ["..."])]
            elif not mains:
                continue  # `URL.openConnection` as a static call: no receiver object
        if not mains:
            raise Skip("sink shape not expressible")
        out += [alt(m, t.inside, extra, f) for m, f in mains]
        if L.name == "python" and path == "flask.make_response" and t.recv:
            # Flask view return values pass through `flask.make_response`.
            L.note("flask view return value as make_response argument")
            # Only string-shaped values (formatting, concatenation, a variable) are wrapped.
            shapes = ["$L + $R", "$L % $R", 'f"..."', "$S.format(...)", "$S.join(...)", "$S.replace(...)",
                      "$S.format_map(...)", "$T if $C else $E"]
            for ret in ("return $SINK", "return $SINK, $STATUS"):
                for cond in (
                    {"metavariable-pattern": {"metavariable": "$SINK", "pattern-either": [{"pattern": x} for x in shapes]}},
                    {"metavariable-regex": {"metavariable": "$SINK", "regex": r"^[A-Za-z_]\w*$"}},
                ):
                    out.append(
                        {
                            "patterns": [
                                {"pattern-inside": "@$APP.route(...)\ndef $VIEW(...):\n  ..."},
                                {"pattern": ret},
                                cond,
                                {"focus-metavariable": "$SINK"},
                            ]
                        }
                    )
    return out


def sanitizer_alts(L: Lang, path: str) -> list[dict]:
    out = []
    for t in L.expand(path):
        if L.name == "javascript" and t.name == "length":
            out.append(alt(t.expr(), t.inside))
            continue
        out += [alt(c, t.inside) for c in L.calls(t, ["..."])]
    return out


def propagator_alts(L: Lang, p: dict) -> list[dict]:
    eff = p["effect"]
    name = p["pattern"].split(".")[-1]
    if eff == "receiver":
        L.note("receiver propagator: any receiver of that method")
        if L.name == "go" and name in ("Fprintf", "Fprint", "Fprintln"):
            pat = f"fmt.{name}($TO, ..., $FROM, ...)"
        else:
            pat = f"$TO.{name}(..., $FROM, ...)"
        return [{"pattern": pat, "from": "$FROM", "to": "$TO"}]
    if eff == "arg0-from-args":
        return [{"pattern": f"{p['pattern']}($TO, ..., $FROM, ...)", "from": "$FROM", "to": "$TO"}]
    raise Skip(f"propagator effect `{eff}`")


def pattern_alts(L: Lang, p: dict) -> list[dict]:
    if p.get("function"):
        return L.function_pattern(p)
    if L.name == "go" and "/" in p["pattern"] and p["pattern"].endswith(".init"):
        # `net/http/pprof.init`: importing the package runs its init().
        return [{"pattern": f'import _ "{p["pattern"][: -len(".init")]}"'}]
    out = []
    targets = L.expand(p["pattern"])
    if p.get("assign"):
        vals = L.values(p["value"]) if p.get("value") is not None else ["$VALUE"]
        for t in targets:
            out += [alt(f"{t.expr()} = {v}", t.inside) for v in vals]
            upper = is_allcaps(t.name) or ("_names" in p and all(is_allcaps(n) for n in p["_names"][1]))
            if L.name == "python" and upper and t.recv and t.recv.startswith("$X"):
                # Module-level UPPER_CASE assignments are stores to `__module__.NAME`.
                out += [alt(f"{t.name} = {v}", t.inside) for v in vals]
        return out
    for t in targets:
        extra = []
        pos = ["..."]
        if p.get("regex") is not None:
            i = p.get("arg") or 0
            conds = L.calls(t, positional(i, "$ARG", "W"))
            if not conds:
                raise Skip("arg regex not expressible")
            extra.append({"pattern-either": [{"pattern": x} for x in conds]} if len(conds) > 1 else {"pattern": conds[0]})
            extra.append({"metavariable-regex": {"metavariable": "$ARG", "regex": literal_regex(p["regex"])}})
        if p.get("missing_kwarg"):
            nots = L.calls(t, ["..."], [(p["missing_kwarg"], "$GIVEN")])
            if not nots:
                raise Skip("missing_kwarg not expressible")
            extra += [{"pattern-not": x} for x in nots]
        if p.get("unless_arg_called"):
            c = p["unless_arg_called"]
            i = p.get("arg") or 0
            pos = positional(i, "$OBJ", "A")
            lit = plain_literal(c.get("args") or "")
            arg = lit if lit is not None else "..."
            extra.append({"pattern-not-inside": f"$OBJ.{c['method']}({arg});\n..."})
        if p.get("lambda_body"):
            i = p.get("arg") or 0
            mains = [x for lam in L.lambda_arg(p["lambda_body"]) for x in L.calls(t, positional(i, lam, "A")[:-1])]
        elif p.get("kwarg"):
            k = p["kwarg"]
            mains = [x for v in L.values(k["equals"]) for x in L.calls(t, ["..."], [(k["name"], v)])]
        elif L.name == "go" and p.get("missing_kwarg"):
            s = L.struct(t)
            mains = [s] if s else []
        else:
            mains = L.calls(t, pos)
        if not mains:
            raise Skip("pattern shape not expressible")
        out += [alt(m, t.inside, extra) for m in mains]
    return out


# ----------------------------------------------------------------------------- rules


IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def mergeable(L: Lang, path: str, entry: dict, keep: set[str]) -> bool:
    """Whether an entry may share one semgrep pattern with its siblings (same path prefix,
    same conditions), the final name becoming a metavariable with a metavariable-regex.
    Excluded: names rendered specially, and paths that are also sinks (a merged sanitizer
    must not swallow a sink of the same name)."""
    segs = path.split(".")
    name = segs[-1]
    if len(segs) < 2 or not IDENT.fullmatch(name) or path in keep or "/" in segs[-1]:
        return False
    if L.name == "python":
        return name != "__setitem__" and path != "flask.make_response"
    if L.name == "javascript":
        return not is_cap(name) and not path.startswith("jsx.") and name != "length"
    if L.name == "java":
        return not is_cap(name)
    if L.name == "go":
        return name not in ("Fprintf", "Fprint", "Fprintln", "WriteString", "init") and not (
            entry.get("kwargs") or entry.get("kwarg") or entry.get("missing_kwarg")
        )
    return False


def grouped(L: Lang, entries: list[dict], keep: set[str], label: str) -> list[tuple[dict, int]]:
    """Entries with the same path prefix and the same other fields become one entry whose final
    segment is a metavariable (`**.DB.$NAME1` + regex `^(Query|Exec|...)$`); returns
    (entry, number of TOML entries it stands for)."""
    groups: dict[str, list[dict]] = {}
    order: list[tuple[str | None, dict]] = []
    for e in entries:
        path = e.get("pattern")
        if path and mergeable(L, path, e, keep):
            k = key({**{x: y for x, y in e.items() if x not in ("pattern", "label")}, "@prefix": path.rsplit(".", 1)[0]})
            if k not in groups:
                groups[k] = []
                order.append((k, e))
            groups[k].append(e)
        else:
            order.append((None, e))
    out = []
    n = 0
    for k, e in order:
        if k is None:
            out.append((e, 1))
            continue
        members = groups[k]
        names = list(dict.fromkeys(m["pattern"].rsplit(".", 1)[1] for m in members))
        if len(names) == 1:
            out.append((e, len(members)))
            continue
        n += 1
        mv = f"$NAME{label}{n}"
        merged = {**e, "pattern": e["pattern"].rsplit(".", 1)[0] + "." + mv, "_names": (mv, names)}
        out.append((merged, len(members)))
    return out


def with_names(alts: list, entry: dict) -> list:
    """Constrain a merged entry's final-name metavariable to the original names."""
    if "_names" not in entry:
        return alts
    mv, names = entry["_names"]
    cond = {"metavariable-regex": {"metavariable": mv, "regex": "^(" + "|".join(names) + ")$"}}
    out = []
    for a in alts:
        if "pattern" in a and len(a) == 1:
            out.append({"patterns": [a, cond]})
        elif "patterns" in a:
            items = a["patterns"]
            focus = [i for i in items if "focus-metavariable" in i]
            out.append({"patterns": [i for i in items if "focus-metavariable" not in i] + [cond] + focus})
        else:
            out.append({"patterns": [a, cond]})
    return out


def translate(section: str, L: Lang, entry: dict, fn, weight: int = 1) -> list:
    """Run one entry's translation; `weight` is the number of TOML entries it stands for."""
    lang = L.name
    STATS.total[(lang, section)] += weight
    L.notes = set()
    try:
        alts = fn()
        for what in L.notes:
            STATS.approx[(lang, what)] += weight
    except Skip as e:
        STATS.skipped[(lang, section, str(e))] += weight
        return []
    if not alts:
        STATS.skipped[(lang, section, "nothing to emit")] += weight
        return []
    STATS.translated[(lang, section)] += weight
    return with_names(alts, entry)


def either(alts: list[dict]) -> dict:
    alts = dedupe(alts)
    return alts[0] if len(alts) == 1 else {"pattern-either": alts}


def label_of(kind: str) -> str:
    return re.sub(r"[^A-Z0-9]", "_", kind.upper())


def lang_rules(lang: str, languages: list[str]) -> list[dict]:
    spec = tomllib.loads((RULES_DIR / f"{lang}.toml").read_text())
    L = LANG_IMPL[lang](lang)

    # Paths that are sinks are never merged with siblings (see `mergeable`).
    sink_paths = {s["pattern"] for s in spec.get("sink", [])}

    sources = []  # (kind, alts)
    for s, w in grouped(L, spec.get("source", []), sink_paths, "S"):
        a = translate("source", L, s, lambda s=s: source_alts(L, s), w)
        if a:
            sources.append((s.get("kind", "web"), a))
    sanitizers = []  # (categories, path, alts)
    for s, w in grouped(L, spec.get("sanitizer", []), sink_paths, "Z"):
        a = translate("sanitizer", L, s, lambda s=s: sanitizer_alts(L, s["pattern"]), w)
        if a:
            sanitizers.append((set(s["categories"]), s["pattern"], a))
    propagators = []
    clean = [p for p in spec.get("propagator", []) if p["effect"] == "clean"]
    for p, w in grouped(L, clean, sink_paths, "C"):
        # The result is never tainted: a sanitizer for every category.
        a = translate("propagator", L, p, lambda p=p: sanitizer_alts(L, p["pattern"]), w)
        if a:
            sanitizers.append(({"*"}, p["pattern"], a))
    for p in spec.get("propagator", []):
        if p["effect"] != "clean":
            propagators += translate("propagator", L, p, lambda p=p: propagator_alts(L, p))
    sinks: dict[str, list] = {}
    for s, w in grouped(L, spec.get("sink", []), set(), "K"):
        a = translate("sink", L, s, lambda s=s: sink_alts(L, s), w)
        if a:
            sinks.setdefault(s["rule"], []).append((s, a))
    patterns: dict[str, list] = {}
    for p, w in grouped(L, spec.get("pattern", []), set(), "P"):
        a = translate("pattern", L, p, lambda p=p: pattern_alts(L, p), w)
        if a:
            patterns.setdefault(p["rule"], []).extend(a)

    present = {k for k, _ in sources}
    special = SPECIAL_KINDS | {k for s in spec.get("sink", []) for k in s.get("source_kinds") or []}

    def accepted(s: dict) -> frozenset:
        if s.get("source_kinds") is not None:
            return frozenset(s["source_kinds"]) & present
        return frozenset(present - special)

    out = []
    for r in spec.get("rule", []):
        STATS.our_rules[lang] += 1
        base = {
            "languages": languages,
            "severity": SEVERITY[r["severity"]],
            "message": r["title"],
            "metadata": {
                "category": r["category"],
                "cwe": r["cwe"],
                "owasp": r["owasp"],
                "confidence": r.get("confidence", "high"),
                "source": f"crates/secops-scan/rules/{lang}.toml",
            },
        }
        rsinks = sinks.get(r["id"], [])
        if rsinks:
            groups: dict[frozenset, list] = {}
            for s, a in rsinks:
                groups.setdefault(accepted(s), []).extend(a)
            kinds = frozenset().union(*groups)
            use_labels = len(groups) > 1
            src_by_label: dict[str | None, list] = {}
            for kind, a in sources:
                if kind in kinds:
                    src_by_label.setdefault(label_of(kind) if use_labels else None, []).extend(a)
            if not src_by_label:
                STATS.skipped[(lang, "rule", "taint rule without a source of an accepted kind")] += 1
            else:
                rule = {"id": r["id"], **base, "mode": "taint"}
                rule["pattern-sources"] = [
                    {**({"label": lb} if lb else {}), **either(a)} for lb, a in sorted(src_by_label.items(), key=lambda x: x[0] or "")
                ]
                rule["pattern-sinks"] = []
                for acc, a in groups.items():
                    item = either(a)
                    if use_labels:
                        item = {"requires": " or ".join(sorted(label_of(k) for k in acc)), **item}
                    rule["pattern-sinks"].append(item)
                # A call that is both a sink and "clean" here stays a sink.
                rule_sink_paths = {s["pattern"] for s in spec.get("sink", []) if s["rule"] == r["id"]}
                san = [
                    x
                    for cats, path, a in sanitizers
                    if ("*" in cats or r["category"] in cats) and path not in rule_sink_paths
                    for x in a
                ]
                if san:
                    rule["pattern-sanitizers"] = [either(san)]
                if propagators:
                    rule["pattern-propagators"] = dedupe(propagators)
                out.append(rule)
        rpats = patterns.get(r["id"], [])
        if rpats:
            rid = r["id"] + ".patterns" if rsinks else r["id"]
            out.append({"id": rid, **base, **either(rpats)})
        if not rsinks and not rpats:
            STATS.skipped[(lang, "rule", "no translatable sink or pattern")] += 1
    STATS.rules[lang] = len(out)
    STATS.patterns[lang] = count_patterns(out)
    return out


# ----------------------------------------------------------------------------- YAML


def scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(v, ensure_ascii=False)


def emit(v, indent: int = 0) -> list[str]:
    pad = " " * indent
    lines = []
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                if isinstance(x, list) and all(not isinstance(i, (dict, list)) for i in x):
                    lines.append(f"{pad}{k}: [{', '.join(scalar(i) for i in x)}]")
                else:
                    lines.append(f"{pad}{k}:")
                    lines += emit(x, indent + 2)
            else:
                lines.append(f"{pad}{k}: {scalar(x) if not isinstance(x, (dict, list)) else ('{}' if isinstance(x, dict) else '[]')}")
    elif isinstance(v, list):
        for x in v:
            sub = emit(x, indent + 2)
            if isinstance(x, (dict, list)) and sub:
                lines.append(f"{pad}- {sub[0].lstrip()}")
                lines += sub[1:]
            else:
                lines.append(f"{pad}- {scalar(x)}")
    else:
        lines.append(pad + scalar(v))
    return lines


HEADER = """\
GENERATED FILE - do not edit. Regenerate with:

    python3 bench/semgrep_rules_from_toml.py > bench-out/semgrep-rules.yml

A semgrep translation of secops's OWN SAST rules (crates/secops-scan/rules/{python,javascript,
java,go}.toml, format in crates/secops-scan/src/sast/spec.rs), so that bench/sast.sh times
semgrep on the same detection scope as `secops scan --only sast`: one semgrep rule per
[[rule]] (id = our rule id; a rule that has both sinks and call patterns also gets a search rule
`<id>.patterns`), with our sources, sinks, sanitizers, propagators and patterns. This is a
translation of our rules, not a copy of any published semgrep rule set.

The file is JSON (valid YAML too) because semgrep loads a JSON config several seconds faster
than the same rules as block YAML, which would otherwise count against semgrep in the timing;
this header is the "#" key, which semgrep ignores. `--yaml` writes the same rules as YAML.

Approximations (semgrep cannot say everything our engine does):
- Java `Type.method` paths become `(Type $R).method(...)` plus the static `Type.method(...)`;
  Go ones `($R : *pkg.Type).Method(...)` for the types in GO_TYPES in the generator and an
  untyped `$R.Method(...)` otherwise; Python ones a parameter annotated with the type or a
  variable assigned from its constructor; JS/TS ones the TypeScript-typed `($R : Type).x` plus
  the static `Type.x`.
- `*` / `**` path segments become metavariables; in the middle of a path they stand for one
  field or call (Python: up to three attributes; `**` also none). Go paths with an import path
  (`math/rand.Intn`) become `rand.Intn(...)` inside files importing that path. Sibling entries
  that differ only in the last name share one pattern with a metavariable-regex on the name.
- JS module names that are not identifiers (`js-yaml.load`) become the names code usually
  binds them to (`jsYaml.load`, `yaml.load`).
- Source kinds: web/env/argv sources feed every ordinary sink; kinds that some sink names in
  `source_kinds` (weak-random, ecb-mode, cert-none, ...) only feed those sinks (taint labels
  where one rule mixes both).
- Sinks on given arguments use focus-metavariable; `unless_receiver_called` becomes "no such
  call on the receiver (or the factory it came from) earlier in the same function, whatever
  its arguments"; param annotations become pattern-inside on the enclosing function.
- Entries that cannot be expressed are skipped; the generator prints counts to stderr.
"""


def compact_json(v, indent: int = 0, col: int = 0, width: int = 120) -> str:
    """JSON with every value that fits on its line written inline, the rest one item per line
    (smaller, easier to read and diff than one value per line). `col`: where `v` starts."""
    flat = json.dumps(v, ensure_ascii=False)
    if col + len(flat) <= width or not isinstance(v, (dict, list)) or not v:
        return flat
    pad = " " * (indent + 1)
    if isinstance(v, dict):
        items = []
        for k, x in v.items():
            head = f"{pad}{json.dumps(k)}: "
            items.append(head + compact_json(x, indent + 1, len(head), width))
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + compact_json(x, indent + 1, len(pad), width) for x in v]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def end_lines(v):
    """Multi-line patterns must end with a newline for semgrep's pattern parsers."""
    if isinstance(v, dict):
        return {k: end_lines(x) for k, x in v.items()}
    if isinstance(v, list):
        return [end_lines(x) for x in v]
    if isinstance(v, str) and "\n" in v and not v.endswith("\n"):
        return v + "\n"
    return v


def main() -> int:
    as_yaml = "--yaml" in sys.argv[1:]
    rules = []
    for lang, languages in LANGS:
        rules += lang_rules(lang, languages)
    rules = end_lines(rules)
    if as_yaml:
        comment = "".join(f"# {line}".rstrip() + "\n" for line in HEADER.splitlines())
        sys.stdout.write(comment + "\n".join(emit({"rules": rules})) + "\n")
    else:
        doc = {"#": HEADER.splitlines(), "rules": rules}
        sys.stdout.write(compact_json(doc) + "\n")

    w = sys.stderr.write
    w("semgrep rules emitted per language (from our [[rule]] entries):\n")
    for lang, _ in LANGS:
        w(f"  {lang:<11} {STATS.rules[lang]:>3} semgrep rules from {STATS.our_rules[lang]:>3} rules, {STATS.patterns[lang]:>5} patterns\n")
    w(f"  {'total':<11} {sum(STATS.rules.values()):>3} semgrep rules from {sum(STATS.our_rules.values()):>3} rules, {sum(STATS.patterns.values()):>5} patterns\n")
    w("entries translated / total:\n")
    sections = ["source", "sink", "sanitizer", "propagator", "pattern"]
    for lang, _ in LANGS:
        w(f"  {lang:<11} " + "  ".join(f"{s} {STATS.translated[(lang, s)]}/{STATS.total[(lang, s)]}" for s in sections) + "\n")
    tt, tot = sum(STATS.translated.values()), sum(STATS.total.values())
    w(f"  {'total':<11} {tt}/{tot} translated, {tot - tt} skipped\n")
    w("entries skipped by reason:\n")
    if not STATS.skipped:
        w("  (none)\n")
    for (lang, section, reason), n in sorted(STATS.skipped.items()):
        w(f"  {n:>4}  {lang} {section}: {reason}\n")
    w("approximations (entries):\n")
    for (lang, what), n in sorted(STATS.approx.items()):
        if n:
            w(f"  {n:>4}  {lang}: {what}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
