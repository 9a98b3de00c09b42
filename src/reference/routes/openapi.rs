//! GET /api/v1/openapi.json: the OpenAPI 3.1 document built by the contract module from the
//! same operation table and schemas the server validates against. With the test API on, the
//! document also describes the test-control surface.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::Value;

use crate::contract::openapi::{self, Surface};
use crate::reference::state::AppState;

/// Routes of this file.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(openapi_json))
}

async fn openapi_json(State(state): State<AppState>) -> axum::Json<Value> {
    let surface = if state.config.test_api {
        Surface::WithTestApi
    } else {
        Surface::Public
    };
    axum::Json(openapi::document(surface))
}
