//! Per-scenario results as data, and the one writer that turns them into the closing report.

use std::time::Duration;

/// The requirement level a scenario is tagged with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Level {
    /// `@must`: the contract states it.
    Must,
    /// `@should`: security practice beyond the contract.
    Should,
    /// Not classifiable: the scenario breaks the suite's own rules (no level, a @should without
    /// its source, a clock move without @serial); always a failure.
    #[default]
    Untagged,
}

impl Level {
    /// The level named by a scenario's (and its feature's) tags.
    pub fn from_tags<'a>(tags: impl IntoIterator<Item = &'a str>) -> Self {
        let mut level = Level::Untagged;
        for tag in tags {
            match tag.trim_start_matches('@') {
                "must" => return Level::Must,
                "should" => level = Level::Should,
                _ => {}
            }
        }
        level
    }
}

/// How one scenario ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Outcome {
    /// Every step passed.
    #[default]
    Passed,
    /// A step failed (message already redacted).
    Failed(String),
    /// Not run: the target lacks a capability (the reason).
    Skipped(String),
}

/// One request the scenario made, reduced to what coverage needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeRecord {
    /// HTTP method.
    pub method: String,
    /// Path without the query string.
    pub path: String,
    /// Response status.
    pub status: u16,
}

/// One scenario's result.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScenarioResult {
    /// Feature name.
    pub feature: String,
    /// Feature file path, relative to the features folder.
    pub feature_file: String,
    /// Scenario name.
    pub scenario: String,
    /// Tags of the feature and the scenario, without `@`.
    pub tags: Vec<String>,
    /// Requirement level.
    pub level: Level,
    /// Outcome.
    pub outcome: Outcome,
    /// Non-failing remarks (snapshot differences against a foreign target).
    pub warnings: Vec<String>,
    /// Every request made, in order.
    pub exchanges: Vec<ExchangeRecord>,
    /// The latest request and response, redacted, when the scenario failed.
    pub evidence: Option<(String, String)>,
    /// Wall time from the World's creation to the end of the scenario.
    pub duration: Duration,
}

/// Counts for the closing line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Scenarios that passed.
    pub passed: usize,
    /// Scenarios whose failure fails the run.
    pub failed: usize,
    /// Scenarios skipped for a missing capability.
    pub skipped: usize,
    /// @should scenarios that failed without failing the run.
    pub warned: usize,
}

/// Everything the run produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Scenario results in completion order.
    pub results: Vec<ScenarioResult>,
    /// Failures outside any scenario (feature parse errors, hook errors, no scenario run).
    pub run_errors: Vec<String>,
    /// Whether a failing @should scenario fails the run.
    pub should_is_fatal: bool,
}

impl Summary {
    /// Whether `result` fails the run.
    pub fn is_fatal(&self, result: &ScenarioResult) -> bool {
        match (&result.outcome, result.level) {
            (Outcome::Failed(_), Level::Should) => self.should_is_fatal,
            (Outcome::Failed(_), _) => true,
            _ => false,
        }
    }

    /// The counts.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for r in &self.results {
            match &r.outcome {
                Outcome::Passed => counts.passed += 1,
                Outcome::Skipped(_) => counts.skipped += 1,
                Outcome::Failed(_) if self.is_fatal(r) => counts.failed += 1,
                Outcome::Failed(_) => counts.warned += 1,
            }
        }
        counts.failed += self.run_errors.len();
        counts
    }

    /// Process exit code: 0 when nothing fatal happened.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.counts().failed > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::writer::render;

    fn result(level: Level, outcome: Outcome) -> ScenarioResult {
        ScenarioResult {
            feature: "Login".into(),
            scenario: "s".into(),
            level,
            outcome,
            ..ScenarioResult::default()
        }
    }

    #[test]
    fn level_comes_from_tags() {
        assert_eq!(Level::from_tags(["e2e-api", "must"]), Level::Must);
        assert_eq!(Level::from_tags(["should"]), Level::Should);
        assert_eq!(Level::from_tags(["clock"]), Level::Untagged);
    }

    #[test]
    fn should_failure_is_a_warning_unless_fatal() {
        let mut s = Summary {
            results: vec![
                result(Level::Must, Outcome::Passed),
                result(Level::Should, Outcome::Failed("x".into())),
                result(Level::Must, Outcome::Skipped("no clock".into())),
            ],
            ..Summary::default()
        };
        assert_eq!(
            s.counts(),
            Counts {
                passed: 1,
                failed: 0,
                skipped: 1,
                warned: 1
            }
        );
        assert_eq!(s.exit_code(), 0);
        let text = render(&s);
        assert!(text.contains("WARNING (should)"), "{text}");
        assert!(text.contains("skipped: Login / s: no clock"), "{text}");
        assert!(
            text.trim_end()
                .ends_with("conformance: 1 passed, 0 failed, 1 skipped"),
            "{text}"
        );
        s.should_is_fatal = true;
        assert_eq!(s.exit_code(), 1);
        assert!(render(&s).contains("FAILED (should)"));
    }

    #[test]
    fn must_failure_fails_the_run() {
        let s = Summary {
            results: vec![result(Level::Must, Outcome::Failed("status".into()))],
            ..Summary::default()
        };
        assert_eq!(s.exit_code(), 1);
        assert!(render(&s).contains("FAILED (must)"));
    }
}
