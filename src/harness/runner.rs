//! Runs the cucumber suite against a target and returns plain result data.
//!
//! Generic over the World so that the test target and the `verify` command share it.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use clap::Parser as _;
use cucumber::event::ScenarioFinished;
use cucumber::tag::Ext as _;
use cucumber::writer::Stats as _;
use cucumber::{World, cli};
use futures::FutureExt as _;

use super::args::{Translated, translate};
use super::capabilities::Capabilities;
use super::config::Settings;
use super::console::Console;
use super::context::RunContext;
use super::exchange::Exchange;
use super::features;
use super::mailbox::Mailbox;
use super::progress::{self, Progress};
use super::redact::redact;
use super::summary::{ExchangeRecord, Level, Outcome, ScenarioResult, Summary};
use super::wire::{Service, WireLog, WireRecord};

/// A World the runner can drive: it hands over its non-failing warnings at the end.
pub trait SuiteWorld: World + cucumber::codegen::WorldInventory + std::fmt::Debug {
    /// Takes the warnings (snapshot differences) recorded during the scenario.
    fn take_warnings(&mut self) -> Vec<String>;
    /// Every exchange the scenario recorded, in order.
    fn exchanges(&self) -> &[Exchange];
    /// When the World was created (the scenario's start).
    fn started(&self) -> std::time::Instant;
    /// The scenario's wire log (empty unless the run records requests).
    fn wire(&self) -> Vec<WireRecord>;
}

/// What to run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Folder of `.feature` files.
    pub features: PathBuf,
    /// Folder of `.snap` files.
    pub snapshots: PathBuf,
    /// Command-line arguments, program name first (libtest style accepted).
    pub args: Vec<String>,
    /// Default scenario concurrency (cucumber's `-c` overrides it).
    pub concurrency: usize,
    /// Target settings; `None` reads them from the environment (the `verify` command passes
    /// its flags here).
    pub settings: Option<Settings>,
    /// How the run shows itself while it runs.
    pub display: Display,
    /// Where to write every request the scenarios sent, for the benchmark's replay
    /// (`None`: nothing is written). The file holds credentials: it is a local benchmark input,
    /// never a report.
    pub record_requests: Option<PathBuf>,
}

/// The requests of one run, as `spatialflow-conformance bench` replays them.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RecordedRun {
    /// Wall time of the run in microseconds: from the moment the target is up (the preflight)
    /// to the verdict.
    pub duration_us: u64,
    /// Scenario concurrency of the run.
    pub concurrency: usize,
    /// The start-up exchanges (preflight, then the capability probes), in rounds: the
    /// exchanges of a round were sent together, the rounds one after another.
    #[serde(default)]
    pub start_up: Vec<Vec<WireRecord>>,
    /// Every scenario that ran, in completion order.
    pub scenarios: Vec<RecordedScenario>,
}

/// The exchanges one scenario made, in order.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RecordedScenario {
    /// Whether the scenario ran alone (`@serial`).
    pub serial: bool,
    /// Its exchanges with the API and the mailbox, in order.
    pub exchanges: Vec<WireRecord>,
}

/// What the run prints while scenarios run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Display {
    /// cucumber's own output: every step of every scenario (for `cargo test`).
    #[default]
    Steps,
    /// One line per finished scenario with its level and the progress (for `verify`).
    Progress,
}

/// A running embedded target: its base URL and whatever keeps it alive (dropped after the run).
pub struct EmbeddedTarget {
    /// Base URL without trailing slash.
    pub base_url: String,
    /// Dropping this stops the server.
    pub guard: Box<dyn std::any::Any>,
}

/// What the run produced.
#[derive(Debug)]
pub struct RunOutcome {
    /// Per-scenario results.
    pub summary: Summary,
    /// The same results in the report model, for the JUnit/JSON/Markdown/HTML writers
    /// (`None` when nothing ran, e.g. `--list`).
    pub report: Option<crate::report::RunReport>,
    /// Process exit code.
    pub exit_code: i32,
}

