//! Reports of a conformance run: plain result data ([`RunReport`]), and writers that only read it.
//!
//! Nothing here runs a test. The runner fills a [`RunReport`]; each writer turns it into one
//! format: [`junit`] (CI test ingestion), [`json`] (one record per scenario), [`markdown`] (the
//! conformance report, readable raw in a CI log) and [`html`] (the same report as a page).
//! Secrets are redacted before data enters the model, so no writer can leak them.

pub mod coverage;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
mod model;

pub use model::{
    Evidence, ExchangeSummary, Level, Outcome, Requirement, RunReport, ScenarioReport, Verdict,
    level_of,
};

/// A sample report for the writers' tests and their neighbours'.
#[cfg(test)]
pub(crate) mod tests_support {
    pub(crate) use super::model::tests::sample;
}
