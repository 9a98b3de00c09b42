//! `spatialflow-conformance bench`: how fast the suite is, and how much of that is the harness.
//!
//! Every figure is the median of several runs of separate `verify` processes (the runner installs
//! process-wide state, and a fresh process is what users run). The harness's overhead is measured
//! by replaying every exchange a run made (API and mailbox) with a bare reqwest loop at the same
//! concurrency ([`replay`]), also in a fresh process of its own; the concurrency gain by adding
//! a fixed latency to every answer of the reference.

mod captures;
mod figures;
mod replay;
mod runs;

pub use figures::{BenchArgs, run_bench};
pub use replay::{ReplayArgs, ReplayResult, replay, run_replay};