/// Resolves the target (environment or embedded reference), runs the suite and prints the
/// level-aware summary. Builds its own tokio runtime: call it from synchronous code (from async
/// code, await [`run`]). `start_embedded` is called only when no base URL is configured.
pub fn run_blocking<W: SuiteWorld + 'static>(
    options: RunOptions,
    start_embedded: impl FnOnce() -> anyhow::Result<EmbeddedTarget>,
) -> anyhow::Result<RunOutcome> {
    // Current-thread: every scenario runs inside cucumber's one future anyway, and the client's
    // connection tasks are cheaper beside it than on worker threads (see `main.rs`).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("Failed to build the tokio runtime")?;
    runtime.block_on(run::<W>(options, start_embedded))
}

/// [`run_blocking`] for callers already inside a tokio runtime (the `verify` command).
pub async fn run<W: SuiteWorld + 'static>(
    options: RunOptions,
    start_embedded: impl FnOnce() -> anyhow::Result<EmbeddedTarget>,
) -> anyhow::Result<RunOutcome> {
    let translated = translate(&options.args);
    if translated.list_only {
        return Ok(RunOutcome {
            summary: Summary::default(),
            report: None,
            exit_code: 0,
        });
    }
    let warm_up = WarmUp::start::<W>(&options);
    let settings = options.settings.clone().unwrap_or_else(Settings::from_env);
    // The embedded reference runs on its own thread and runtime; starting it blocks briefly.
    let embedded = match &settings.base_url {
        Some(_) => None,
        None => Some(start_embedded().context("Failed to start the embedded reference")?),
    };
    let base_url = match (&settings.base_url, &embedded) {
        (Some(url), _) => url.clone(),
        (None, Some(server)) => server.base_url.clone(),
        (None, None) => unreachable!("embedded server started when no base URL is set"),
    };
    let run_timeout = settings.run_timeout;
    let run = run_against::<W>(
        options,
        translated,
        settings,
        base_url,
        embedded.is_some(),
        warm_up,
    );
    let outcome = if run_timeout.is_zero() {
        run.await
    } else {
        // Each request is bounded by the per-request timeout; this bounds their sum, so a
        // target that answers every request just in time cannot keep the gate busy forever.
        tokio::time::timeout(run_timeout, run)
            .await
            .unwrap_or_else(|_| {
                crate::say!(
                    "conformance: cannot run: the run did not finish within {} s \
                     (--run-timeout, {}); the target answers too slowly or not at all",
                    run_timeout.as_secs(),
                    super::config::ENV_RUN_TIMEOUT_SECS
                );
                Ok(RunOutcome {
                    summary: Summary::default(),
                    report: None,
                    exit_code: 2,
                })
            })
    };
    drop(embedded);
    outcome
}

