//! The closing report of a run: the results formatted for people (the runner only returns data).

use std::fmt::Write as _;

use super::summary::{Level, Outcome, Summary};

/// The closing report: skipped scenarios with reasons, WARNING (should) and FAILED (must)
/// sections, and the final plain line.
pub fn render(summary: &Summary) -> String {
    let mut out = String::new();
    let section = |out: &mut String, title: &str, items: Vec<String>| {
        if !items.is_empty() {
            let _ = writeln!(out, "\n{title} ({})", items.len());
            for item in items {
                let _ = writeln!(out, "  {item}");
            }
        }
    };
    let skipped = summary
        .results
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Skipped(reason) => {
                Some(format!("skipped: {} / {}: {reason}", r.feature, r.scenario))
            }
            _ => None,
        })
        .collect();
    section(
        &mut out,
        "SKIPPED (capability missing on the target)",
        skipped,
    );
    let warnings = summary
        .results
        .iter()
        .flat_map(|r| {
            r.warnings
                .iter()
                .map(move |w| format!("{} / {}: {}", r.feature, r.scenario, indent(w)))
        })
        .collect();
    section(&mut out, "WARNING (snapshot)", warnings);
    let failed = |level: Level, fatal: bool| {
        summary
            .results
            .iter()
            .filter(|r| {
                r.level == level
                    && matches!(r.outcome, Outcome::Failed(_))
                    && summary.is_fatal(r) == fatal
            })
            .map(|r| match &r.outcome {
                Outcome::Failed(msg) => {
                    format!("{} / {}\n    {}", r.feature, r.scenario, indent(msg))
                }
                _ => unreachable!("filtered to failures"),
            })
            .collect::<Vec<_>>()
    };
    section(
        &mut out,
        "WARNING (should) security practice not met, run not failed",
        failed(Level::Should, false),
    );
    section(
        &mut out,
        "FAILED (should) security practice not met",
        failed(Level::Should, true),
    );
    section(
        &mut out,
        "FAILED (suite) scenario breaks the suite's own rules",
        failed(Level::Untagged, true),
    );
    section(
        &mut out,
        "FAILED (must) contract not met",
        failed(Level::Must, true),
    );
    section(&mut out, "FAILED (run)", summary.run_errors.clone());
    let c = summary.counts();
    if c.warned > 0 {
        let _ = writeln!(
            out,
            "\nconformance warnings: {} should-level scenarios failed",
            c.warned
        );
    }
    let _ = writeln!(
        out,
        "\nconformance: {} passed, {} failed, {} skipped",
        c.passed, c.failed, c.skipped
    );
    out
}

fn indent(text: &str) -> String {
    text.lines().collect::<Vec<_>>().join("\n    ")
}
