//! `--report PATH.md`: the conformance report in Markdown, readable raw in a CI log.
//!
//! Every text that comes from a run (scenario names, reasons, evidence) is escaped, so the same
//! document converts safely to HTML (see [`super::html`]).

use std::fmt::Write;

use super::coverage::coverage;
use super::{Level, Requirement, RunReport, ScenarioReport, Verdict};

/// The Markdown conformance report.
pub fn render(report: &RunReport) -> String {
    let mut out = String::new();
    write_header(&mut out, report);
    write_counts(&mut out, report);
    write_matrix(&mut out, report);
    write_coverage(&mut out, report);
    write_evidence(&mut out, report);
    write_skipped(&mut out, report);
    out
}

fn write_header(out: &mut String, report: &RunReport) {
    let verdict = match report.verdict() {
        Verdict::Conformant => "CONFORMANT",
        Verdict::NotConformant => "NOT CONFORMANT",
    };
    let level = if report.strict {
        "strict: @must and @should scenarios and snapshots gate"
    } else {
        "contract: @must scenarios gate; @should failures are warnings"
    };
    let target = if report.embedded {
        format!("{} (embedded reference server)", report.target)
    } else {
        report.target.clone()
    };
    let _ = writeln!(out, "# SpatialFlow Authentication API conformance report\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| Verdict | **{verdict}** |");
    let _ = writeln!(out, "| Target | {} |", cell(&target));
    let _ = writeln!(
        out,
        "| Harness | spatialflow-conformance {} |",
        cell(&report.harness_version)
    );
    let _ = writeln!(
        out,
        "| Date | {} |",
        report.started_at.format("%Y-%m-%d %H:%M:%S UTC")
    );
    let _ = writeln!(out, "| Duration | {:.2} s |", report.duration.as_secs_f64());
    let _ = writeln!(out, "| Level | {level} |");
    if let Some(tags) = &report.tags {
        let _ = writeln!(out, "| Tags | `{}` |", code(tags));
    }
    out.push('\n');
}

fn write_counts(out: &mut String, report: &RunReport) {
    let _ = writeln!(
        out,
        "## Results\n\n| Result | @must | @should | Total |\n|---|---:|---:|---:|"
    );
    for level in [Level::Passed, Level::Failed, Level::Warning, Level::Skipped] {
        let count = |req| {
            report
                .scenarios
                .iter()
                .filter(|s| s.level == level && s.requirement == req)
                .count()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            badge(level),
            count(Requirement::Must),
            count(Requirement::Should),
            report.count(level)
        );
    }
    out.push('\n');
}

fn write_matrix(out: &mut String, report: &RunReport) {
    let _ = writeln!(out, "## Endpoints and behaviours\n");
    for (feature, scenarios) in report.by_feature() {
        let file = scenarios
            .first()
            .map(|s| s.feature_file.as_str())
            .unwrap_or_default();
        let _ = writeln!(out, "### {} (`{}`)\n", text(feature), code(file));
        let _ = writeln!(out, "| Behaviour | Level | Result |\n|---|---|---|");
        for s in scenarios {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&s.scenario),
                requirement(s.requirement),
                badge(s.level)
            );
        }
        out.push('\n');
    }
}

fn write_coverage(out: &mut String, report: &RunReport) {
    let pairs = coverage(report);
    let covered = pairs.iter().filter(|p| p.is_covered()).count();
    let _ = writeln!(
        out,
        "## Coverage of documented statuses\n\n{covered} of {} (endpoint, status) pairs of the contract were exercised.\n",
        pairs.len()
    );
    let _ = writeln!(out, "| Endpoint | Status | Exercised by |\n|---|---|---|");
    for pair in pairs {
        let by = if pair.is_covered() {
            pair.scenarios
                .iter()
                .map(|s| cell(s))
                .collect::<Vec<_>>()
                .join("<br>")
        } else {
            "**NOT EXERCISED**".to_owned()
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {by} |",
            pair.endpoint.label(),
            pair.status
        );
    }
    out.push('\n');
}

