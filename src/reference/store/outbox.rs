//! The outbox: every email the server sends is stored here, and the Mailpit-compatible test
//! API reads it. Newest first, like Mailpit.

use rusqlite::{Connection, OptionalExtension, Row, params};

/// A stored email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMail {
    /// Mailpit-style ID.
    pub id: String,
    /// RFC 5322 Message-ID (without angle brackets).
    pub message_id: String,
    /// Sender display name.
    pub from_name: String,
    /// Sender address.
    pub from_address: String,
    /// Recipient address.
    pub to_address: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
    /// Creation instant (ms).
    pub created_at_ms: i64,
    /// Whether it was opened through the API.
    pub read: bool,
}

const COLUMNS: &str = "id, message_id, from_name, from_address, to_address, subject, text_body, \
    html_body, created_at_ms, read";

fn from_row(row: &Row<'_>) -> rusqlite::Result<StoredMail> {
    Ok(StoredMail {
        id: row.get(0)?,
        message_id: row.get(1)?,
        from_name: row.get(2)?,
        from_address: row.get(3)?,
        to_address: row.get(4)?,
        subject: row.get(5)?,
        text: row.get(6)?,
        html: row.get(7)?,
        created_at_ms: row.get(8)?,
        read: row.get(9)?,
    })
}

/// Stores an email.
pub fn insert(conn: &Connection, mail: &StoredMail) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO outbox (id, message_id, from_name, from_address, to_address, subject, \
         text_body, html_body, created_at_ms, read) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            mail.id,
            mail.message_id,
            mail.from_name,
            mail.from_address,
            mail.to_address,
            mail.subject,
            mail.text,
            mail.html,
            mail.created_at_ms,
            mail.read
        ],
    )?;
    Ok(())
}

/// Every stored email, newest first.
pub fn list(conn: &Connection) -> anyhow::Result<Vec<StoredMail>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM outbox ORDER BY seq DESC"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// One email by ID (or the newest for `latest`), marking it read.
pub fn open(conn: &Connection, id: &str) -> anyhow::Result<Option<StoredMail>> {
    let found = if id == "latest" {
        conn.query_row(
            &format!("SELECT {COLUMNS} FROM outbox ORDER BY seq DESC LIMIT 1"),
            [],
            from_row,
        )
        .optional()?
    } else {
        conn.query_row(
            &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
            params![id],
            from_row,
        )
        .optional()?
    };
    if let Some(mail) = &found {
        conn.execute("UPDATE outbox SET read = 1 WHERE id = ?1", params![mail.id])?;
    }
    Ok(found)
}

/// Deletes the given emails, or all when `ids` is empty; returns how many went.
pub fn delete(conn: &Connection, ids: &[String]) -> anyhow::Result<usize> {
    if ids.is_empty() {
        return Ok(conn.execute("DELETE FROM outbox", [])?);
    }
    let mut deleted = 0;
    for id in ids {
        deleted += conn.execute("DELETE FROM outbox WHERE id = ?1", params![id])?;
    }
    Ok(deleted)
}
