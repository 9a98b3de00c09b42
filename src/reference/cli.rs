//! Command-line arguments of `spatialflow-conformance serve`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use crate::reference::config::{Database, ReferenceConfig};
use crate::reference::faults::Fault;
use crate::reference::password::HashProfile;

/// Run the reference server on a socket until Ctrl-C.
#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(
        long,
        default_value = "127.0.0.1:8000",
        env = "SPATIALFLOW_REFERENCE_ADDR"
    )]
    pub addr: SocketAddr,
    /// SQLite database file (created when missing).
    #[arg(
        long,
        default_value = "spatialflow-reference.db",
        env = "SPATIALFLOW_REFERENCE_DB"
    )]
    pub db: PathBuf,
    /// Mount the test-control surface (E2E endpoints, clock, Mailpit-compatible mailbox).
    #[arg(long)]
    pub test_api: bool,
    /// Password hashing cost: `default` (OWASP argon2id) or `fast` (tests only).
    #[arg(long, value_enum, default_value_t = HashProfile::Default)]
    pub hash_profile: HashProfile,
    /// Base URL of the web frontend used in emailed links.
    #[arg(
        long,
        default_value = "http://localhost:3000",
        env = "SPATIALFLOW_FRONTEND_URL"
    )]
    pub frontend_url: String,
    /// Milliseconds added to every answer, to play a distant server (benchmarks only).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,
    /// Run with one deliberate defect, for mutation testing (`spatialflow-conformance faults`
    /// lists them). Never in production.
    #[arg(long, value_name = "NAME")]
    pub fault: Option<Fault>,
}

impl ServeArgs {
    /// The server configuration these arguments describe.
    pub fn to_config(&self) -> ReferenceConfig {
        ReferenceConfig {
            addr: self.addr,
            database: Database::File(self.db.clone()),
            test_api: self.test_api,
            hash_profile: self.hash_profile,
            frontend_url: self.frontend_url.trim_end_matches('/').to_owned(),
            latency: std::time::Duration::from_millis(self.latency_ms),
            fault: self.fault,
            ..ReferenceConfig::serve_defaults()
        }
    }
}
