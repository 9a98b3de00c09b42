//! Refresh tokens ("sessions").
//!
//! Decisions: a refresh token is opaque, stored hashed, valid 7 days from login; every refresh
//! rotates it (the old one is revoked in the same transaction, so a token is used at most once
//! even under concurrent refreshes) and the successor keeps the original expiry (rotation never
//! extends a session). Replaying an already rotated token revokes its whole family (RFC 9700
//! reuse detection). Logout, change-password and password-reset confirm revoke all of a user's
//! tokens.

use rusqlite::{Connection, OptionalExtension, params};

/// Result of presenting a refresh token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rotation {
    /// The token was valid; it is now revoked and `new_hash` replaces it.
    Rotated {
        /// Owner of the session.
        user_id: String,
        /// Expiry of the successor (same as the original).
        expires_at_ms: i64,
    },
    /// Unknown, expired or revoked token.
    Refused,
}

/// Stores a new refresh token starting a new family.
pub fn insert(
    conn: &Connection,
    token_hash: &str,
    user_id: &str,
    family_id: &str,
    now_ms: i64,
    expires_at_ms: i64,
) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO refresh_tokens (token_hash, user_id, family_id, issued_at_ms, expires_at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, user_id, family_id, now_ms, expires_at_ms],
    )?;
    Ok(())
}

/// Revokes `old_hash` and stores `new_hash` as its successor, atomically.
pub fn rotate(
    conn: &mut Connection,
    old_hash: &str,
    new_hash: &str,
    now_ms: i64,
) -> anyhow::Result<Rotation> {
    let tx = conn.transaction()?;
    let found: Option<(String, String, i64, Option<String>)> = tx
        .query_row(
            "SELECT user_id, family_id, expires_at_ms, revoked_reason FROM refresh_tokens \
             WHERE token_hash = ?1",
            params![old_hash],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    let Some((user_id, family_id, expires_at_ms, revoked)) = found else {
        return Ok(Rotation::Refused);
    };
    if let Some(reason) = revoked {
        if reason == "rotated" {
            tx.execute(
                "UPDATE refresh_tokens SET revoked_at_ms = ?2, revoked_reason = 'replay' \
                 WHERE family_id = ?1 AND revoked_at_ms IS NULL",
                params![family_id, now_ms],
            )?;
            tx.commit()?;
        }
        return Ok(Rotation::Refused);
    }
    if expires_at_ms <= now_ms {
        return Ok(Rotation::Refused);
    }
    let revoked = tx.execute(
        "UPDATE refresh_tokens SET revoked_at_ms = ?2, revoked_reason = 'rotated' \
         WHERE token_hash = ?1 AND revoked_at_ms IS NULL",
        params![old_hash, now_ms],
    )?;
    if revoked != 1 {
        return Ok(Rotation::Refused);
    }
    tx.execute(
        "INSERT INTO refresh_tokens (token_hash, user_id, family_id, issued_at_ms, expires_at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![new_hash, user_id, family_id, now_ms, expires_at_ms],
    )?;
    tx.commit()?;
    Ok(Rotation::Rotated {
        user_id,
        expires_at_ms,
    })
}

/// Revokes every live refresh token of a user.
pub fn revoke_all(
    conn: &Connection,
    user_id: &str,
    now_ms: i64,
    reason: &str,
) -> anyhow::Result<usize> {
    Ok(conn.execute(
        "UPDATE refresh_tokens SET revoked_at_ms = ?2, revoked_reason = ?3 \
         WHERE user_id = ?1 AND revoked_at_ms IS NULL",
        params![user_id, now_ms, reason],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::store::{Store, users};

    fn store_with_user() -> (Store, String) {
        let store = Store::open_in_memory().unwrap();
        let id = store
            .call_sync(|c| {
                let user = users::insert(
                    c,
                    &users::NewUser {
                        email: "s@example.com".to_owned(),
                        signup_meta: serde_json::json!({}),
                        ..users::NewUser::default()
                    },
                    0,
                )?
                .unwrap();
                insert(c, "h1", &user.id, "f1", 0, 10_000)?;
                Ok(user.id)
            })
            .unwrap();
        (store, id)
    }

    #[test]
    fn rotation_revokes_the_old_token_and_keeps_the_expiry() {
        let (store, id) = store_with_user();
        store
            .call_sync(|c| {
                let first = rotate(c, "h1", "h2", 5)?;
                assert_eq!(
                    first,
                    Rotation::Rotated {
                        user_id: id.clone(),
                        expires_at_ms: 10_000
                    }
                );
                assert_eq!(rotate(c, "h1", "h3", 6)?, Rotation::Refused);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn replaying_a_rotated_token_revokes_its_successor() {
        let (store, _) = store_with_user();
        store
            .call_sync(|c| {
                rotate(c, "h1", "h2", 5)?;
                rotate(c, "h1", "h3", 6)?;
                assert_eq!(rotate(c, "h2", "h4", 7)?, Rotation::Refused);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn expired_token_is_refused() {
        let (store, _) = store_with_user();
        let outcome = store.call_sync(|c| rotate(c, "h1", "h2", 10_000)).unwrap();
        assert_eq!(outcome, Rotation::Refused);
    }

    #[test]
    fn revoke_all_stops_every_token() {
        let (store, id) = store_with_user();
        store
            .call_sync(|c| {
                assert_eq!(revoke_all(c, &id, 1, "logout")?, 1);
                assert_eq!(rotate(c, "h1", "h2", 2)?, Rotation::Refused);
                Ok(())
            })
            .unwrap();
    }
}