async fn run_against<W: SuiteWorld + 'static>(
    options: RunOptions,
    translated: Translated,
    settings: Settings,
    base_url: String,
    embedded: bool,
    warm_up: WarmUp,
) -> anyhow::Result<RunOutcome> {
    let started_at = chrono::Utc::now();
    let started = std::time::Instant::now();
    let mailbox_url = settings
        .mailbox_url
        .clone()
        .unwrap_or_else(|| format!("{base_url}/_mailpit"));
    // One connection pool for the probes and every scenario (each scenario brings its own jar).
    let pool = super::client::client_builder(&base_url)
        .timeout(settings.timeout)
        .build()
        .context("Failed to build the HTTP client")?;
    // One clear line and exit 2 when the target is not there or is not this API, instead of a
    // wall of failed scenarios.
    let preflight_timeout = settings
        .timeout
        .min(crate::gate::preflight::PREFLIGHT_TIMEOUT);
    if let Err(err) = crate::gate::preflight::probe(&base_url, preflight_timeout).await {
        crate::say!("conformance: cannot run: {err}");
        return Ok(RunOutcome {
            summary: Summary::default(),
            report: None,
            exit_code: 2,
        });
    }
    // The mailbox has its own cookieless client, shared by every scenario through the context.
    let mail_client = super::client::client_builder(&mailbox_url)
        .timeout(settings.timeout)
        .build()
        .context("Failed to build the mailbox client")?;
    let mailbox = Mailbox::new(mail_client, &mailbox_url, settings.timeout);
    let recording = options.record_requests.is_some();
    let probes = WireLog::new(recording);
    let capabilities = Capabilities::probe(&pool, &base_url, &mailbox, &settings, &probes).await;
    // Compile the schemas now, so a broken schema fails before any scenario.
    let _ = crate::contract::SchemaSet::global();
    let context = RunContext::install(RunContext {
        base_url: base_url.clone(),
        mailbox_url,
        settings,
        capabilities,
        embedded,
        snapshots: options.snapshots.clone(),
        mailbox: mailbox.clone(),
        pool,
        record_wire: recording,
    });
    crate::say!(
        "conformance target: {} ({}); capabilities: {}",
        context.base_url,
        if embedded {
            "embedded reference"
        } else {
            "external"
        },
        context.capabilities
    );

    let mut opts = match cli::Opts::<
        cucumber::parser::basic::Cli,
        cucumber::runner::basic::Cli,
        cucumber::writer::basic::Cli,
    >::try_parse_from(&translated.cucumber)
    {
        Ok(opts) => opts,
        Err(err) => {
            let _ = err.print();
            return Ok(RunOutcome {
                summary: Summary::default(),
                report: None,
                exit_code: 2,
            });
        }
    };
    // Applied inside our filter, which cucumber would otherwise bypass when a tag or name
    // filter is given on the command line.
    let tags_filter = opts.tags_filter.take();
    let tags_expression = translated_tags(&translated.cucumber);
    let name_filter = opts.re_filter.take();
    let custom_input = opts.parser.features.is_some();
    let name_filtered = name_filter.is_some();
    if opts.runner.concurrency.is_none() {
        opts.runner.concurrency = Some(options.concurrency);
    }

    let finished: Arc<Mutex<Vec<ScenarioResult>>> = Arc::default();
    let skipped: Arc<Mutex<Vec<ScenarioResult>>> = Arc::default();
    let untagged: Arc<Mutex<Vec<ScenarioResult>>> = Arc::default();

    let record = finished.clone();
    let recorded: Arc<Mutex<Vec<RecordedScenario>>> = Arc::default();
    let recorder = recording.then(|| recorded.clone());
    let (skip_sink, untagged_sink) = (skipped.clone(), untagged.clone());
    let selector = Arc::new(Selector {
        tags: tags_filter,
        name: name_filter,
        capabilities: context.capabilities,
    });
    let parsed = warm_up.finish();
    let progress = (options.display == Display::Progress).then(|| {
        let total = if custom_input {
            0
        } else {
            progress::count_selected(parsed.iter().flatten(), |f, r, s| {
                matches!(selector.classify(f, r, s), Selection::Run)
            })
        };
        Arc::new(Progress::new(total))
    });
    let should_is_fatal = context.should_is_fatal();
    let filter_selector = selector.clone();
    let filter = move |feature: &cucumber::gherkin::Feature,
                       rule: Option<&cucumber::gherkin::Rule>,
                       scenario: &cucumber::gherkin::Scenario| {
        let tags: Vec<&str> = all_tags(feature, rule, scenario);
        let result = |outcome| result_of(feature, scenario, &tags, outcome);
        match filter_selector.classify(feature, rule, scenario) {
            Selection::Excluded => false,
            Selection::Run => true,
            Selection::Defective(defect) => {
                let mut defective = result(Outcome::Failed(defect));
                // A defect of the suite fails the run whatever the scenario's level.
                defective.level = Level::Untagged;
                lock(&untagged_sink).push(defective);
                false
            }
            Selection::Skip(reason) => {
                lock(&skip_sink).push(result(Outcome::Skipped(reason)));
                false
            }
        }
    };

    let mut insta_settings = insta::Settings::clone_current();
    insta_settings.set_snapshot_path(&options.snapshots);
    insta_settings.set_prepend_module_to_snapshot(false);
    insta_settings.set_sort_maps(true);
    insta_settings.set_omit_expression(true);
    // With the progress display, the progress lines and the closing summary say it all.
    let console = match options.display {
        Display::Steps => Console::steps(),
        Display::Progress => Console::quiet(),
    };
    let run = W::cucumber::<PathBuf>()
        .with_parser(features::Preparsed(parsed))
        .with_writer(console)
        .after(move |feature, rule, scenario, event, mut world| {
            let tags = all_tags(feature, rule, scenario);
            let outcome = match event {
                ScenarioFinished::StepPassed => Outcome::Passed,
                ScenarioFinished::StepSkipped => {
                    Outcome::Failed("a step has no definition (or was skipped)".into())
                }
                ScenarioFinished::StepFailed(_, _, err) => Outcome::Failed(redact(
                    err.to_string()
                        .trim_start_matches("Step panicked. Captured output: "),
                )),
                ScenarioFinished::BeforeHookFailed(_) => {
                    Outcome::Failed("the before hook failed".into())
                }
            };
            let failed = matches!(outcome, Outcome::Failed(_));
            let (warnings, exchanges, evidence, duration) = match world.as_deref_mut() {
                Some(w) => (
                    w.take_warnings(),
                    w.exchanges().iter().map(record_of).collect(),
                    w.exchanges().last().filter(|_| failed).map(evidence_of),
                    w.started().elapsed(),
                ),
                None => Default::default(),
            };
            let result = ScenarioResult {
                warnings: warnings.iter().map(|w| redact(w)).collect(),
                exchanges,
                evidence,
                duration,
                ..result_of(feature, scenario, &tags, outcome)
            };
            if let Some(progress) = &progress {
                progress.finished(&result, should_is_fatal);
            }
            if let (Some(recorder), Some(world)) = (&recorder, world.as_deref()) {
                lock(recorder).push(RecordedScenario {
                    serial: tags.contains(&"serial"),
                    exchanges: world.wire(),
                });
            }
            lock(&record).push(result);
            futures::future::ready(()).boxed_local()
        })
        .with_cli(opts)
        .filter_run(options.features.clone(), filter);
    let writer = insta_settings.bind_async(run).await;

    let mut summary = Summary {
        should_is_fatal: context.should_is_fatal(),
        ..Summary::default()
    };
    summary.results.extend(lock(&finished).drain(..));
    summary.results.extend(lock(&untagged).drain(..));
    summary.results.extend(lock(&skipped).drain(..));
    if writer.parsing_errors() > 0 {
        summary.run_errors.push(format!(
            "{} feature files failed to parse",
            writer.parsing_errors()
        ));
    }
    if writer.hook_errors() > 0 {
        summary
            .run_errors
            .push(format!("{} hooks failed", writer.hook_errors()));
    }
    let nothing_ran = summary.results.is_empty() && !translated.filtered;
    if nothing_ran {
        summary
            .run_errors
            .push("no scenario matched: nothing was checked".into());
    }
    // Coverage is a property of the whole suite: only a run of all of it is held to it.
    let complete_run = !translated.filtered
        && !name_filtered
        && tags_expression.is_none()
        && !custom_input
        && !nothing_ran;
    let uncovered = uncovered_pairs(&summary, &context.base_url, embedded);
    if complete_run && uncovered.is_empty() {
        crate::say!("conformance coverage: every documented (endpoint, status) pair was exercised");
    }
    if complete_run && !uncovered.is_empty() {
        let skipped_any = summary
            .results
            .iter()
            .any(|r| matches!(r.outcome, Outcome::Skipped(_)));
        let message = format!(
            "documented (endpoint, status) pairs no scenario received: {}",
            uncovered.join(", ")
        );
        if skipped_any {
            crate::say!("conformance coverage: {message} (some scenarios were skipped)");
        } else {
            summary.run_errors.push(message);
        }
    }
    crate::say_raw!("{}", super::writer::render(&summary));
    if let Some(path) = &options.record_requests {
        // The preflight answered 200 (anything else stopped the run), then the probes went out
        // together.
        let preflight = WireRecord::bare(
            Service::Api,
            super::exchange::Request::new("GET", crate::gate::preflight::HEALTH_PATH),
            200,
        );
        let run = RecordedRun {
            start_up: vec![vec![preflight], probes.records()],
            duration_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            concurrency: options.concurrency,
            scenarios: std::mem::take(&mut *lock(&recorded)),
        };
        let text = serde_json::to_string(&run).context("Failed to serialize the requests")?;
        std::fs::write(path, text)
            .with_context(|| format!("Failed to write {}", path.display()))?;
    }
    // 2 = the run could not happen (the gate's exit codes), 1 = not conformant.
    let exit_code = if nothing_ran { 2 } else { summary.exit_code() };
    let facts = super::report::RunFacts {
        target: context.base_url.clone(),
        embedded,
        started_at,
        duration: started.elapsed(),
        tags: tags_expression,
    };
    let report = Some(super::report::build_report(&summary, &facts));
    Ok(RunOutcome {
        summary,
        report,
        exit_code,
    })
}

