//! POST /api/v1/account/api-keys (JWT or API key; 201 ApiKeyCreateResponse, 400) and
//! GET /api/v1/auth/test-api-key (API key only; 200).
//!
//! Decisions: the body is optional (absent = defaults); name defaults to "Default" and is at
//! most 100 characters (400 beyond); permissions default to `["read"]`; the secret `sf_...` is
//! returned once in `api_key.key` and never again; test-api-key reports the key id and
//! prefix, never the secret.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::reference::auth::{ApiKeyUser, JwtOrApiKeyUser};
use crate::reference::clock::to_rfc3339;
use crate::reference::error::ApiError;
use crate::reference::extract::{
    RequestModel, decode_model, parse_json, read_body, require_json_content_type,
};
use crate::reference::state::AppState;
use crate::reference::store::api_keys::{self, ApiKey};
use crate::reference::tokens::opaque;

/// Routes of this file.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/account/api-keys", post(create_api_key))
        .route("/api/v1/auth/test-api-key", get(test_api_key))
}

/// Maximum length of a key name.
pub const MAX_NAME_LENGTH: usize = 100;

/// ApiKeyCreateRequest.
#[derive(Debug, Default, Deserialize)]
pub struct ApiKeyCreateRequest {
    name: Option<String>,
    permissions: Option<Vec<String>>,
}

impl RequestModel for ApiKeyCreateRequest {
    const SCHEMA: &'static str = "ApiKeyCreateRequest";
}

/// The ApiKeyResponse object.
pub fn api_key_body(key: &ApiKey) -> Value {
    json!({
        "id": key.id,
        "name": key.name,
        "key_prefix": key.key_prefix,
        "permissions": key.permissions,
        "is_active": key.is_active,
        "usage_count": key.usage_count,
        "rate_limit_per_hour": key.rate_limit_per_hour,
        "created_at": to_rfc3339(key.created_at_ms),
        "last_used_at": key.last_used_at_ms.map(to_rfc3339),
    })
}

async fn create_api_key(
    State(state): State<AppState>,
    JwtOrApiKeyUser(user): JwtOrApiKeyUser,
    req: Request,
) -> Result<Response, ApiError> {
    let headers = req.headers().clone();
    let bytes = read_body(req, &state).await?;
    let body: ApiKeyCreateRequest = if bytes.iter().all(u8::is_ascii_whitespace) {
        ApiKeyCreateRequest::default()
    } else {
        require_json_content_type(&headers)?;
        decode_model(parse_json(&bytes)?)?
    };
    let name = body
        .name
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Default".to_owned());
    if name.chars().count() > MAX_NAME_LENGTH {
        return Err(ApiError::bad_request(
            "invalid_name",
            "API key name must be at most 100 characters",
        ));
    }
    let permissions = body.permissions.unwrap_or_else(|| vec!["read".to_owned()]);
    if permissions.iter().any(|p| p.trim().is_empty()) {
        return Err(ApiError::bad_request(
            "invalid_permissions",
            "Permissions must be non-empty strings",
        ));
    }
    let secret = opaque::generate_api_key();
    let key = ApiKey {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user.id,
        name,
        key_prefix: secret.chars().take(opaque::DISPLAY_PREFIX_LEN).collect(),
        permissions,
        is_active: true,
        usage_count: 0,
        rate_limit_per_hour: 1000,
        created_at_ms: state.clock.now_ms(),
        last_used_at_ms: None,
    };
    let hash = opaque::hash_secret(&secret);
    let stored = key.clone();
    state
        .store
        .call(move |c| api_keys::insert(c, &stored, &hash))
        .await?;
    let mut api_key = api_key_body(&key);
    api_key["key"] = json!(secret);
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({"message": "API key created", "api_key": api_key})),
    )
        .into_response())
}

async fn test_api_key(found: ApiKeyUser) -> axum::Json<Value> {
    axum::Json(json!({
        "message": "API key authentication successful",
        "user_id": found.user.id,
        "key_id": found.key.id,
        "key_prefix": found.key.key_prefix,
    }))
}
