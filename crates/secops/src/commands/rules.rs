//! `secops rules`: the rule catalog.

use crate::cli::{Format, RulesArgs};
use secops_core::Config;
use secops_scan::secrets::{EngineOptions, SecretsEngine};

pub fn run(args: &RulesArgs) -> anyhow::Result<u8> {
    let config = match &args.config {
        Some(p) => Config::load(p, Some(p))?,
        None => Config::default(),
    };
    let engine = SecretsEngine::new(&config, EngineOptions::default())?;
    let mut metas = engine.rule_metas();
    metas.extend(
        secops_scan::sast::SastEngine::builtin(secops_scan::sast::SastOptions::default())?
            .rule_metas(),
    );
    let format = if args.json { Format::Json } else { args.format };
    match format {
        Format::Json | Format::Sarif => {
            let v = serde_json::json!({
                "schema_version": secops_core::report::SCHEMA_VERSION,
                "rules": metas,
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        Format::Markdown => print!("{}", crate::report::markdown::rules_doc(&metas)),
        Format::Text => {
            let width = metas.iter().map(|m| m.id.len()).max().unwrap_or(10);
            for m in &metas {
                println!("{:<width$}  {:<8}  {}", m.id, m.severity.as_str(), m.title);
            }
            println!(
                "\n{} rules. `secops rules --json` shows help texts and CWE ids.",
                metas.len()
            );
        }
    }
    Ok(0)
}