/// Work that needs no target, done on the other core while the target starts and is probed,
/// in two threads so that neither keeps the run waiting: compiling the step patterns (about
/// 3 ms; cucumber keeps them in statics, so building the runner later finds them ready) and
/// parsing the feature files (about 2 ms; cucumber is then handed the result).
struct WarmUp {
    patterns: Option<std::thread::JoinHandle<()>>,
    parsing: Option<std::thread::JoinHandle<features::Parsed>>,
    features: PathBuf,
}

impl WarmUp {
    fn start<W: SuiteWorld + 'static>(options: &RunOptions) -> Self {
        let spawn = |name: &str| std::thread::Builder::new().name(name.to_owned());
        let patterns = spawn("suite-patterns").spawn(|| drop(W::collection())).ok();
        let dir = options.features.clone();
        let parsing = spawn("suite-features")
            .spawn(move || features::parse(&dir))
            .ok();
        // Without the threads the same work happens later, on the run's own thread.
        Self {
            patterns,
            parsing,
            features: options.features.clone(),
        }
    }

    /// The parsed feature files, once the step patterns are compiled too.
    fn finish(self) -> features::Parsed {
        if let Some(patterns) = self.patterns {
            let _ = patterns.join();
        }
        match self.parsing.and_then(|thread| thread.join().ok()) {
            Some(parsed) => parsed,
            None => features::parse(&self.features),
        }
    }
}