fn write_evidence(out: &mut String, report: &RunReport) {
    let flagged: Vec<&ScenarioReport> = report
        .scenarios
        .iter()
        .filter(|s| matches!(s.level, Level::Failed | Level::Warning))
        .collect();
    if flagged.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Failures and warnings\n");
    for s in flagged {
        let _ = writeln!(
            out,
            "### {}: {} / {}\n",
            s.level.as_str(),
            text(&s.feature),
            text(&s.scenario)
        );
        let _ = writeln!(
            out,
            "Level: {}. Tags: {}\n",
            requirement(s.requirement),
            text(&s.tags.join(" "))
        );
        if let Some(reason) = &s.reason {
            let _ = writeln!(out, "{}", fenced("text", reason));
        }
        if let Some(expected) = &s.expected {
            let _ = writeln!(out, "Expected:\n\n{}", fenced("text", expected));
        }
        if let Some(evidence) = &s.evidence {
            let _ = writeln!(out, "Request:\n\n{}", fenced("http", &evidence.request));
            let _ = writeln!(out, "Response:\n\n{}", fenced("http", &evidence.response));
        }
    }
}

fn write_skipped(out: &mut String, report: &RunReport) {
    let skipped: Vec<&ScenarioReport> = report
        .scenarios
        .iter()
        .filter(|s| s.level == Level::Skipped)
        .collect();
    if skipped.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Skipped\n");
    for s in skipped {
        let reason = s.reason.as_deref().unwrap_or("no reason given");
        let _ = writeln!(
            out,
            "- {} / {}: {}",
            text(&s.feature),
            text(&s.scenario),
            text(reason)
        );
    }
    out.push('\n');
}

fn badge(level: Level) -> &'static str {
    match level {
        Level::Passed => "PASSED",
        Level::Failed => "**FAILED**",
        Level::Warning => "*WARNING*",
        Level::Skipped => "SKIPPED",
    }
}

fn requirement(req: Requirement) -> &'static str {
    match req {
        Requirement::Must => "must",
        Requirement::Should => "should",
    }
}

/// Inline text with Markdown and HTML specials neutralised.
fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Text for inside a code span: no escapes apply there, so only what would end the span or the
/// table cell is replaced.
fn code(raw: &str) -> String {
    raw.replace('`', "'")
        .replace('|', "/")
        .replace(['\n', '\r'], " ")
}

/// A table cell: [`text`] on one line.
fn cell(raw: &str) -> String {
    text(raw)
}

/// A fenced code block whose fence is longer than any backtick run inside.
fn fenced(lang: &str, body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{lang}\n{}\n{fence}\n", body.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::tests::sample;

    #[test]
    fn the_header_gives_target_version_date_and_verdict() {
        let md = render(&sample());
        assert!(md.contains("| Verdict | **NOT CONFORMANT** |"));
        assert!(md.contains("http://127.0.0.1:1234 (embedded reference server)"));
        assert!(md.contains("| Date | 2026-12-04 10:00:00 UTC |"));
        assert!(md.contains("| Harness | spatialflow-conformance 0.1.0 |"));
    }

    #[test]
    fn counts_split_must_and_should() {
        let md = render(&sample());
        assert!(md.contains("| *WARNING* | 0 | 1 | 1 |"), "{md}");
        assert!(md.contains("| **FAILED** | 1 | 0 | 1 |"));
    }

    #[test]
    fn uncovered_pairs_are_marked() {
        let md = render(&sample());
        assert!(
            md.contains("| `POST /api/v1/auth/login` | 400 | **NOT EXERCISED** |"),
            "{md}"
        );
        assert!(md.contains("| `POST /api/v1/auth/login` | 200 | Login / A verified user logs in"));
    }

    #[test]
    fn failures_carry_their_evidence_and_names_are_escaped() {
        let md = render(&sample());
        assert!(md.contains("### FAILED: Login / Login fails &lt;loudly&gt;"));
        assert!(md.contains("### WARNING: Login / Cookies are HttpOnly"));
        assert!(md.contains("```http\nPOST /api/v1/auth/login"));
        assert!(md.contains("Expected:\n\n```text\nstatus 200\n```"));
        assert!(md.contains(
            "## Skipped\n\n- Verify email / Link from the email works: the target has no mailbox"
        ));
    }

    #[test]
    fn fences_outgrow_backticks_in_the_body() {
        assert_eq!(fenced("text", "a ``` b"), "````text\na ``` b\n````\n");
    }
}
