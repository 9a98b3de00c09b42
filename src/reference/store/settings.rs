//! Server settings kept in the database; today only the JWT signing secret, generated on first
//! start so that tokens survive a restart of a file-backed server.

use rusqlite::{Connection, OptionalExtension, params};

use crate::reference::tokens::opaque;

/// The HS256 secret, created (256 random bits) on first use.
pub fn jwt_secret(conn: &mut Connection) -> anyhow::Result<Vec<u8>> {
    let existing: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'jwt_secret'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(secret) = existing {
        return Ok(secret.into_bytes());
    }
    let secret = opaque::generate_secret();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('jwt_secret', ?1)",
        params![secret],
    )?;
    Ok(secret.into_bytes())
}
