//! The conformance suite as a `harness = false` test target: `cargo test --test conformance`.
//!
//! With SPATIALFLOW_BASE_URL unset it starts the embedded reference once on a random port;
//! otherwise it runs against that target (see `harness::config` for every variable).

#[path = "../src/suite/mod.rs"]
mod suite;

use spatialflow_conformance::harness::{Display, EmbeddedTarget, RunOptions, run_blocking};
use spatialflow_conformance::reference::{EmbeddedServer, ReferenceConfig};

fn main() {
    let options = RunOptions {
        features: concat!(env!("CARGO_MANIFEST_DIR"), "/features").into(),
        snapshots: concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots").into(),
        args: std::env::args().collect(),
        // verify's default, for the same reason (see `--concurrency`).
        concurrency: 64,
        settings: None,
        display: Display::Steps,
        record_requests: None,
    };
    let start = || {
        let server = EmbeddedServer::start(ReferenceConfig::embedded())?;
        Ok(EmbeddedTarget {
            base_url: server.base_url().to_owned(),
            guard: Box::new(server),
        })
    };
    match run_blocking::<suite::AuthWorld>(options, start) {
        Ok(outcome) => {
            use std::io::Write as _;
            let _ = std::io::stdout().flush();
            std::process::exit(outcome.exit_code)
        }
        Err(err) => {
            eprintln!("conformance: {err:#}");
            std::process::exit(2);
        }
    }
}
