//! What the generators hand to the renderers: instances of credentials (or of hard negatives),
//! each a group of named values that belong together (an AWS key id and its secret, say).

use crate::{CorpusFile, Positive};
use std::collections::HashSet;

/// How a value is written.
#[derive(Clone, Debug)]
pub(crate) enum Val {
    /// A single-line literal.
    Lit(String),
    /// A multi-line literal (PEM block, pretty JSON). Lines joined with `\n`, no trailing newline.
    Block(String),
    /// Read from the environment variable of that name (negatives).
    Env(String),
    /// Looked up at run time through a function / config call with that key (negatives).
    Call(String),
}

#[derive(Clone, Debug)]
pub(crate) struct Item {
    /// Canonical lower snake case name; contexts re-case it.
    pub name: String,
    pub val: Val,
    /// `Some` for a labelled positive.
    pub label: Option<&'static str>,
    /// The text recorded as the secret; must occur in the rendered value.
    pub secret: String,
    /// A shell command line using the value (for the shell-command context).
    pub cmd: Option<String>,
}

impl Item {
    pub(crate) fn pos(name: &str, value: String, label: &'static str) -> Item {
        Item {
            name: name.to_string(),
            secret: value.clone(),
            val: Val::Lit(value),
            label: Some(label),
            cmd: None,
        }
    }

    pub(crate) fn block(name: &str, value: String, label: &'static str) -> Item {
        Item {
            name: name.to_string(),
            secret: value.clone(),
            val: Val::Block(value),
            label: Some(label),
            cmd: None,
        }
    }

    pub(crate) fn plain(name: &str, value: String) -> Item {
        Item {
            name: name.to_string(),
            secret: String::new(),
            val: Val::Lit(value),
            label: None,
            cmd: None,
        }
    }

    pub(crate) fn neg(name: &str, val: Val) -> Item {
        Item {
            name: name.to_string(),
            secret: String::new(),
            val,
            label: None,
            cmd: None,
        }
    }

    pub(crate) fn with_secret(mut self, s: String) -> Item {
        self.secret = s;
        self
    }

    pub(crate) fn with_cmd(mut self, c: String) -> Item {
        self.cmd = Some(c);
        self
    }

    pub(crate) fn lit(&self) -> Option<&str> {
        match &self.val {
            Val::Lit(s) | Val::Block(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Instance {
    pub items: Vec<Item>,
}

impl Instance {
    pub(crate) fn one(item: Item) -> Instance {
        Instance { items: vec![item] }
    }
}

/// A file under construction: lines plus the positives recorded so far.
#[derive(Default)]
pub(crate) struct Doc {
    pub lines: Vec<String>,
    pub pos: Vec<Positive>,
}

impl Doc {
    pub(crate) fn new() -> Doc {
        Doc::default()
    }

    pub(crate) fn push(&mut self, s: impl Into<String>) {
        let s: String = s.into();
        // Keep every entry a single line so that line numbers stay right.
        if s.contains('\n') {
            for l in s.split('\n') {
                self.lines.push(l.to_string());
            }
        } else {
            self.lines.push(s);
        }
    }

    pub(crate) fn extend(&mut self, v: Vec<String>) {
        for l in v {
            self.push(l);
        }
    }

    pub(crate) fn blank(&mut self) {
        self.lines.push(String::new());
    }

    /// Push `lines` (one logical entry) where `value_idx` is the line that holds the value.
    pub(crate) fn item(&mut self, lines: Vec<String>, value_idx: usize, item: &Item) {
        let base = self.lines.len();
        let n = lines.len();
        self.extend(lines);
        if let Some(label) = item.label {
            let line = base + value_idx.min(n.saturating_sub(1)) + 1;
            self.pos.push(Positive {
                line,
                end_line: line,
                label: label.to_string(),
                secret: item.secret.clone(),
            });
        }
    }

    /// Record a positive whose span is already in the document (0-based line indexes).
    pub(crate) fn mark(&mut self, first: usize, last: usize, item: &Item) {
        if let Some(label) = item.label {
            self.pos.push(Positive {
                line: first + 1,
                end_line: last + 1,
                label: label.to_string(),
                secret: item.secret.clone(),
            });
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.lines.len()
    }

    pub(crate) fn finish(self, path: String) -> CorpusFile {
        let mut content = self.lines.join("\n");
        content.push('\n');
        let mut positives = self.pos;
        positives.sort_by_key(|p| p.line);
        CorpusFile {
            path,
            content,
            positives,
        }
    }
}

/// Hands out unique, realistic paths: `<project>/<dir>/<file>`, moving to `<project>-N` when the
/// name is taken.
#[derive(Default)]
pub(crate) struct PathAlloc {
    used: HashSet<String>,
}

impl PathAlloc {
    pub(crate) fn new() -> PathAlloc {
        PathAlloc::default()
    }

    pub(crate) fn alloc(&mut self, project: &str, dir: &str, file: &str) -> String {
        let join = |root: &str| {
            if dir.is_empty() {
                format!("{root}/{file}")
            } else {
                format!("{root}/{dir}/{file}")
            }
        };
        let mut p = join(project);
        let mut k = 2;
        while self.used.contains(&p) {
            p = join(&format!("{project}-{k}"));
            k += 1;
        }
        self.used.insert(p.clone());
        p
    }
}
