//! Library support for the conformance run: the client and its recorded exchanges, pure checks,
//! redaction, the mailbox adapter, test data, capability probing, snapshots, the runner and the
//! summary writer. The cucumber World and steps live in `src/suite/` (compiled into each binary
//! that runs the suite, so the linker keeps the step registrations).

pub mod args;
pub mod capabilities;
pub mod checks;
pub mod client;
pub mod config;
pub mod console;
pub mod context;
pub mod cookies;
pub mod exchange;
pub mod features;
pub mod fixtures;
pub mod mailbox;
pub mod progress;
pub mod redact;
pub mod report;
pub mod runner;
pub mod schema;
pub mod snapshot;
pub mod summary;
pub mod timing;
pub mod wire;
pub mod writer;

pub use capabilities::{Capabilities, Capability};
pub use checks::{CheckResult, Failure};
pub use client::ApiClient;
pub use config::Settings;
pub use context::RunContext;
pub use exchange::{Body, Exchange, Request, Response};
pub use runner::{
    Display, EmbeddedTarget, RecordedRun, RecordedScenario, RunOptions, RunOutcome, SuiteWorld,
    run, run_blocking,
};
pub use summary::{Level, Outcome, ScenarioResult, Summary};
