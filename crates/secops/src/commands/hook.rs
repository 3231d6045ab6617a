//! `secops hook install`: a pre-commit hook running `secops scan --staged`.

use crate::cli::HookCommand;
use anyhow::{bail, Context};
use std::path::PathBuf;
use std::process::Command;

const HOOK: &str = r#"#!/bin/sh
# Installed by `secops hook install`: block commits that add hardcoded secrets.
# Bypass once with `git commit --no-verify` (and think twice).
if ! command -v secops >/dev/null 2>&1; then
  echo "secops not found on PATH; skipping secret scan" >&2
  exit 0
fi
exec secops scan --staged --quiet --fail-on medium .
"#;

pub fn run(cmd: &HookCommand) -> anyhow::Result<u8> {
    match cmd {
        HookCommand::Install { path, force } => {
            let out = Command::new("git")
                .arg("-C")
                .arg(path)
                .args(["rev-parse", "--git-path", "hooks"])
                .output()
                .context("cannot run git")?;
            if !out.status.success() {
                bail!("{} is not inside a git repository", path.display());
            }
            let hooks = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            let hooks = if hooks.is_absolute() {
                hooks
            } else {
                path.join(hooks)
            };
            std::fs::create_dir_all(&hooks)
                .with_context(|| format!("creating {}", hooks.display()))?;
            let file = hooks.join("pre-commit");
            if file.exists() && !force {
                bail!(
                    "{} already exists; pass --force to replace it (or call `secops scan --staged` from it)",
                    file.display()
                );
            }
            std::fs::write(&file, HOOK).with_context(|| format!("writing {}", file.display()))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755))
                    .with_context(|| format!("making {} executable", file.display()))?;
            }
            eprintln!("installed {}", file.display());
            Ok(0)
        }
    }
}
