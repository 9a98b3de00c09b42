//! The SQLite store: one connection behind a mutex, every operation on the blocking pool.
//!
//! Schema lives in versioned migrations (`migrations/NNNN_*.sql`) applied at open with
//! rusqlite_migration. A file database runs in WAL mode and keeps everything (users, tokens,
//! API keys, rate-limit counters, outbox, JWT secret) across restarts. Because there is a
//! single connection, transactions are also serialised, which is what makes "one account per
//! email" and "a refresh token is used at most once" hold under concurrent requests.

pub mod api_keys;
pub mod one_time;
pub mod outbox;
pub mod sessions;
pub mod settings;
pub mod users;

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const MIGRATIONS: &[M<'static>] = &[M::up(include_str!("migrations/0001_init.sql"))];

/// Handle to the database; clones share the connection.
#[derive(Clone, Debug)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    /// A private in-memory database with the schema applied.
    pub fn open_in_memory() -> anyhow::Result<Self> {
        let conn = Connection::open_in_memory().context("Failed to open in-memory SQLite")?;
        Self::prepare(conn)
    }

    /// A database file (created when missing), WAL mode, schema migrated to the latest version.
    pub fn open_file(path: &Path) -> anyhow::Result<Self> {
        let conn = Connection::open(path)
            .with_context(|| format!("Failed to open SQLite database {}", path.display()))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::prepare(conn)
    }

    fn prepare(mut conn: Connection) -> anyhow::Result<Self> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Migrations::from_slice(MIGRATIONS)
            .to_latest(&mut conn)
            .context("Failed to migrate the database")?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with the connection on the blocking pool.
    pub async fn call<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> anyhow::Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut guard)
        })
        .await
        .context("Database task panicked")?
    }

    /// Runs `f` with the connection on the current thread (startup and tests only).
    pub fn call_sync<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let mut guard = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        Migrations::from_slice(MIGRATIONS).validate().unwrap();
    }

    #[test]
    fn file_database_keeps_the_jwt_secret_across_restarts() {
        let dir = std::env::temp_dir().join(format!("sf-ref-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ref.db");
        let first = Store::open_file(&path)
            .unwrap()
            .call_sync(settings::jwt_secret)
            .unwrap();
        let second = Store::open_file(&path)
            .unwrap()
            .call_sync(settings::jwt_secret)
            .unwrap();
        assert_eq!(first, second);
        let _ = std::fs::remove_dir_all(dir);
    }
}
