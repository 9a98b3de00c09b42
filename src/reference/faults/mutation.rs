//! The mutation score of the conformance suite: run the suite once per fault, each run in its
//! own process (`spatialflow-conformance verify --fault NAME --strict --json OUT`, because the
//! cucumber runner installs process-global state), and judge whether the run caught the fault.
//!
//! Running ([`run`]) and judging ([`judge`]) return plain data ([`MutationReport`]); only
//! [`MutationReport::render`] formats it.
//!
//! Verdict rule: a `must` fault is caught only when a `@must` scenario fails; a `should`
//! fault is caught when any scenario fails (under `--strict`, `@should` failures count).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::{Fault, Level};

/// One scenario record of `verify --json` (see `report::json`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct ScenarioRecord {
    /// Feature name.
    pub feature: String,
    /// Scenario name.
    pub scenario: String,
    /// Tags, with their `@`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// `must` or `should`.
    pub level: String,
    /// `PASSED`, `FAILED`, `WARNING` or `SKIPPED`.
    pub result: String,
    /// Failure message or skip reason.
    #[serde(default)]
    pub reason: Option<String>,
    /// Wall time in seconds.
    #[serde(default)]
    pub duration: f64,
}

impl ScenarioRecord {
    /// Whether the scenario did not hold (a warning is a failure not counted by the gate).
    pub fn failed(&self) -> bool {
        matches!(self.result.as_str(), "FAILED" | "WARNING")
    }

    /// The scenario's requirement level.
    pub fn level(&self) -> Level {
        if self.level.eq_ignore_ascii_case("should") {
            Level::Should
        } else {
            Level::Must
        }
    }
}

/// A scenario that caught a fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catch {
    /// Feature name.
    pub feature: String,
    /// Scenario name.
    pub scenario: String,
    /// Its requirement level.
    pub level: Level,
}

/// What became of one fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Caught at the fault's level (a `must` fault by a `@must` scenario).
    Caught,
    /// A `must` fault that only `@should` scenarios caught: a `@must` scenario is missing.
    CaughtOnlyAtShould,
    /// No scenario failed.
    Missed,
    /// The run itself did not produce results.
    Error(String),
}

impl Verdict {
    /// Whether the verdict counts as a kill in the score.
    pub fn is_kill(&self) -> bool {
        *self == Verdict::Caught
    }

    /// Short label for the report.
    pub fn label(&self) -> String {
        match self {
            Verdict::Caught => "caught".to_owned(),
            Verdict::CaughtOnlyAtShould => "MISSED at must (only @should caught it)".to_owned(),
            Verdict::Missed => "MISSED".to_owned(),
            Verdict::Error(e) => format!("ERROR: {e}"),
        }
    }
}

/// The judged run of one fault.
#[derive(Clone, Debug)]
pub struct FaultOutcome {
    /// The fault.
    pub fault: Fault,
    /// Scenarios that failed under it.
    pub caught_by: Vec<Catch>,
    /// The judgement.
    pub verdict: Verdict,
    /// Wall time of the run.
    pub duration: Duration,
}

/// The run against the correct reference (must be all green).
#[derive(Clone, Debug)]
pub struct Baseline {
    /// Scenarios that ran.
    pub scenarios: usize,
    /// Scenarios that failed (must be none).
    pub failed: Vec<Catch>,
    /// An error of the run itself.
    pub error: Option<String>,
    /// Wall time of the run.
    pub duration: Duration,
}

/// Everything a mutation run found.
#[derive(Clone, Debug)]
pub struct MutationReport {
    /// The suite against the correct reference.
    pub baseline: Option<Baseline>,
    /// One outcome per fault, in catalogue order.
    pub outcomes: Vec<FaultOutcome>,
    /// Wall time of the whole run.
    pub elapsed: Duration,
}

impl MutationReport {
    /// Killed faults and all faults.
    pub fn score(&self) -> (usize, usize) {
        let killed = self.outcomes.iter().filter(|o| o.verdict.is_kill()).count();
        (killed, self.outcomes.len())
    }

