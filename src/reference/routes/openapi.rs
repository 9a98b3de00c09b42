//! GET /api/v1/openapi.json: the OpenAPI 3.1 document of the contract.

use axum::Router;
use axum::routing::get;
use serde_json::{Value, json};

use crate::reference::state::AppState;

/// Routes of this file.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(openapi_json))
}

async fn openapi_json() -> axum::Json<Value> {
    axum::Json(document())
}

/// The document served. Swap point: becomes `crate::contract::openapi::document()` once the
/// contract module lands.
fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "SpatialFlow Authentication API", "version": "1.0.0"},
        "paths": {}
    })
}
