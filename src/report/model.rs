//! The result data of a conformance run.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// The requirement level of a scenario, from its tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Requirement {
    /// `@must`: the contract states it. A failure fails the release gate.
    Must,
    /// `@should`: security practice beyond the contract. A failure is a warning unless strict.
    Should,
}

impl Requirement {
    /// The level a scenario's tags give it; untagged scenarios count as `@must`, the stricter.
    pub fn from_tags<S: AsRef<str>>(tags: &[S]) -> Requirement {
        let should = tags
            .iter()
            .any(|t| t.as_ref().trim_start_matches('@') == "should");
        if should {
            Requirement::Should
        } else {
            Requirement::Must
        }
    }
}

/// What became of a scenario, before levels are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Every step passed.
    Passed,
    /// A step failed.
    Failed,
    /// Every step passed, but a snapshot differed from the recorded one (non-strict targets).
    SnapshotDiffered,
    /// Not run, for the reason given (a capability the target lacks).
    Skipped,
}

/// The result level shown to people: the outcome seen through the requirement and strictness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    /// The scenario holds.
    Passed,
    /// A `@should` failure or a snapshot difference, without `--strict`.
    Warning,
    /// Not run, with its reason.
    Skipped,
    /// A `@must` failure, or any failure with `--strict`.
    Failed,
}

impl Level {
    /// Upper-case name, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Passed => "PASSED",
            Level::Warning => "WARNING",
            Level::Skipped => "SKIPPED",
            Level::Failed => "FAILED",
        }
    }
}

/// One HTTP exchange a scenario made, reduced to what coverage needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExchangeSummary {
    /// HTTP method.
    pub method: String,
    /// Request path without the query string.
    pub path: String,
    /// Response status, `None` when no response came back.
    pub status: Option<u16>,
}

/// The redacted request and response behind a failure or warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Request line, headers and body, secrets redacted.
    pub request: String,
    /// Status line, headers and body, secrets redacted.
    pub response: String,
}

/// The result of one scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReport {
    /// Feature name (the first line of the feature file).
    pub feature: String,
    /// Feature file, relative to `features/`.
    pub feature_file: String,
    /// Scenario name, stable across runs (outline examples carry their row number).
    pub scenario: String,
    /// Tags of the scenario and its feature, with their `@`.
    pub tags: Vec<String>,
    /// Requirement level from the tags.
    pub requirement: Requirement,
    /// What happened.
    pub outcome: Outcome,
    /// The level shown, after requirement and strictness are applied.
    pub level: Level,
    /// Failure message, snapshot diff or skip reason.
    pub reason: Option<String>,
    /// The expected value of the failed check, when it has one.
    pub expected: Option<String>,
    /// The last exchange before the failure, for the report's evidence section.
    pub evidence: Option<Evidence>,
    /// Every exchange made, for the coverage table.
    pub exchanges: Vec<ExchangeSummary>,
    /// Wall time of the scenario.
    #[serde(serialize_with = "as_seconds")]
    pub duration: Duration,
}

/// Whether the target conforms at the chosen level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No scenario FAILED.
    Conformant,
    /// At least one scenario FAILED.
    NotConformant,
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// Base URL of the target (the embedded reference shows its loopback URL).
    pub target: String,
    /// Whether the target was the embedded reference server.
    pub embedded: bool,
    /// Version of this harness.
    pub harness_version: String,
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// Wall time of the run.
    #[serde(serialize_with = "as_seconds")]
    pub duration: Duration,
    /// Whether `@should` failures and snapshot differences fail the run.
    pub strict: bool,
    /// The cucumber tag expression that selected scenarios, if any.
    pub tags: Option<String>,
    /// Every scenario, in feature-file order.
    pub scenarios: Vec<ScenarioReport>,
}

impl RunReport {
    /// Number of scenarios at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.scenarios.iter().filter(|s| s.level == level).count()
    }

    /// `Conformant` when no scenario FAILED.
    pub fn verdict(&self) -> Verdict {
        if self.count(Level::Failed) == 0 {
            Verdict::Conformant
        } else {
            Verdict::NotConformant
        }
    }

    /// Scenarios grouped by feature, in order of first appearance.
    pub fn by_feature(&self) -> Vec<(&str, Vec<&ScenarioReport>)> {
        let mut groups: Vec<(&str, Vec<&ScenarioReport>)> = Vec::new();
        for scenario in &self.scenarios {
            match groups.iter_mut().find(|(f, _)| *f == scenario.feature) {
                Some((_, list)) => list.push(scenario),
                None => groups.push((&scenario.feature, vec![scenario])),
            }
        }
        groups
    }
}

