//! API keys. The secret (`sf_...`) is shown once at creation; only its SHA-256 is stored,
//! plus an 11-character display prefix. Decisions: default name "Default", default
//! permissions `["read"]`, `rate_limit_per_hour` 1000 (reported, not enforced).

use rusqlite::{Connection, OptionalExtension, Row, params};

/// A stored API key (without its secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    /// Opaque id (uuid v4).
    pub id: String,
    /// Owner.
    pub user_id: String,
    /// Display name.
    pub name: String,
    /// First characters of the secret, for display.
    pub key_prefix: String,
    /// Granted permissions.
    pub permissions: Vec<String>,
    /// Revoked keys are inactive.
    pub is_active: bool,
    /// Successful authentications so far.
    pub usage_count: i64,
    /// Advertised hourly limit.
    pub rate_limit_per_hour: i64,
    /// Creation instant (ms).
    pub created_at_ms: i64,
    /// Last successful use (ms).
    pub last_used_at_ms: Option<i64>,
}

const COLUMNS: &str = "id, user_id, name, key_prefix, permissions, is_active, usage_count, \
    rate_limit_per_hour, created_at_ms, last_used_at_ms";

fn from_row(row: &Row<'_>) -> rusqlite::Result<ApiKey> {
    let permissions: String = row.get(4)?;
    Ok(ApiKey {
        id: row.get(0)?,
        user_id: row.get(1)?,
        name: row.get(2)?,
        key_prefix: row.get(3)?,
        permissions: serde_json::from_str(&permissions).unwrap_or_default(),
        is_active: row.get(5)?,
        usage_count: row.get(6)?,
        rate_limit_per_hour: row.get(7)?,
        created_at_ms: row.get(8)?,
        last_used_at_ms: row.get(9)?,
    })
}

/// Stores a key with the hash of its secret.
pub fn insert(conn: &Connection, key: &ApiKey, key_hash: &str) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO api_keys (id, user_id, name, key_prefix, key_hash, permissions, is_active, \
         usage_count, rate_limit_per_hour, created_at_ms, last_used_at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            key.id,
            key.user_id,
            key.name,
            key.key_prefix,
            key_hash,
            serde_json::to_string(&key.permissions)?,
            key.is_active,
            key.usage_count,
            key.rate_limit_per_hour,
            key.created_at_ms,
            key.last_used_at_ms
        ],
    )?;
    Ok(())
}

/// Finds the active key with this secret hash and records the use.
pub fn authenticate(
    conn: &Connection,
    key_hash: &str,
    now_ms: i64,
) -> anyhow::Result<Option<ApiKey>> {
    Ok(conn
        .query_row(
            &format!(
                "UPDATE api_keys SET usage_count = usage_count + 1, last_used_at_ms = ?2 \
                 WHERE key_hash = ?1 AND is_active = 1 RETURNING {COLUMNS}"
            ),
            params![key_hash, now_ms],
            from_row,
        )
        .optional()?)
}