    /// The score as a percentage (100 when there is nothing to score).
    pub fn percent(&self) -> f64 {
        match self.score() {
            (_, 0) => 100.0,
            (killed, total) => killed as f64 * 100.0 / total as f64,
        }
    }

    /// Whether the baseline is green and every fault was caught.
    pub fn is_perfect(&self) -> bool {
        let baseline_ok = self
            .baseline
            .as_ref()
            .is_none_or(|b| b.failed.is_empty() && b.error.is_none() && b.scenarios > 0);
        baseline_ok && self.outcomes.iter().all(|o| o.verdict.is_kill())
    }

    /// The report as text: one row per fault, then the score.
    pub fn render(&self) -> String {
        let mut out = String::from("Mutation report of the conformance suite\n\n");
        if let Some(b) = &self.baseline {
            let _ = writeln!(
                out,
                "baseline (no fault): {} scenarios, {} failed{} ({:.1}s)",
                b.scenarios,
                b.failed.len(),
                b.error
                    .as_ref()
                    .map(|e| format!(", error: {e}"))
                    .unwrap_or_default(),
                b.duration.as_secs_f64()
            );
            for catch in &b.failed {
                let _ = writeln!(out, "    FAILED {}: {}", catch.feature, catch.scenario);
            }
            out.push('\n');
        }
        let width = self
            .outcomes
            .iter()
            .map(|o| o.fault.name().len())
            .max()
            .unwrap_or(5);
        let _ = writeln!(out, "{:width$}  level   verdict / caught by", "fault");
        for o in &self.outcomes {
            let _ = writeln!(
                out,
                "{:width$}  {:6}  {} ({} scenario{}, {:.1}s)",
                o.fault.name(),
                o.fault.level().as_str(),
                o.verdict.label(),
                o.caught_by.len(),
                if o.caught_by.len() == 1 { "" } else { "s" },
                o.duration.as_secs_f64()
            );
            for catch in o.caught_by.iter().take(MAX_LISTED) {
                let _ = writeln!(
                    out,
                    "{:width$}          @{} {}: {}",
                    "", catch.level, catch.feature, catch.scenario
                );
            }
            if o.caught_by.len() > MAX_LISTED {
                let _ = writeln!(
                    out,
                    "{:width$}          ... and {} more",
                    "",
                    o.caught_by.len() - MAX_LISTED
                );
            }
        }
        let (killed, total) = self.score();
        let _ = writeln!(
            out,
            "\nscore: {killed}/{total} faults caught = {:.1}%  (wall time {:.1}s)",
            self.percent(),
            self.elapsed.as_secs_f64()
        );
        out
    }
}

/// Scenarios listed per fault in the report (the count is always given).
const MAX_LISTED: usize = 4;

/// Judges the records of a run under `fault`.
pub fn judge(fault: Fault, records: &[ScenarioRecord], duration: Duration) -> FaultOutcome {
    let caught_by = failures(records);
    let verdict = if records.is_empty() {
        Verdict::Error("the run produced no scenario".to_owned())
    } else if caught_by.is_empty() {
        Verdict::Missed
    } else if fault.level() == Level::Must && caught_by.iter().all(|c| c.level == Level::Should) {
        Verdict::CaughtOnlyAtShould
    } else {
        Verdict::Caught
    };
    FaultOutcome {
        fault,
        caught_by,
        verdict,
        duration,
    }
}

/// The scenarios of a run that did not hold, `@must` ones first.
pub fn failures(records: &[ScenarioRecord]) -> Vec<Catch> {
    let mut failed: Vec<Catch> = records
        .iter()
        .filter(|r| r.failed())
        .map(|r| Catch {
            feature: r.feature.clone(),
            scenario: r.scenario.clone(),
            level: r.level(),
        })
        .collect();
    failed.sort_by_key(|c| c.level);
    failed
}

