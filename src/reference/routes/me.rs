//! The authenticated user's views: GET /me (UserResponse), GET /feature-flags (an object of
//! booleans), GET /test-auth (JWT check), GET /health (unauthenticated).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use crate::reference::auth::JwtUser;
use crate::reference::models::UserResponse;
use crate::reference::state::AppState;

/// Routes of this file.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/me", get(current_user))
        .route("/api/v1/auth/feature-flags", get(feature_flags))
        .route("/api/v1/auth/test-auth", get(test_jwt_auth))
        .route("/api/v1/auth/health", get(health))
}

/// GET /api/v1/auth/me: 200 UserResponse.
async fn current_user(JwtUser(user): JwtUser) -> axum::Json<UserResponse> {
    axum::Json(UserResponse::from(&user))
}

/// GET /api/v1/auth/feature-flags: 200 object of booleans (decision: fixed flags, beta and
/// admin flags follow the user).
async fn feature_flags(
    State(_state): State<AppState>,
    JwtUser(user): JwtUser,
) -> axum::Json<Value> {
    axum::Json(json!({
        "beta_features": user.is_beta_user,
        "api_keys": true,
        "webhooks": true,
        "geofences": true,
        "advanced_analytics": false,
        "admin_dashboard": user.is_staff,
    }))
}

/// GET /api/v1/auth/test-auth: 200 when the JWT is valid.
async fn test_jwt_auth(JwtUser(user): JwtUser) -> axum::Json<Value> {
    axum::Json(json!({
        "message": "JWT authentication successful",
        "user_id": user.id,
        "email": user.email,
    }))
}

/// GET /api/v1/auth/health: 200, no authentication.
async fn health() -> axum::Json<Value> {
    axum::Json(json!({"status": "ok", "service": "spatialflow-auth"}))
}
