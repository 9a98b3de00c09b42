//! Users table. Emails are stored lower-cased and trimmed; the UNIQUE constraint is what keeps
//! one account per email even under concurrent registration.

use rusqlite::{Connection, OptionalExtension, Row, params};

/// A stored user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Opaque id (uuid v4).
    pub id: String,
    /// Normalised email.
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Display name.
    pub name: String,
    /// Company, if given.
    pub company: Option<String>,
    /// Plan chosen at signup.
    pub selected_plan: String,
    /// UI language.
    pub language_preference: String,
    /// Whether the email address has been verified.
    pub email_verified: bool,
    /// Staff flag (role "admin").
    pub is_staff: bool,
    /// Superuser flag.
    pub is_superuser: bool,
    /// Deactivated users cannot log in and their tokens stop working.
    pub is_active: bool,
    /// Beta programme flag.
    pub is_beta_user: bool,
    /// Access tokens issued at or before this instant (ms) are refused.
    pub tokens_valid_after_ms: i64,
    /// Creation instant (ms).
    pub created_at_ms: i64,
    /// Last update instant (ms).
    pub updated_at_ms: i64,
}

/// What is needed to create a user.
#[derive(Clone, Debug, Default)]
pub struct NewUser {
    /// Normalised email.
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Display name.
    pub name: String,
    /// Company, if given.
    pub company: Option<String>,
    /// Plan chosen at signup.
    pub selected_plan: String,
    /// Whether the email starts verified (E2E users).
    pub email_verified: bool,
    /// Staff flag.
    pub is_staff: bool,
    /// Superuser flag.
    pub is_superuser: bool,
    /// Created through the E2E test endpoint (removed by cleanup).
    pub is_e2e: bool,
    /// Tracking fields of the signup, as a JSON object.
    pub signup_meta: serde_json::Value,
}

const COLUMNS: &str = "id, email, password_hash, name, company, selected_plan, \
    language_preference, email_verified, is_staff, is_superuser, is_active, is_beta_user, \
    tokens_valid_after_ms, created_at_ms, updated_at_ms";

fn from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        email: row.get(1)?,
        password_hash: row.get(2)?,
        name: row.get(3)?,
        company: row.get(4)?,
        selected_plan: row.get(5)?,
        language_preference: row.get(6)?,
        email_verified: row.get(7)?,
        is_staff: row.get(8)?,
        is_superuser: row.get(9)?,
        is_active: row.get(10)?,
        is_beta_user: row.get(11)?,
        tokens_valid_after_ms: row.get(12)?,
        created_at_ms: row.get(13)?,
        updated_at_ms: row.get(14)?,
    })
}

/// Lower-cases and trims an email for storage and lookup.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Inserts a user; `None` when the email is already taken.
pub fn insert(conn: &Connection, new: &NewUser, now_ms: i64) -> anyhow::Result<Option<User>> {
    let id = uuid::Uuid::new_v4().to_string();
    let inserted = conn.execute(
        "INSERT INTO users (id, email, password_hash, name, company, selected_plan, \
         email_verified, is_staff, is_superuser, is_e2e, signup_meta, created_at_ms, updated_at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) \
         ON CONFLICT(email) DO NOTHING",
        params![
            id,
            new.email,
            new.password_hash,
            new.name,
            new.company,
            new.selected_plan,
            new.email_verified,
            new.is_staff,
            new.is_superuser,
            new.is_e2e,
            new.signup_meta.to_string(),
            now_ms
        ],
    )?;
    if inserted == 0 {
        return Ok(None);
    }
    find_by_id(conn, &id)
}

/// The user with this (already normalised) email.
pub fn find_by_email(conn: &Connection, email: &str) -> anyhow::Result<Option<User>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM users WHERE email = ?1"),
            params![email],
            from_row,
        )
        .optional()?)
}

/// The user with this id.
pub fn find_by_id(conn: &Connection, id: &str) -> anyhow::Result<Option<User>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM users WHERE id = ?1"),
            params![id],
            from_row,
        )
        .optional()?)
}

/// Replaces the password hash.
pub fn set_password_hash(
    conn: &Connection,
    id: &str,
    hash: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2, updated_at_ms = ?3 WHERE id = ?1",
        params![id, hash, now_ms],
    )?;
    Ok(())
}

/// Marks the email address verified.
pub fn mark_email_verified(conn: &Connection, id: &str, now_ms: i64) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE users SET email_verified = 1, updated_at_ms = ?2 WHERE id = ?1",
        params![id, now_ms],
    )?;
    Ok(())
}

/// Kills every access token issued at or before `at_ms`.
pub fn invalidate_access_tokens(conn: &Connection, id: &str, at_ms: i64) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE users SET tokens_valid_after_ms = MAX(tokens_valid_after_ms, ?2) WHERE id = ?1",
        params![id, at_ms],
    )?;
    Ok(())
}

/// Activates or deactivates the account with this email; false when there is none.
pub fn set_active(
    conn: &Connection,
    email: &str,
    active: bool,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let changed = conn.execute(
        "UPDATE users SET is_active = ?2, updated_at_ms = ?3 WHERE email = ?1",
        params![email, active, now_ms],
    )?;
    Ok(changed > 0)
}

/// Deletes every user created through the E2E endpoint (with their tokens and keys).
pub fn delete_e2e(conn: &Connection) -> anyhow::Result<usize> {
    Ok(conn.execute("DELETE FROM users WHERE is_e2e = 1", [])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::store::Store;

    fn new_user(email: &str) -> NewUser {
        NewUser {
            email: email.to_owned(),
            password_hash: "x".to_owned(),
            name: "A".to_owned(),
            selected_plan: "free".to_owned(),
            signup_meta: serde_json::json!({}),
            ..NewUser::default()
        }
    }

    #[test]
    fn second_account_with_the_same_email_is_refused() {
        let store = Store::open_in_memory().unwrap();
        store
            .call_sync(|c| {
                assert!(insert(c, &new_user("a@example.com"), 1)?.is_some());
                assert!(insert(c, &new_user("a@example.com"), 2)?.is_none());
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(normalise_email("  Alice@Example.COM "), "alice@example.com");
    }
}
