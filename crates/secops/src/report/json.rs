//! JSON output: the report as is (it carries `schema_version`).

use secops_core::Report;

pub fn render(report: &Report) -> anyhow::Result<String> {
    let mut s = serde_json::to_string_pretty(report)?;
    s.push('\n');
    Ok(s)
}
