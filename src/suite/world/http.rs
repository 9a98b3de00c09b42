//! Requests about the HTTP surface itself: retired endpoints, malformed input, unknown routes,
//! and the test clock.

use serde_json::json;
use spatialflow_conformance::harness::Request;
use spatialflow_conformance::harness::checks::check_status;

use super::{AuthWorld, paths, verify};

/// What a request to the retired reset-password endpoint carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetiredBody {
    /// uid, token and new_password, as the old flow sent them.
    Complete,
    /// `{}`.
    Empty,
    /// Not JSON at all.
    Malformed,
}

impl std::str::FromStr for RetiredBody {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "a complete request" => Ok(Self::Complete),
            "an empty request" => Ok(Self::Empty),
            "a malformed request" => Ok(Self::Malformed),
            other => Err(format!("unknown request kind {other:?}")),
        }
    }
}

impl AuthWorld {
    /// Calls the retired reset-password endpoint.
    pub async fn use_retired_reset(&mut self, body: RetiredBody) {
        let request = Request::new("POST", paths::RESET_PASSWORD_DEPRECATED);
        let request = match body {
            RetiredBody::Complete => request.json(
                json!({"uid": "MQ", "token": "old-style-token", "new_password": "Another1!pass"}),
            ),
            RetiredBody::Empty => request.json(json!({})),
            RetiredBody::Malformed => request.raw("{\"uid\": "),
        };
        self.send(request).await;
    }

    /// Sends a login whose body is not valid JSON.
    pub async fn send_malformed_login(&mut self) {
        self.send(Request::new("POST", paths::LOGIN).raw("{\"email\": "))
            .await;
    }

    /// Sends a login as an HTML form would, not as JSON.
    pub async fn send_form_login(&mut self) {
        self.send(
            Request::new("POST", paths::LOGIN)
                .form("email=someone%40example.com&password=whatever1"),
        )
        .await;
    }

    /// Calls a route the API does not have.
    pub async fn call_unknown_route(&mut self) {
        self.send(Request::new("GET", "/api/v1/auth/no-such-endpoint"))
            .await;
    }

    /// Calls the login route with a method it does not accept.
    pub async fn call_login_with_wrong_method(&mut self) {
        self.send(Request::new("DELETE", paths::LOGIN)).await;
    }

    /// Moves the server clock forward.
    pub async fn advance_clock(&mut self, seconds: u64) {
        self.send(Request::new("POST", paths::CLOCK_ADVANCE).json(json!({"seconds": seconds})))
            .await;
        verify(check_status(self.last(), &[200]));
    }
}
