//! The wire log: every HTTP exchange a scenario made, API and mailbox alike, in order, with what
//! came back. `spatialflow-conformance bench` replays it with a bare reqwest loop to measure the
//! harness's own overhead; nothing else reads it, and nothing is logged unless the run records.

use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::exchange::{Body, Request};

/// Which service an exchange went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    /// The API under test (paths are relative to its base URL).
    Api,
    /// The Mailpit API (paths are relative to the mailbox URL).
    Mailbox,
}

/// One exchange as the replay needs it: the request as it went on the wire and the parts of the
/// answer that later requests may reuse (tokens in the body, cookies).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WireRecord {
    /// Where it went.
    pub service: Service,
    /// The request, with the `Cookie` header the jar added listed among its headers.
    pub request: Request,
    /// The status that came back.
    pub status: u16,
    /// The body that came back: JSON as is, any other text as a JSON string, none when empty.
    pub body: Option<Value>,
    /// The `Set-Cookie` values that came back.
    pub set_cookies: Vec<String>,
    /// Set on exchanges a step sent together, side by side: the same value on each of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<usize>,
}

impl WireRecord {
    /// A record of an answer whose body and cookies no later request reuses.
    pub fn bare(service: Service, request: Request, status: u16) -> Self {
        Self {
            service,
            request,
            status,
            body: None,
            set_cookies: Vec::new(),
            batch: None,
        }
    }

    /// The body of a response as the record keeps it.
    pub fn body_of(body: &Body) -> Option<Value> {
        match body {
            Body::Empty => None,
            Body::Json(v) => Some(v.clone()),
            Body::Text(t) => Some(Value::String(t.clone())),
        }
    }
}

/// A scenario's wire log; a disabled log (the default) records nothing and costs nothing.
#[derive(Clone, Debug, Default)]
pub struct WireLog(Option<Arc<Mutex<Vec<WireRecord>>>>);

impl WireLog {
    /// A log that records when `enabled`.
    pub fn new(enabled: bool) -> Self {
        Self(enabled.then(Arc::default))
    }

    /// Whether exchanges are being recorded (callers skip building records otherwise).
    pub fn is_enabled(&self) -> bool {
        self.0.is_some()
    }

    /// Appends a record built by `record`, which runs only when the log is enabled.
    pub fn push(&self, record: impl FnOnce() -> WireRecord) {
        if let Some(log) = &self.0 {
            log.lock().unwrap_or_else(|e| e.into_inner()).push(record());
        }
    }

    /// Marks the last `count` records as sent together (they are in the order their answers
    /// came back).
    pub fn mark_together(&self, count: usize) {
        if let Some(log) = &self.0 {
            let mut records = log.lock().unwrap_or_else(|e| e.into_inner());
            let first = records.len().saturating_sub(count);
            for record in &mut records[first..] {
                record.batch = Some(first);
            }
        }
    }

    /// Everything recorded so far, in order.
    pub fn records(&self) -> Vec<WireRecord> {
        self.0
            .as_ref()
            .map(|log| log.lock().unwrap_or_else(|e| e.into_inner()).clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str) -> WireRecord {
        WireRecord {
            service: Service::Api,
            request: Request::new("GET", path),
            status: 200,
            body: None,
            set_cookies: Vec::new(),
            batch: None,
        }
    }

    #[test]
    fn records_sent_together_share_a_batch() {
        let log = WireLog::new(true);
        for path in ["/a", "/b", "/c"] {
            log.push(|| record(path));
        }
        log.mark_together(2);
        let batches: Vec<Option<usize>> = log.records().into_iter().map(|r| r.batch).collect();
        assert_eq!(batches, [None, Some(1), Some(1)]);
    }

    #[test]
    fn a_disabled_log_records_nothing_and_never_builds_a_record() {
        let log = WireLog::new(false);
        log.push(|| unreachable!("not built when the log is off"));
        assert!(!log.is_enabled());
        assert!(log.records().is_empty());
    }

    #[test]
    fn an_enabled_log_keeps_order_across_clones() {
        let log = WireLog::new(true);
        let clone = log.clone();
        log.push(|| record("/a"));
        clone.push(|| record("/b"));
        let paths: Vec<String> = log.records().into_iter().map(|r| r.request.path).collect();
        assert_eq!(paths, ["/a", "/b"]);
    }

    #[test]
    fn text_bodies_are_kept_as_strings() {
        assert_eq!(WireRecord::body_of(&Body::Empty), None);
        assert_eq!(
            WireRecord::body_of(&Body::Text("oops".into())),
            Some(Value::String("oops".into()))
        );
    }
}