/// Which scenarios a run selects, and why the others are left out.
struct Selector {
    tags: Option<cucumber::gherkin::tagexpr::TagOperation>,
    name: Option<regex::Regex>,
    capabilities: Capabilities,
}

/// What becomes of one scenario.
enum Selection {
    /// Not asked for (tag or name filter).
    Excluded,
    /// Runs.
    Run,
    /// Breaks one of the suite's own rules: reported as a failure of the suite.
    Defective(String),
    /// Needs a capability the target lacks: reported as skipped with the reason.
    Skip(String),
}

impl Selector {
    fn classify(
        &self,
        feature: &cucumber::gherkin::Feature,
        rule: Option<&cucumber::gherkin::Rule>,
        scenario: &cucumber::gherkin::Scenario,
    ) -> Selection {
        let tags: Vec<&str> = all_tags(feature, rule, scenario);
        if let Some(op) = &self.tags
            && !op.eval(tags.iter())
        {
            return Selection::Excluded;
        }
        if let Some(re) = &self.name
            && !re.is_match(&scenario.name)
        {
            return Selection::Excluded;
        }
        if let Some(defect) = suite_rule_broken(&tags, scenario) {
            return Selection::Defective(defect);
        }
        match self.capabilities.unmet(tags.iter().copied()) {
            Some(reason) => Selection::Skip(reason),
            None => Selection::Run,
        }
    }
}

