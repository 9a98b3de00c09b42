//! HTTP handlers, one resource per file; [`router`] merges them.
//!
//! The 18 endpoints of AuthenticationApi.md live under `/api/v1/auth`, the neighbours of
//! CONTRACT.md under `/api/v1/public` and `/api/v1/account`; the test-control surface
//! ([`test_control`]) is merged by the app only when the test API is on.

pub mod accounts;
pub mod api_keys;
pub mod cookies;
pub mod deprecation;
pub mod me;
pub mod openapi;
pub mod password;
pub mod password_reset;
pub mod register;
pub mod session;
pub mod test_control;
pub mod verification;

use axum::Router;

use crate::reference::state::AppState;

/// Every public route of the server (auth API, neighbours, OpenAPI document).
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(me::router())
        .merge(password::router())
        .merge(password_reset::router())
        .merge(register::router())
        .merge(verification::router())
        .merge(api_keys::router())
        .merge(openapi::router())
}
