//! Single-use emailed tokens: password reset (1 hour) and email verification (24 hours).
//!
//! Stored as SHA-256 only. Consumption is one conditional UPDATE, so a token works once even
//! under concurrent use. Unknown, used and expired tokens are indistinguishable to callers.
//! Decision: requesting a new reset token invalidates the user's earlier unused reset tokens;
//! verification tokens stay valid until used or expired (several emails may be in flight).

use rusqlite::{Connection, OptionalExtension, params};

/// What a token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Password reset.
    Reset,
    /// Email verification.
    Verify,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Reset => "reset",
            Self::Verify => "verify",
        }
    }
}

/// Stores a token hash; for [`Purpose::Reset`] earlier unused reset tokens are invalidated.
pub fn insert(
    conn: &Connection,
    token_hash: &str,
    user_id: &str,
    purpose: Purpose,
    now_ms: i64,
    expires_at_ms: i64,
) -> anyhow::Result<()> {
    if purpose == Purpose::Reset {
        invalidate(conn, user_id, purpose, now_ms)?;
    }
    conn.execute(
        "INSERT INTO one_time_tokens (token_hash, user_id, purpose, created_at_ms, expires_at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, user_id, purpose.as_str(), now_ms, expires_at_ms],
    )?;
    Ok(())
}

/// Marks the token used and returns its user, if it is known, unused and unexpired.
pub fn consume(
    conn: &Connection,
    token_hash: &str,
    purpose: Purpose,
    now_ms: i64,
) -> anyhow::Result<Option<String>> {
    Ok(conn
        .query_row(
            "UPDATE one_time_tokens SET used_at_ms = ?3 \
             WHERE token_hash = ?1 AND purpose = ?2 AND used_at_ms IS NULL AND expires_at_ms > ?3 \
             RETURNING user_id",
            params![token_hash, purpose.as_str(), now_ms],
            |row| row.get(0),
        )
        .optional()?)
}

/// Marks every unused token of this purpose of the user as used.
pub fn invalidate(
    conn: &Connection,
    user_id: &str,
    purpose: Purpose,
    now_ms: i64,
) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE one_time_tokens SET used_at_ms = ?3 \
         WHERE user_id = ?1 AND purpose = ?2 AND used_at_ms IS NULL",
        params![user_id, purpose.as_str(), now_ms],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::store::{Store, users};

    fn store_with_token(purpose: Purpose) -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .call_sync(|c| {
                let user = users::insert(
                    c,
                    &users::NewUser {
                        email: "t@example.com".to_owned(),
                        signup_meta: serde_json::json!({}),
                        ..users::NewUser::default()
                    },
                    0,
                )?
                .unwrap();
                insert(c, "tok", &user.id, purpose, 0, 1_000)
            })
            .unwrap();
        store
    }

    #[test]
    fn token_works_exactly_once() {
        let store = store_with_token(Purpose::Reset);
        store
            .call_sync(|c| {
                assert!(consume(c, "tok", Purpose::Reset, 10)?.is_some());
                assert!(consume(c, "tok", Purpose::Reset, 11)?.is_none());
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn expired_token_is_refused() {
        let store = store_with_token(Purpose::Verify);
        let user = store
            .call_sync(|c| consume(c, "tok", Purpose::Verify, 1_000))
            .unwrap();
        assert!(user.is_none());
    }

    #[test]
    fn token_of_another_purpose_is_refused() {
        let store = store_with_token(Purpose::Verify);
        let user = store
            .call_sync(|c| consume(c, "tok", Purpose::Reset, 10))
            .unwrap();
        assert!(user.is_none());
    }
}
