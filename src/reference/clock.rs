//! The server clock: the single source of "now" for every time-dependent rule (JWT `iat`/`exp`,
//! refresh/reset/verification token expiry, the resend-verification rate-limit window).
//!
//! Tests move it forward through `POST /api/v1/test/clock/advance`, so advancing it really
//! expires things. Decision: readings are strictly increasing milliseconds (two readings never
//! return the same instant), which lets "tokens issued before logout" be told apart from
//! "tokens issued right after logout" even within one millisecond.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeZone, Utc};

/// A shared, advanceable, strictly monotonic clock. Clones share the same time.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    inner: Arc<ClockInner>,
}

#[derive(Debug, Default)]
struct ClockInner {
    offset_ms: AtomicI64,
    last_ms: AtomicI64,
}

impl Clock {
    /// A clock that starts at the real time, with no offset.
    pub fn new() -> Self {
        Self::default()
    }

    /// The current instant in Unix milliseconds; every call returns a larger value than the last.
    pub fn now_ms(&self) -> i64 {
        let wanted = Utc::now().timestamp_millis() + self.inner.offset_ms.load(Ordering::SeqCst);
        let previous = self
            .inner
            .last_ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
                Some(wanted.max(last + 1))
            })
            .unwrap_or(wanted);
        wanted.max(previous + 1)
    }

    /// The current instant as a UTC date-time.
    pub fn now(&self) -> DateTime<Utc> {
        to_datetime(self.now_ms())
    }

    /// How far the clock has been moved ahead of real time, in whole seconds.
    pub fn offset_seconds(&self) -> i64 {
        self.inner.offset_ms.load(Ordering::SeqCst) / 1000
    }

    /// Moves the clock forward by `seconds` (the caller rejects negative values).
    pub fn advance(&self, seconds: i64) {
        self.inner
            .offset_ms
            .fetch_add(seconds.saturating_mul(1000), Ordering::SeqCst);
    }
}

/// Converts Unix milliseconds to a UTC date-time (out-of-range values clamp to the epoch).
pub fn to_datetime(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// Formats Unix milliseconds as RFC 3339 with millisecond precision and a `Z` offset.
pub fn to_rfc3339(ms: i64) -> String {
    to_datetime(ms).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_are_strictly_increasing() {
        let clock = Clock::new();
        let mut last = clock.now_ms();
        for _ in 0..1000 {
            let next = clock.now_ms();
            assert!(next > last);
            last = next;
        }
    }

    #[test]
    fn advancing_moves_now_and_offset() {
        let clock = Clock::new();
        let before = clock.now_ms();
        clock.advance(3600);
        assert!(clock.now_ms() >= before + 3_600_000);
        assert_eq!(clock.offset_seconds(), 3600);
    }

    #[test]
    fn clones_share_the_same_time() {
        let clock = Clock::new();
        let other = clock.clone();
        other.advance(60);
        assert_eq!(clock.offset_seconds(), 60);
    }

    #[test]
    fn rfc3339_has_millis_and_zulu() {
        assert_eq!(to_rfc3339(0), "1970-01-01T00:00:00.000Z");
    }
}