/// The level of an outcome for a requirement, strict or not (issue: result levels).
pub fn level_of(outcome: Outcome, requirement: Requirement, strict: bool) -> Level {
    match (outcome, requirement, strict) {
        (Outcome::Passed, _, _) => Level::Passed,
        (Outcome::Skipped, _, _) => Level::Skipped,
        (_, _, true) => Level::Failed,
        (Outcome::Failed, Requirement::Must, false) => Level::Failed,
        (Outcome::Failed, Requirement::Should, false) => Level::Warning,
        (Outcome::SnapshotDiffered, _, false) => Level::Warning,
    }
}

fn as_seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1000.0).round() / 1000.0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn should_tags_make_should_scenarios_and_anything_else_is_must() {
        assert_eq!(
            Requirement::from_tags(&["@should", "@mailbox"]),
            Requirement::Should
        );
        assert_eq!(Requirement::from_tags(&["should"]), Requirement::Should);
        assert_eq!(Requirement::from_tags(&["@must"]), Requirement::Must);
        assert_eq!(Requirement::from_tags::<&str>(&[]), Requirement::Must);
    }

    #[test]
    fn levels_follow_requirement_and_strictness() {
        use Outcome::*;
        use Requirement::*;
        assert_eq!(level_of(Failed, Must, false), Level::Failed);
        assert_eq!(level_of(Failed, Should, false), Level::Warning);
        assert_eq!(level_of(Failed, Should, true), Level::Failed);
        assert_eq!(level_of(SnapshotDiffered, Must, false), Level::Warning);
        assert_eq!(level_of(SnapshotDiffered, Must, true), Level::Failed);
        assert_eq!(level_of(Skipped, Must, true), Level::Skipped);
        assert_eq!(level_of(Passed, Should, true), Level::Passed);
    }

    /// A small report with one scenario of each level, for the writers' tests.
    pub(crate) fn sample() -> RunReport {
        let scenario = |feature: &str, name: &str, req, outcome, reason: Option<&str>| {
            let level = level_of(outcome, req, false);
            ScenarioReport {
                feature: feature.into(),
                feature_file: format!("{}.feature", feature.to_lowercase()),
                scenario: name.into(),
                tags: vec![match req {
                    Requirement::Must => "@must".into(),
                    Requirement::Should => "@should".into(),
                }],
                requirement: req,
                outcome,
                level,
                reason: reason.map(Into::into),
                expected: (level == Level::Failed).then(|| "status 200".into()),
                evidence: (level == Level::Failed).then(|| Evidence {
                    request: "POST /api/v1/auth/login\n\n{\"password\": \"[redacted]\"}".into(),
                    response: "HTTP 500\n\n<oops & \"quotes\">".into(),
                }),
                exchanges: (level != Level::Skipped)
                    .then(|| ExchangeSummary {
                        method: "POST".into(),
                        path: "/api/v1/auth/login".into(),
                        status: Some(if level == Level::Failed { 500 } else { 200 }),
                    })
                    .into_iter()
                    .collect(),
                duration: Duration::from_millis(12),
            }
        };
        RunReport {
            target: "http://127.0.0.1:1234".into(),
            embedded: true,
            harness_version: "0.1.0".into(),
            started_at: DateTime::parse_from_rfc3339("2026-12-04T10:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            duration: Duration::from_millis(1500),
            strict: false,
            tags: None,
            scenarios: vec![
                scenario(
                    "Login",
                    "A verified user logs in",
                    Requirement::Must,
                    Outcome::Passed,
                    None,
                ),
                scenario(
                    "Login",
                    "Login fails <loudly>",
                    Requirement::Must,
                    Outcome::Failed,
                    Some("expected status 200, got 500"),
                ),
                scenario(
                    "Login",
                    "Cookies are HttpOnly",
                    Requirement::Should,
                    Outcome::Failed,
                    Some("cookie access_token lacks HttpOnly"),
                ),
                scenario(
                    "Verify email",
                    "Link from the email works",
                    Requirement::Must,
                    Outcome::Skipped,
                    Some("the target has no mailbox (SPATIALFLOW_MAILBOX_URL is unset)"),
                ),
            ],
        }
    }

    #[test]
    fn the_verdict_is_not_conformant_when_one_scenario_failed() {
        let mut report = sample();
        assert_eq!(report.verdict(), Verdict::NotConformant);
        assert_eq!(report.count(Level::Warning), 1);
        report.scenarios.remove(1);
        assert_eq!(report.verdict(), Verdict::Conformant);
    }
}
