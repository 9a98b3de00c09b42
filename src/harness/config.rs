//! Run configuration read from the environment, with documented defaults.

use std::time::Duration;

/// Environment variable naming the server under test; unset = start the embedded reference.
pub const ENV_BASE_URL: &str = "SPATIALFLOW_BASE_URL";
/// Environment variable naming the Mailpit-compatible API; default `{base}/_mailpit`.
pub const ENV_MAILBOX_URL: &str = "SPATIALFLOW_MAILBOX_URL";
/// Per-request timeout in seconds (default 10).
pub const ENV_TIMEOUT_SECS: &str = "SPATIALFLOW_TIMEOUT_SECS";
/// Whole-run timeout in seconds (default 900): past it the run stops with exit 2.
pub const ENV_RUN_TIMEOUT_SECS: &str = "SPATIALFLOW_RUN_TIMEOUT_SECS";
/// `1` makes a failing @should scenario fail the run against any target.
pub const ENV_STRICT: &str = "SPATIALFLOW_STRICT";
/// `1` makes a snapshot difference fail the run against any target.
pub const ENV_STRICT_SNAPSHOTS: &str = "SPATIALFLOW_STRICT_SNAPSHOTS";
/// Email of a pre-verified QA account (used when the target has no E2E API).
pub const ENV_USER_EMAIL: &str = "SPATIALFLOW_USER_EMAIL";
/// Password of the QA account named by [`ENV_USER_EMAIL`].
pub const ENV_USER_PASSWORD: &str = "SPATIALFLOW_USER_PASSWORD";
/// An `sf_` API key (used when keys cannot be created on the target).
pub const ENV_API_KEY: &str = "SPATIALFLOW_API_KEY";

/// Default per-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default whole-run timeout: a full run against the embedded reference takes about 10 s and
/// one against a slow staging server a few minutes; 15 minutes means something hangs.
pub const DEFAULT_RUN_TIMEOUT: Duration = Duration::from_secs(900);

/// What the environment asks of this run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// Base URL of the target without trailing slash; `None` = embedded reference.
    pub base_url: Option<String>,
    /// Mailpit API base without trailing slash; `None` = `{base}/_mailpit`.
    pub mailbox_url: Option<String>,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Whole-run timeout, from the preflight probe to the last scenario; zero = none.
    pub run_timeout: Duration,
    /// Whether a failing @should scenario fails the run against a foreign target.
    pub strict: bool,
    /// Whether a snapshot difference fails the run against a foreign target.
    pub strict_snapshots: bool,
    /// A QA account to use when users cannot be created.
    pub qa_account: Option<Credentials>,
    /// An API key to use when keys cannot be created.
    pub api_key: Option<String>,
}

/// Email and password of an existing account.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Login email.
    pub email: String,
    /// Login password (never printed).
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("email", &self.email)
            .field("password", &"[redacted]")
            .finish()
    }
}

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup` (a testable stand-in for the environment).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let flag =
            |name: &str| get(name).is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
        let qa_account = match (get(ENV_USER_EMAIL), get(ENV_USER_PASSWORD)) {
            (Some(email), Some(password)) => Some(Credentials { email, password }),
            _ => None,
        };
        Self {
            base_url: get(ENV_BASE_URL).map(|u| u.trim_end_matches('/').to_owned()),
            mailbox_url: get(ENV_MAILBOX_URL).map(|u| u.trim_end_matches('/').to_owned()),
            timeout: get(ENV_TIMEOUT_SECS)
                .and_then(|s| s.parse::<u64>().ok())
                .map_or(DEFAULT_TIMEOUT, Duration::from_secs),
            run_timeout: get(ENV_RUN_TIMEOUT_SECS)
                .and_then(|s| s.parse::<u64>().ok())
                .map_or(DEFAULT_RUN_TIMEOUT, Duration::from_secs),
            strict: flag(ENV_STRICT),
            strict_snapshots: flag(ENV_STRICT_SNAPSHOTS),
            qa_account,
            api_key: get(ENV_API_KEY),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Settings {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn empty_environment_means_embedded_reference_with_defaults() {
        let s = settings(&[]);
        assert_eq!(s.base_url, None);
        assert_eq!(s.timeout, DEFAULT_TIMEOUT);
        assert_eq!(s.run_timeout, DEFAULT_RUN_TIMEOUT);
        assert!(!s.strict && !s.strict_snapshots);
        assert!(s.qa_account.is_none());
    }

    #[test]
    fn base_url_loses_its_trailing_slash_and_flags_parse() {
        let s = settings(&[
            (ENV_BASE_URL, "https://staging.example/"),
            (ENV_TIMEOUT_SECS, "3"),
            (ENV_RUN_TIMEOUT_SECS, "60"),
            (ENV_STRICT, "1"),
            (ENV_USER_EMAIL, "qa@example.com"),
            (ENV_USER_PASSWORD, "pw"),
        ]);
        assert_eq!(s.base_url.as_deref(), Some("https://staging.example"));
        assert_eq!(s.timeout, Duration::from_secs(3));
        assert_eq!(s.run_timeout, Duration::from_secs(60));
        assert!(s.strict);
        assert_eq!(s.qa_account.unwrap().email, "qa@example.com");
    }
}
