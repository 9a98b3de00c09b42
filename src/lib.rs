//! # spatialflow-conformance
//!
//! The conformance and contract test harness for the SpatialFlow Authentication API, and a
//! reference implementation of that API.
//!
//! - [`contract`]: the API contract as data (operations, JSON Schemas, OpenAPI document), shared
//!   by everything else so that the server and the checks cannot drift apart.
//! - [`gate`]: the release gate around a run (options, preflight, exit codes).
//! - [`harness`]: the conformance run's library support (client, checks, mailbox, runner).
//! - [`reference`](mod@reference): the reference server (axum + SQLite) that implements the contract; the
//!   suite runs against it in-process through [`reference::EmbeddedServer`].
//! - [`bench`]: `spatialflow-conformance bench`, the suite's performance figures.
//! - [`report`]: the result data of a run and the writers (JUnit, JSON, Markdown, HTML).
//!
//! The conformance suite itself (Gherkin features in `features/`, cucumber steps in
//! `src/suite/`) runs with `cargo test --test conformance` or `spatialflow-conformance verify`.
//! A test of your own can start the reference server in-process and talk to it over HTTP:
//!
//! ```no_run
//! use spatialflow_conformance::reference::{EmbeddedServer, ReferenceConfig};
//!
//! let server = EmbeddedServer::start(ReferenceConfig::embedded())?;
//! println!("reference server at {}", server.base_url());
//! # Ok::<(), anyhow::Error>(())
//! ```

/// `println!` for the console output of the commands, except that a reader who went away
/// (`verify | head`) is not an error: the run, its reports and its exit code do not depend on
/// anyone reading. (`println!` panics on a closed pipe.)
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::writeln!(::std::io::stdout(), $($arg)*);
    }};
}

/// `print!` with [`say!`]'s tolerance of a closed pipe.
#[macro_export]
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::write!(::std::io::stdout(), $($arg)*);
    }};
}

pub mod bench;
pub mod contract;
pub mod gate;
pub mod harness;
pub mod reference;
pub mod report;
