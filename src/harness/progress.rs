//! The `verify` display: one line per finished scenario, with its result level and the
//! progress so far. Lines are printed whole, one `say!` each, so concurrent scenarios never
//! interleave; colour only when stdout is a terminal and `NO_COLOR` is unset.

use std::io::IsTerminal as _;

use std::sync::atomic::{AtomicUsize, Ordering};

use cucumber::gherkin::{Feature, Rule, Scenario};

use super::summary::{Level, Outcome, ScenarioResult};

/// Counts finished scenarios and prints their lines.
#[derive(Debug)]
pub struct Progress {
    total: usize,
    done: AtomicUsize,
    failed: AtomicUsize,
    colour: bool,
}

impl Progress {
    /// A display for `total` scenarios (0 when unknown).
    pub fn new(total: usize) -> Self {
        Self {
            total,
            done: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            colour: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    /// Prints the line of a finished scenario.
    pub fn finished(&self, result: &ScenarioResult, should_is_fatal: bool) {
        let word = result_word(result, should_is_fatal);
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        let failed = self
            .failed
            .fetch_add(usize::from(word == "FAILED"), Ordering::SeqCst)
            + usize::from(word == "FAILED");
        crate::say!("{}", self.line(done, failed, word, result));
    }

    fn line(&self, done: usize, failed: usize, word: &str, result: &ScenarioResult) -> String {
        let total = if self.total == 0 {
            "?".to_owned()
        } else {
            self.total.to_string()
        };
        let width = total.len();
        let level = match result.level {
            Level::Must => "@must  ",
            Level::Should => "@should",
            Level::Untagged => "suite  ",
        };
        let painted = if self.colour {
            paint(word)
        } else {
            format!("{word:<7}")
        };
        let failures = if failed > 0 {
            format!(", {failed} failed")
        } else {
            String::new()
        };
        format!(
            "[{done:>width$}/{total}{failures}] {painted} {level} {} / {}",
            result.feature, result.scenario
        )
    }
}

/// PASSED, WARNING or FAILED for a finished scenario.
pub fn result_word(result: &ScenarioResult, should_is_fatal: bool) -> &'static str {
    match &result.outcome {
        Outcome::Passed if result.warnings.is_empty() => "PASSED",
        Outcome::Passed => "WARNING",
        Outcome::Failed(_) if result.level == Level::Should && !should_is_fatal => "WARNING",
        Outcome::Failed(_) => "FAILED",
        Outcome::Skipped(_) => "SKIPPED",
    }
}

fn paint(word: &str) -> String {
    let code = match word {
        "PASSED" => "32",
        "WARNING" => "33",
        "FAILED" => "31;1",
        _ => "2",
    };
    format!("\x1b[{code}m{word:<7}\x1b[0m")
}

/// How many scenarios of `features` `selected` lets run, outline examples expanded.
pub fn count_selected<'a>(
    features: impl IntoIterator<Item = &'a Feature>,
    selected: impl Fn(&Feature, Option<&Rule>, &Scenario) -> bool,
) -> usize {
    features
        .into_iter()
        .map(|feature| {
            let direct = feature.scenarios.iter().map(|s| (None, s));
            let ruled = feature
                .rules
                .iter()
                .flat_map(|r| r.scenarios.iter().map(move |s| (Some(r), s)));
            direct
                .chain(ruled)
                .filter(|(rule, scenario)| selected(feature, *rule, scenario))
                .map(|(_, scenario)| expanded(scenario))
                .sum::<usize>()
        })
        .sum()
}

fn expanded(scenario: &Scenario) -> usize {
    if scenario.examples.is_empty() {
        return 1;
    }
    scenario
        .examples
        .iter()
        .map(|e| {
            e.table
                .as_ref()
                .map_or(0, |t| t.rows.len().saturating_sub(1))
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn result(level: Level, outcome: Outcome, warnings: &[&str]) -> ScenarioResult {
        ScenarioResult {
            feature: "Login".into(),
            scenario: "Logging in".into(),
            level,
            outcome,
            warnings: warnings.iter().map(|w| (*w).to_owned()).collect(),
            ..ScenarioResult::default()
        }
    }

    #[test]
    fn should_failures_are_warnings_unless_fatal_and_must_failures_fail() {
        let failed = |level| result(level, Outcome::Failed("x".into()), &[]);
        assert_eq!(result_word(&failed(Level::Should), false), "WARNING");
        assert_eq!(result_word(&failed(Level::Should), true), "FAILED");
        assert_eq!(result_word(&failed(Level::Must), false), "FAILED");
        let drifted = result(Level::Must, Outcome::Passed, &["snapshot differs"]);
        assert_eq!(result_word(&drifted, false), "WARNING");
    }

    #[test]
    fn a_line_shows_progress_failures_level_and_name() {
        let progress = Progress {
            total: 123,
            done: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            colour: false,
        };
        let r = result(Level::Should, Outcome::Passed, &[]);
        assert_eq!(
            progress.line(7, 0, "PASSED", &r),
            "[  7/123] PASSED  @should Login / Logging in"
        );
        let r = result(Level::Must, Outcome::Failed("x".into()), &[]);
        assert_eq!(
            progress.line(12, 2, "FAILED", &r),
            "[ 12/123, 2 failed] FAILED  @must   Login / Logging in"
        );
    }

    #[test]
    fn the_suite_counts_outline_rows_and_honours_the_selection() {
        let parsed = crate::harness::features::parse(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/features"
        )));
        let features: Vec<&Feature> = parsed.iter().flatten().collect();
        let all = count_selected(features.iter().copied(), |_, _, _| true);
        let must = count_selected(features, |f, _, s| {
            f.tags.iter().chain(&s.tags).any(|t| t == "must")
        });
        assert!(all > 100, "{all}");
        assert!(must > 0 && must < all);
    }
}
