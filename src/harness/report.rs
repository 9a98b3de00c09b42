//! Converts the run's results into the report model (`crate::report`) that the JUnit, JSON,
//! Markdown and HTML writers read.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::summary::{Level, Outcome, ScenarioResult, Summary};
use crate::report::{self, Evidence, ExchangeSummary, Requirement, RunReport, ScenarioReport};

/// Run-level facts the summary does not hold.
#[derive(Clone, Debug)]
pub struct RunFacts {
    /// Target base URL.
    pub target: String,
    /// Whether the target was the embedded reference.
    pub embedded: bool,
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// Wall time of the run.
    pub duration: Duration,
    /// The tag expression given on the command line, if any.
    pub tags: Option<String>,
}

/// The report of a run.
pub fn build_report(summary: &Summary, facts: &RunFacts) -> RunReport {
    RunReport {
        target: facts.target.clone(),
        embedded: facts.embedded,
        harness_version: env!("CARGO_PKG_VERSION").to_owned(),
        started_at: facts.started_at,
        duration: facts.duration,
        strict: summary.should_is_fatal,
        tags: facts.tags.clone(),
        scenarios: summary
            .results
            .iter()
            .map(|r| scenario_report(r, summary.should_is_fatal))
            .collect(),
    }
}

fn scenario_report(result: &ScenarioResult, strict: bool) -> ScenarioReport {
    let requirement = match result.level {
        Level::Should => Requirement::Should,
        Level::Must | Level::Untagged => Requirement::Must,
    };
    let (outcome, reason) = match &result.outcome {
        Outcome::Passed if !result.warnings.is_empty() => (
            report::Outcome::SnapshotDiffered,
            Some(result.warnings.join("\n")),
        ),
        Outcome::Passed => (report::Outcome::Passed, None),
        Outcome::Failed(msg) => (report::Outcome::Failed, Some(msg.clone())),
        Outcome::Skipped(why) => (report::Outcome::Skipped, Some(why.clone())),
    };
    let level = if result.level == Level::Untagged && outcome == report::Outcome::Failed {
        report::Level::Failed
    } else {
        report::level_of(outcome, requirement, strict)
    };
    let expected = reason.as_deref().and_then(|r| {
        r.lines()
            .find_map(|l| l.trim_start().strip_prefix("expected:"))
            .map(|e| e.trim().to_owned())
    });
    ScenarioReport {
        feature: result.feature.clone(),
        feature_file: result.feature_file.clone(),
        scenario: result.scenario.clone(),
        tags: result.tags.iter().map(|t| format!("@{t}")).collect(),
        requirement,
        outcome,
        level,
        reason,
        expected,
        evidence: result
            .evidence
            .clone()
            .map(|(request, response)| Evidence { request, response }),
        exchanges: result
            .exchanges
            .iter()
            .map(|e| ExchangeSummary {
                method: e.method.clone(),
                path: e.path.clone(),
                status: Some(e.status),
            })
            .collect(),
        duration: result.duration,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> RunFacts {
        RunFacts {
            target: "http://127.0.0.1:1".into(),
            embedded: false,
            started_at: Utc::now(),
            duration: Duration::ZERO,
            tags: None,
        }
    }

    #[test]
    fn levels_follow_requirement_and_strictness() {
        let summary = Summary {
            results: vec![
                ScenarioResult {
                    level: Level::Should,
                    outcome: Outcome::Failed(
                        "x check failed at y\n  expected: 401\n  actual:   200".into(),
                    ),
                    ..ScenarioResult::default()
                },
                ScenarioResult {
                    level: Level::Must,
                    outcome: Outcome::Passed,
                    warnings: vec!["snapshot differs".into()],
                    ..ScenarioResult::default()
                },
            ],
            ..Summary::default()
        };
        let report = build_report(&summary, &facts());
        assert_eq!(report.scenarios[0].level, report::Level::Warning);
        assert_eq!(report.scenarios[0].expected.as_deref(), Some("401"));
        assert_eq!(
            report.scenarios[1].outcome,
            report::Outcome::SnapshotDiffered
        );
        assert_eq!(report.verdict(), report::Verdict::Conformant);
    }
}
