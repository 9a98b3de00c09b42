//! Run-level context, built once by the runner and shared read-only by every scenario.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use super::capabilities::Capabilities;
use super::config::Settings;
use super::mailbox::Mailbox;

/// What every scenario of a run shares.
#[derive(Debug)]
pub struct RunContext {
    /// Base URL of the target, no trailing slash.
    pub base_url: String,
    /// Mailpit API base, no trailing slash.
    pub mailbox_url: String,
    /// The environment's settings.
    pub settings: Settings,
    /// What the target offers.
    pub capabilities: Capabilities,
    /// Whether the target is the embedded reference (everything is then strict).
    pub embedded: bool,
    /// Folder of the `.snap` files.
    pub snapshots: PathBuf,
    /// The mailbox adapter, shared: its client carries no cookies, so no scenario's session
    /// reaches the mailbox, and one client serves the whole run.
    pub mailbox: Mailbox,
    /// The connection pool every scenario's [`super::ApiClient`] shares (each with its own
    /// cookie jar).
    pub pool: reqwest::Client,
    /// Whether scenarios keep a wire log of their exchanges (for `bench`'s replay).
    pub record_wire: bool,
}

static CONTEXT: OnceLock<Arc<RunContext>> = OnceLock::new();

impl RunContext {
    /// Installs the context for this process; a second run in the same process keeps the first.
    pub fn install(context: RunContext) -> Arc<RunContext> {
        CONTEXT.get_or_init(|| Arc::new(context)).clone()
    }

    /// The installed context, if the runner has installed one.
    pub fn current() -> Option<Arc<RunContext>> {
        CONTEXT.get().cloned()
    }

    /// Whether a failing @should scenario fails the run.
    pub fn should_is_fatal(&self) -> bool {
        self.embedded || self.settings.strict
    }

    /// Whether a snapshot difference fails the scenario.
    pub fn snapshots_are_strict(&self) -> bool {
        self.embedded || self.settings.strict_snapshots
    }
}
