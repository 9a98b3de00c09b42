//! Assertions over the recorded exchanges (the pure checks live in the harness).

use serde_json::json;
use spatialflow_conformance::harness::checks::{
    check_body_omits, check_cookies_cleared, check_deprecation, check_error_shape,
    check_header_contains, check_header_present, check_json_absent, check_json_content_type,
    check_json_equals, check_json_present, check_json_str_ignoring_case, check_link_relation,
    check_retry_after, check_same_answer, check_session_cookies_hardened,
    check_session_cookies_http_only, check_status,
};
use spatialflow_conformance::harness::snapshot;

use super::{AuthWorld, verify};

/// What the caller is told, in the words of the features.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Told {
    /// 200
    Ok,
    /// 201
    Created,
    /// 400
    BadRequest,
    /// 401
    NotAuthenticated,
    /// 404
    NotFound,
    /// 405
    MethodNotAllowed,
    /// 410
    Gone,
    /// 422
    Invalid,
    /// 429
    SlowDown,
    /// 400 or 422: the contract lets either reject malformed input.
    Rejected,
    /// 403
    Forbidden,
    /// 415
    UnsupportedMediaType,
}

impl std::str::FromStr for Told {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "it worked" => Self::Ok,
            "the account was created" => Self::Created,
            "the request was bad" => Self::BadRequest,
            "she is not authenticated"
            | "he is not authenticated"
            | "they are not authenticated" => Self::NotAuthenticated,
            "there is no such endpoint" => Self::NotFound,
            "the method is not allowed" => Self::MethodNotAllowed,
            "the endpoint is gone" => Self::Gone,
            "the request does not match the schema" => Self::Invalid,
            "to slow down" => Self::SlowDown,
            "the request was rejected" => Self::Rejected,
            "it is forbidden" => Self::Forbidden,
            "the media type is not supported" => Self::UnsupportedMediaType,
            other => return Err(format!("unknown answer {other:?}")),
        })
    }
}

impl Told {
    fn statuses(self) -> &'static [u16] {
        match self {
            Self::Ok => &[200],
            Self::Created => &[201],
            Self::BadRequest => &[400],
            Self::NotAuthenticated => &[401],
            Self::NotFound => &[404],
            Self::MethodNotAllowed => &[405],
            Self::Gone => &[410],
            Self::Invalid => &[422],
            Self::SlowDown => &[429],
            Self::Rejected => &[400, 422],
            Self::Forbidden => &[403],
            Self::UnsupportedMediaType => &[415],
        }
    }
}

impl AuthWorld {
    /// The latest answer is `told`; every error also has the standard error shape.
    pub fn expect_told(&self, told: Told) {
        verify(check_status(self.last(), told.statuses()));
        if self.last().response.status >= 400 {
            verify(check_error_shape(self.last()));
        }
    }

    /// The latest answer is a session: tokens, bearer type, lifetime.
    pub fn expect_session(&self) {
        let last = self.last();
        verify(check_status(last, &[200]));
        verify(check_json_present(last, "/access_token"));
        verify(check_json_present(last, "/refresh_token"));
        verify(check_json_present(last, "/expires_in"));
        verify(check_json_str_ignoring_case(last, "/token_type", "bearer"));
    }

    /// The latest answer set HttpOnly cookies.
    pub fn expect_http_only_cookies(&self) {
        verify(check_session_cookies_http_only(self.last()));
    }

    /// The latest answer's cookies are Secure and SameSite.
    pub fn expect_hardened_cookies(&self) {
        verify(check_session_cookies_hardened(self.last()));
    }

    /// The latest answer clears every cookie login set for the person.
    pub fn expect_cookies_cleared(&mut self, name: &str) {
        let earlier = self.person(name).session_cookies.clone();
        assert!(!earlier.is_empty(), "login set no cookies");
        verify(check_cookies_cleared(self.last(), &earlier));
    }

    /// The latest answer is the person's profile.
    pub fn expect_profile_of(&mut self, name: &str) {
        let email = self.person(name).persona.email.clone();
        verify(check_status(self.last(), &[200, 201]));
        verify(check_json_equals(self.last(), "/email", &json!(email)));
    }

    /// The latest answer's user is the person.
    pub fn expect_session_user(&mut self, name: &str) {
        let email = self.person(name).persona.email.clone();
        verify(check_json_equals(self.last(), "/user/email", &json!(email)));
    }

    /// The latest answer is marked deprecated (RFC 9745).
    pub fn expect_deprecated(&self) {
        verify(check_deprecation(self.last()));
    }

    /// The latest answer links to the endpoint that replaces it.
    pub fn expect_successor_link(&self) {
        verify(check_link_relation(self.last(), "successor-version"));
    }

    /// The latest answer announces when the endpoint goes away (RFC 8594 `Sunset`).
    pub fn expect_sunset(&self) {
        verify(check_header_present(self.last(), "Sunset"));
    }

    /// The latest answer says when to retry.
    pub fn expect_retry_after(&self) {
        verify(check_retry_after(self.last()));
    }

    /// The latest answer challenges for a bearer token (`WWW-Authenticate: Bearer`).
    pub fn expect_bearer_challenge(&self) {
        verify(check_header_contains(
            self.last(),
            "WWW-Authenticate",
            "Bearer",
        ));
    }

    /// The latest answer forbids caching and content sniffing.
    pub fn expect_no_store_no_sniff(&self) {
        verify(check_header_contains(
            self.last(),
            "Cache-Control",
            "no-store",
        ));
        verify(check_header_contains(
            self.last(),
            "X-Content-Type-Options",
            "nosniff",
        ));
    }

    /// The latest answer lists the allowed methods.
    pub fn expect_allow_header(&self) {
        verify(check_header_present(self.last(), "Allow"));
    }

    /// The two latest answers are identical.
    pub fn expect_same_answers(&self) {
        verify(check_same_answer(self.previous(), self.last()));
    }

    /// The latest answer is JSON.
    pub fn expect_json(&self) {
        verify(check_json_content_type(self.last()));
    }

    /// No password of the scenario's people appears in the latest answer.
    pub fn expect_no_secrets(&self) {
        let passwords = self.passwords();
        let refs: Vec<&str> = passwords.iter().map(String::as_str).collect();
        verify(check_body_omits(self.last(), &refs));
        verify(check_json_absent(self.last(), "/password"));
        verify(check_json_absent(self.last(), "/user/password"));
    }

    /// The latest answer matches snapshot `name` (strict against the reference).
    pub fn expect_snapshot(&mut self, name: &str) {
        let value = match &self.last().response.body {
            spatialflow_conformance::harness::Body::Json(v) => v.clone(),
            spatialflow_conformance::harness::Body::Empty => serde_json::Value::Null,
            spatialflow_conformance::harness::Body::Text(t) => serde_json::Value::String(t.clone()),
        };
        let value = json!({"status": self.last().response.status, "body": value});
        let strict = self.ctx.snapshots_are_strict();
        if let Some(warning) = snapshot::compare(&self.ctx.snapshots, name, &value, strict) {
            spatialflow_conformance::say!(
                "WARNING: {}",
                spatialflow_conformance::harness::redact::redact(&warning)
            );
            self.warnings.push(warning);
        }
    }
}
