//! Server configuration and its two profiles: [`ReferenceConfig::embedded`] (tests) and
//! [`ReferenceConfig::serve_defaults`] (the CLI).
//!
//! Decisions where the contract is silent: access token 900 s, refresh token 7 days, reset token
//! 1 hour, verification token 24 hours, resend-verification-email 3 per rolling hour, frontend
//! base `http://localhost:3000` (links never use the request's Host header).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::reference::faults::Fault;
use crate::reference::password::HashProfile;

/// Where the SQLite database lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    /// A private in-memory database (lost when the server stops).
    InMemory,
    /// A database file (WAL mode), kept across restarts.
    File(PathBuf),
}

/// A rolling-window rate limit: at most `max` requests per `window_seconds`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateRule {
    /// Requests allowed inside one window.
    pub max: u32,
    /// Window length in seconds.
    pub window_seconds: i64,
}

/// Everything the reference server needs to start.
#[derive(Clone, Debug)]
pub struct ReferenceConfig {
    /// Address to bind (port 0 picks a free port).
    pub addr: SocketAddr,
    /// The SQLite database.
    pub database: Database,
    /// Whether the test-control surface (`/api/v1/test/*`, `/_mailpit/*`) is mounted.
    pub test_api: bool,
    /// Argon2 cost profile for password hashing.
    pub hash_profile: HashProfile,
    /// Base URL of the web frontend used in emailed links (no trailing slash).
    pub frontend_url: String,
    /// Display name of the sender of outgoing mail.
    pub mail_from_name: String,
    /// Address of the sender of outgoing mail.
    pub mail_from_address: String,
    /// Access JWT lifetime in seconds (also `expires_in`).
    pub access_token_ttl: i64,
    /// Refresh token lifetime in seconds (rotation never extends it).
    pub refresh_token_ttl: i64,
    /// Password-reset token lifetime in seconds.
    pub reset_token_ttl: i64,
    /// Email-verification token lifetime in seconds.
    pub verification_token_ttl: i64,
    /// Limit of `POST /resend-verification-email` per case-normalised email.
    pub resend_verification_limit: RateRule,
    /// Delay added to every answer, to measure a client's behaviour against a distant server
    /// (`bench`); zero, the default, adds no layer at all.
    pub latency: Duration,
    /// The one deliberate defect to run with (mutation testing); `None` for the correct server.
    pub fault: Option<Fault>,
}

impl ReferenceConfig {
    /// The in-process profile used by the conformance suite: 127.0.0.1:0, in-memory SQLite,
    /// test API on, cheap password hashing.
    pub fn embedded() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database: Database::InMemory,
            test_api: true,
            hash_profile: HashProfile::Fast,
            ..Self::serve_defaults()
        }
    }

    /// The defaults of `spatialflow-conformance serve`: 127.0.0.1:8000, file database
    /// `spatialflow-reference.db`, test API off, production-strength hashing.
    pub fn serve_defaults() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8000)),
            database: Database::File(PathBuf::from("spatialflow-reference.db")),
            test_api: false,
            hash_profile: HashProfile::Default,
            frontend_url: "http://localhost:3000".to_owned(),
            mail_from_name: "SpatialFlow".to_owned(),
            mail_from_address: "no-reply@spatialflow.io".to_owned(),
            access_token_ttl: 900,
            refresh_token_ttl: 7 * 24 * 3600,
            reset_token_ttl: 3600,
            verification_token_ttl: 24 * 3600,
            resend_verification_limit: RateRule {
                max: 3,
                window_seconds: 3600,
            },
            latency: Duration::ZERO,
            fault: None,
        }
    }
}
