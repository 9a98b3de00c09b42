//! One request and its response, recorded as plain data.

use std::time::Duration;

use serde_json::Value;

/// A response body as received.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// No bytes at all.
    Empty,
    /// A body that parsed as JSON.
    Json(Value),
    /// Any other body (kept as lossy UTF-8 text).
    Text(String),
}

impl Body {
    /// Classifies raw bytes: empty, JSON when it parses, text otherwise.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        if bytes.is_empty() {
            return Self::Empty;
        }
        match serde_json::from_slice(bytes) {
            Ok(value) => Self::Json(value),
            Err(_) => Self::Text(String::from_utf8_lossy(bytes).into_owned()),
        }
    }

    /// The JSON value, if the body is JSON.
    pub fn json(&self) -> Option<&Value> {
        match self {
            Self::Json(v) => Some(v),
            _ => None,
        }
    }
}

/// What the suite sent.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Request {
    /// HTTP method, upper case.
    pub method: String,
    /// Path relative to the target, with query (e.g. `/api/v1/auth/verify-email?token=...`).
    pub path: String,
    /// Headers set explicitly by the step (the cookie jar's are not listed).
    pub headers: Vec<(String, String)>,
    /// JSON body, if any.
    pub json: Option<Value>,
    /// Raw body sent instead of JSON (for malformed-input scenarios).
    pub raw: Option<String>,
}

impl Request {
    /// A request without body or headers.
    pub fn new(method: &str, path: impl Into<String>) -> Self {
        Self {
            method: method.to_owned(),
            path: path.into(),
            headers: Vec::new(),
            json: None,
            raw: None,
        }
    }

    /// Adds a JSON body.
    pub fn json(mut self, body: Value) -> Self {
        self.json = Some(body);
        self
    }

    /// Adds a raw body (sent with a JSON content type unless a `Content-Type` header is set).
    pub fn raw(mut self, body: impl Into<String>) -> Self {
        self.raw = Some(body.into());
        self
    }

    /// Adds a URL-encoded form body, as an HTML form would send it.
    pub fn form(self, body: impl Into<String>) -> Self {
        self.header("Content-Type", "application/x-www-form-urlencoded")
            .raw(body)
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Adds `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Self {
        self.header("Authorization", format!("Bearer {token}"))
    }

    /// Whether the step set header `name` itself (case-insensitive).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// The path without its query string (what the endpoint table is keyed by).
    pub fn route(&self) -> &str {
        self.path.split('?').next().unwrap_or(&self.path)
    }
}

/// What came back.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// All headers in arrival order, names lower-cased; repeated headers appear repeatedly.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
}

impl Response {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of header `name` (case-insensitive).
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The JSON string at `pointer`, if present.
    pub fn json_str(&self, pointer: &str) -> Option<&str> {
        self.body.json()?.pointer(pointer)?.as_str()
    }
}

/// A request with its response and how long the round trip took.
#[derive(Clone, Debug, PartialEq)]
pub struct Exchange {
    /// The request as sent.
    pub request: Request,
    /// The response as received.
    pub response: Response,
    /// Round-trip time.
    pub elapsed: Duration,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_classification() {
        assert_eq!(Body::from_bytes(b""), Body::Empty);
        assert_eq!(
            Body::from_bytes(br#"{"a":1}"#),
            Body::Json(serde_json::json!({"a": 1}))
        );
        assert_eq!(Body::from_bytes(b"oops"), Body::Text("oops".into()));
    }

    #[test]
    fn headers_set_by_the_step_are_found_in_any_case() {
        let r = Request::new("POST", "/x").header("Content-Type", "text/plain");
        assert!(r.has_header("content-type"));
        assert!(!r.has_header("cookie"));
    }

    #[test]
    fn route_drops_the_query() {
        let r = Request::new("GET", "/api/v1/auth/verify-email?token=x");
        assert_eq!(r.route(), "/api/v1/auth/verify-email");
    }

    #[test]
    fn headers_are_case_insensitive_and_repeatable() {
        let r = Response {
            status: 200,
            headers: vec![
                ("set-cookie".into(), "a=1".into()),
                ("set-cookie".into(), "b=2".into()),
            ],
            body: Body::Empty,
        };
        assert_eq!(r.header("Set-Cookie"), Some("a=1"));
        assert_eq!(r.headers_named("SET-COOKIE").count(), 2);
    }
}
