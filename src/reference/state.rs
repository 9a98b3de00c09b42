//! Shared server state: the store, the clock, the configuration and the JWT keys.

use std::sync::Arc;

use crate::reference::clock::Clock;
use crate::reference::config::{Database, ReferenceConfig};
use crate::reference::faults::Fault;
use crate::reference::mail::compose::{self, Template};
use crate::reference::password;
use crate::reference::store::{Store, outbox, settings};
use crate::reference::tokens::jwt::JwtKeys;

/// Everything a handler needs; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub(crate) store: Store,
    pub(crate) clock: Clock,
    pub(crate) config: Arc<ReferenceConfig>,
    pub(crate) jwt: Arc<JwtKeys>,
    /// A hash of a random password, verified against when the email is unknown so that login
    /// takes the same time for unknown and known accounts.
    pub(crate) dummy_hash: Arc<str>,
}

impl AppState {
    /// Opens the database named by the configuration and loads (or creates) the JWT secret.
    pub fn open(config: ReferenceConfig) -> anyhow::Result<Self> {
        let store = match &config.database {
            Database::InMemory => Store::open_in_memory()?,
            Database::File(path) => Store::open_file(path)?,
        };
        let secret = store.call_sync(settings::jwt_secret)?;
        // Compile the contract's schemas now rather than inside the first request.
        let _ = crate::contract::SchemaSet::global();
        let dummy_hash = password::hash_password(
            config.hash_profile,
            &crate::reference::tokens::opaque::generate_secret(),
        )?;
        Ok(Self {
            store,
            clock: Clock::new(),
            config: Arc::new(config),
            jwt: Arc::new(JwtKeys::from_secret(&secret)),
            dummy_hash: dummy_hash.into(),
        })
    }

    /// The server clock (tests may advance it).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Whether the server runs with `fault` (always false for the correct server).
    pub fn is_on(&self, fault: Fault) -> bool {
        self.config.fault == Some(fault)
    }

    /// The configuration the server runs with.
    pub fn config(&self) -> &ReferenceConfig {
        &self.config
    }

    /// Queues an email carrying `token` for `to` in the outbox.
    pub(crate) async fn send_mail(
        &self,
        template: Template,
        to: &str,
        token: &str,
    ) -> anyhow::Result<()> {
        let mail = compose::compose(&self.config, template, to, token, self.clock.now_ms());
        self.store.call(move |c| outbox::insert(c, &mail)).await
    }
}