fn all_tags<'a>(
    feature: &'a cucumber::gherkin::Feature,
    rule: Option<&'a cucumber::gherkin::Rule>,
    scenario: &'a cucumber::gherkin::Scenario,
) -> Vec<&'a str> {
    feature
        .tags
        .iter()
        .chain(rule.iter().flat_map(|r| r.tags.iter()))
        .chain(scenario.tags.iter())
        .map(String::as_str)
        .collect()
}

/// The suite's own rules a scenario breaks, if any: one requirement level, a source for every
/// @should, and @serial wherever the server-wide clock moves.
fn suite_rule_broken(tags: &[&str], scenario: &cucumber::gherkin::Scenario) -> Option<String> {
    let has = |t: &str| tags.contains(&t);
    if has("must") == has("should") {
        return Some("the scenario must be tagged either @must or @should".into());
    }
    if has("should")
        && scenario
            .description
            .as_deref()
            .is_none_or(|d| d.trim().is_empty())
    {
        return Some(
            "a @should scenario must name its source (ASVS, RFC, cheat sheet) in its description"
                .into(),
        );
    }
    if has("clock") && !has("serial") {
        return Some("a scenario that moves the server-wide clock must be @serial".into());
    }
    None
}

/// Documented (endpoint, status) pairs that no exchange of the run received, as `METHOD path status`.
fn uncovered_pairs(summary: &Summary, target: &str, embedded: bool) -> Vec<String> {
    let facts = super::report::RunFacts {
        target: target.to_owned(),
        embedded,
        started_at: chrono::Utc::now(),
        duration: std::time::Duration::ZERO,
        tags: None,
    };
    let report = super::report::build_report(summary, &facts);
    crate::report::coverage::coverage(&report)
        .into_iter()
        .filter(|p| !p.is_covered())
        .map(|p| format!("{} {} {}", p.endpoint.method, p.endpoint.path, p.status))
        .collect()
}

/// The tag expression given with `-t`/`--tags`, as written.
fn translated_tags(args: &[String]) -> Option<String> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        for flag in ["-t", "--tags", "--scenario-tags"] {
            if arg == flag {
                return iter.next().cloned();
            }
            if let Some(v) = arg.strip_prefix(&format!("{flag}=")) {
                return Some(v.to_owned());
            }
        }
    }
    None
}

/// A scenario's result with its identity (feature, name, tags, level) and nothing else yet.
fn result_of(
    feature: &cucumber::gherkin::Feature,
    scenario: &cucumber::gherkin::Scenario,
    tags: &[&str],
    outcome: Outcome,
) -> ScenarioResult {
    ScenarioResult {
        feature: feature.name.clone(),
        feature_file: feature_file(feature),
        scenario: scenario.name.clone(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        level: Level::from_tags(tags.iter().copied()),
        outcome,
        ..ScenarioResult::default()
    }
}

fn feature_file(feature: &cucumber::gherkin::Feature) -> String {
    feature
        .path
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn record_of(exchange: &Exchange) -> ExchangeRecord {
    ExchangeRecord {
        method: exchange.request.method.clone(),
        path: exchange.request.route().to_owned(),
        status: exchange.response.status,
    }
}

/// The exchange as redacted text, request and response.
fn evidence_of(exchange: &Exchange) -> (String, String) {
    let body = |json: Option<&serde_json::Value>| {
        json.map(|v| super::redact::redact_json(v).to_string())
            .unwrap_or_default()
    };
    let request = format!(
        "{} {}\n{}",
        exchange.request.method,
        redact(&exchange.request.path),
        body(exchange.request.json.as_ref())
    );
    let headers: Vec<String> = exchange
        .response
        .headers
        .iter()
        .map(|(n, v)| format!("{n}: {}", redact(v)))
        .collect();
    let response = format!(
        "{}\n{}\n\n{}",
        exchange.response.status,
        headers.join("\n"),
        super::checks::describe(exchange)
    );
    (request, response)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
