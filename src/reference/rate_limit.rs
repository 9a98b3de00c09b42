//! Rolling-window rate limiting, stored in SQLite (`rate_limit_hits`).
//!
//! Rule for resend-verification-email: 3 requests per rolling hour per lower-cased, trimmed
//! email, whether or not the account exists (so the limit reveals nothing). A refused request
//! is not counted. `Retry-After` is the number of whole seconds until the oldest counted
//! request leaves the window (at least 1).

use rusqlite::{Connection, params};

use crate::reference::config::RateRule;

/// Outcome of one rate-limited request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Allowed and counted.
    Allowed,
    /// Refused; retry after this many seconds.
    Limited {
        /// Seconds until a slot frees.
        retry_after: i64,
    },
}

/// Pure decision: `hits` are the instants (ms) of earlier counted requests, any order.
pub fn decide(hits: &[i64], now_ms: i64, rule: RateRule) -> Decision {
    let window_ms = rule.window_seconds * 1000;
    let mut inside: Vec<i64> = hits
        .iter()
        .copied()
        .filter(|&at| at > now_ms - window_ms)
        .collect();
    if inside.len() < rule.max as usize {
        return Decision::Allowed;
    }
    inside.sort_unstable();
    // The slot frees when the oldest hit that keeps us at the limit leaves the window.
    let freeing = inside[inside.len() - rule.max as usize];
    let wait_ms = freeing + window_ms - now_ms;
    Decision::Limited {
        retry_after: ((wait_ms + 999) / 1000).max(1),
    }
}

/// Counts a request of `subject` in `bucket` if the rule allows it (one transaction).
pub fn hit(
    conn: &mut Connection,
    bucket: &str,
    subject: &str,
    now_ms: i64,
    rule: RateRule,
) -> anyhow::Result<Decision> {
    let tx = conn.transaction()?;
    tx.execute(
        "DELETE FROM rate_limit_hits WHERE bucket = ?1 AND subject = ?2 AND at_ms <= ?3",
        params![bucket, subject, now_ms - rule.window_seconds * 1000],
    )?;
    let hits = {
        let mut stmt =
            tx.prepare("SELECT at_ms FROM rate_limit_hits WHERE bucket = ?1 AND subject = ?2")?;
        stmt.query_map(params![bucket, subject], |row| row.get::<_, i64>(0))?
            .collect::<Result<Vec<_>, _>>()?
    };
    let decision = decide(&hits, now_ms, rule);
    if decision == Decision::Allowed {
        tx.execute(
            "INSERT INTO rate_limit_hits (bucket, subject, at_ms) VALUES (?1, ?2, ?3)",
            params![bucket, subject, now_ms],
        )?;
    }
    tx.commit()?;
    Ok(decision)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: RateRule = RateRule {
        max: 3,
        window_seconds: 3600,
    };

    #[test]
    fn three_requests_in_an_hour_are_allowed() {
        assert_eq!(decide(&[1_000, 2_000], 3_000, RULE), Decision::Allowed);
    }

    #[test]
    fn fourth_request_is_limited_until_the_oldest_leaves() {
        let decision = decide(&[0, 1_000, 2_000], 600_000, RULE);
        assert_eq!(decision, Decision::Limited { retry_after: 3000 });
    }

    #[test]
    fn hits_outside_the_window_do_not_count() {
        assert_eq!(
            decide(&[0, 1_000, 2_000], 3_600_500, RULE),
            Decision::Allowed
        );
    }

    #[test]
    fn retry_after_is_at_least_one_second() {
        let decision = decide(&[0, 1, 2], 3_599_999, RULE);
        assert_eq!(decision, Decision::Limited { retry_after: 1 });
    }
}