/// How to run the mutation.
#[derive(Clone, Debug)]
pub struct MutationOptions {
    /// The `spatialflow-conformance` binary that has the `verify` command.
    pub binary: PathBuf,
    /// Faults to run.
    pub faults: Vec<Fault>,
    /// Suite runs at a time (each one is a process with its own server).
    pub jobs: usize,
    /// Also run the suite against the correct reference.
    pub baseline: bool,
    /// Where the JSON records go (one file per run).
    pub out_dir: PathBuf,
}

impl MutationOptions {
    /// Every fault, 2 runs at a time, with the baseline, records under the temp directory.
    pub fn all(binary: PathBuf) -> Self {
        Self {
            binary,
            faults: Fault::ALL.to_vec(),
            jobs: 2,
            baseline: true,
            out_dir: std::env::temp_dir()
                .join(format!("spatialflow-mutation-{}", std::process::id())),
        }
    }
}

/// The records of one run, or why there are none.
type RunResult = Result<Vec<ScenarioRecord>, String>;

/// One finished run: its queue position, its fault (`None` for the baseline), what it gave and
/// how long it took.
type FinishedRun = (usize, Option<Fault>, RunResult, Duration);

/// Runs the suite once per fault (and once without), `jobs` processes at a time.
pub fn run(options: &MutationOptions) -> anyhow::Result<MutationReport> {
    std::fs::create_dir_all(&options.out_dir)?;
    let started = Instant::now();
    let mut queue: Vec<Option<Fault>> = Vec::new();
    if options.baseline {
        queue.push(None);
    }
    queue.extend(options.faults.iter().copied().map(Some));
    let next = Mutex::new(queue.into_iter().enumerate());
    let results: Mutex<Vec<FinishedRun>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| {
                loop {
                    let item = next.lock().expect("queue lock").next();
                    let Some((index, fault)) = item else { break };
                    let run_started = Instant::now();
                    let result = run_suite(&options.binary, fault, &options.out_dir);
                    results.lock().expect("results lock").push((
                        index,
                        fault,
                        result,
                        run_started.elapsed(),
                    ));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("results lock");
    results.sort_by_key(|(index, ..)| *index);
    let mut report = MutationReport {
        baseline: None,
        outcomes: Vec::new(),
        elapsed: Duration::ZERO,
    };
    for (_, fault, result, duration) in results {
        match (fault, result) {
            (None, Ok(records)) => {
                report.baseline = Some(Baseline {
                    scenarios: records.len(),
                    failed: failures(&records),
                    error: None,
                    duration,
                });
            }
            (None, Err(error)) => {
                report.baseline = Some(Baseline {
                    scenarios: 0,
                    failed: Vec::new(),
                    error: Some(error),
                    duration,
                });
            }
            (Some(fault), Ok(records)) => report.outcomes.push(judge(fault, &records, duration)),
            (Some(fault), Err(error)) => report.outcomes.push(FaultOutcome {
                fault,
                caught_by: Vec::new(),
                verdict: Verdict::Error(error),
                duration,
            }),
        }
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Variables `verify` reads that would change what a mutation run means.
const SUITE_VARIABLES: &[&str] = &[
    "SPATIALFLOW_BASE_URL",
    "SPATIALFLOW_MAILBOX_URL",
    "SPATIALFLOW_API_KEY",
    "SPATIALFLOW_USER_EMAIL",
    "SPATIALFLOW_USER_PASSWORD",
    "SPATIALFLOW_TAGS",
    "SPATIALFLOW_CONCURRENCY",
    "SPATIALFLOW_STRICT",
    "SPATIALFLOW_TIMEOUT_SECS",
    "SPATIALFLOW_RUN_TIMEOUT_SECS",
];

/// One `verify` process; its JSON records.
fn run_suite(binary: &Path, fault: Option<Fault>, out_dir: &Path) -> RunResult {
    let name = fault.map_or("baseline", Fault::name);
    let json = out_dir.join(format!("{name}.json"));
    let _ = std::fs::remove_file(&json);
    let mut command = Command::new(binary);
    command
        .arg("verify")
        .arg("--strict")
        .arg("--json")
        .arg(&json);
    if let Some(fault) = fault {
        command.arg("--fault").arg(fault.name());
    }
    // The suite's own environment must not point this run at another target or narrow it.
    for variable in SUITE_VARIABLES {
        command.env_remove(variable);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let output = command
        .output()
        .map_err(|e| format!("could not start {}: {e}", binary.display()))?;
    let text = std::fs::read_to_string(&json).map_err(|_| {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        format!(
            "no JSON records ({}{})",
            output.status,
            last.map(|l| format!(": {}", l.trim())).unwrap_or_default()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("unreadable JSON records: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(scenario: &str, level: &str, result: &str) -> ScenarioRecord {
        ScenarioRecord {
            feature: "Login".to_owned(),
            scenario: scenario.to_owned(),
            tags: vec![format!("@{level}")],
            level: level.to_owned(),
            result: result.to_owned(),
            reason: None,
            duration: 0.1,
        }
    }

    #[test]
    fn a_must_fault_caught_by_a_must_scenario_is_killed() {
        let records = [
            record("a", "must", "FAILED"),
            record("b", "should", "PASSED"),
        ];
        let outcome = judge(Fault::CookiesNotHttpOnly, &records, Duration::ZERO);
        assert_eq!(outcome.verdict, Verdict::Caught);
        assert_eq!(outcome.caught_by.len(), 1);
    }

    #[test]
    fn a_must_fault_caught_only_at_should_level_is_not_killed() {
        let records = [
            record("a", "must", "PASSED"),
            record("b", "should", "FAILED"),
        ];
        let outcome = judge(Fault::CookiesNotHttpOnly, &records, Duration::ZERO);
        assert_eq!(outcome.verdict, Verdict::CaughtOnlyAtShould);
        assert!(!outcome.verdict.is_kill());
    }

    #[test]
    fn a_should_fault_may_be_caught_at_should_level() {
        let records = [
            record("a", "must", "PASSED"),
            record("b", "should", "FAILED"),
        ];
        let outcome = judge(Fault::CookiesNotSecure, &records, Duration::ZERO);
        assert_eq!(outcome.verdict, Verdict::Caught);
    }

    #[test]
    fn a_green_run_misses_the_fault_and_an_empty_run_is_an_error() {
        let records = [record("a", "must", "PASSED")];
        let missed = judge(Fault::CookiesNotSecure, &records, Duration::ZERO);
        assert_eq!(missed.verdict, Verdict::Missed);
        let empty = judge(Fault::CookiesNotSecure, &[], Duration::ZERO);
        assert!(matches!(empty.verdict, Verdict::Error(_)));
    }

    #[test]
    fn the_report_gives_each_fault_its_verdict_and_the_score() {
        let report = MutationReport {
            baseline: None,
            outcomes: vec![
                judge(
                    Fault::CookiesNotSecure,
                    &[record("Cookies are Secure", "should", "FAILED")],
                    Duration::ZERO,
                ),
                judge(
                    Fault::LogoutKeepsCookies,
                    &[record("a", "must", "PASSED")],
                    Duration::ZERO,
                ),
            ],
            elapsed: Duration::from_secs(3),
        };
        let text = report.render();
        assert!(text.contains("cookies-not-secure"), "{text}");
        assert!(text.contains("@should Login: Cookies are Secure"), "{text}");
        assert!(text.contains("logout-keeps-cookies"), "{text}");
        assert!(text.contains("score: 1/2 faults caught = 50.0%"), "{text}");
        assert!(!report.is_perfect());
    }

    #[test]
    fn records_parse_from_the_json_of_verify() {
        let text = r#"[{"feature": "Login", "scenario": "s", "tags": ["@must"],
            "level": "must", "result": "FAILED", "reason": "status", "duration": 0.5}]"#;
        let records: Vec<ScenarioRecord> = serde_json::from_str(text).unwrap();
        assert!(records[0].failed());
        assert_eq!(records[0].level(), Level::Must);
    }
}
