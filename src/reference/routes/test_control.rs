//! The test-control surface (mounted only with the test API on; otherwise these paths 404).
//!
//! E2E endpoints of CONTRACT.md: POST /api/v1/test/create-user (200 TestUserResponse, 400 on a
//! duplicate email or weak password), POST /api/v1/test/cleanup-e2e-data and
//! DELETE /api/v1/test/cleanup (200 MessageResponse; both delete the users created through
//! create-user, with their tokens and keys). The server clock: GET /api/v1/test/clock and
//! POST /api/v1/test/clock/advance `{"seconds": N}` (N >= 0; 400 otherwise), both answering
//! `{"now", "offset_seconds"}`; a negative N breaks ClockAdvanceRequest (`minimum: 0`) -> 422. Extra (decision): POST /api/v1/test/deactivate-user
//! `{"email"}` deactivates an account (200; 404 when unknown) so the suite can check that a
//! deactivated user's tokens stop working.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::reference::error::ApiError;
use crate::reference::extract::{ContractJson, RequestModel};
use crate::reference::models::UserResponse;
use crate::reference::routes::accounts::{AccountRequest, create_account};
use crate::reference::state::AppState;
use crate::reference::store::users;

/// Test-control routes (the app adds them only when the test API is on).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/test/create-user", post(create_user))
        .route("/api/v1/test/cleanup-e2e-data", post(cleanup))
        .route("/api/v1/test/cleanup", delete(cleanup))
        .route("/api/v1/test/deactivate-user", post(deactivate_user))
        .route("/api/v1/test/clock", get(read_clock))
        .route("/api/v1/test/clock/advance", post(advance_clock))
}

/// CreateUserSchema.
#[derive(Debug, Deserialize)]
pub struct CreateUserSchema {
    email: String,
    password: String,
    first_name: Option<String>,
    last_name: Option<String>,
    email_verified: Option<bool>,
    is_staff: Option<bool>,
    is_superuser: Option<bool>,
}

impl RequestModel for CreateUserSchema {
    const SCHEMA: &'static str = "CreateUserSchema";
}

/// ClockAdvanceRequest.
#[derive(Debug, Deserialize)]
pub struct ClockAdvanceRequest {
    seconds: i64,
}

impl RequestModel for ClockAdvanceRequest {
    const SCHEMA: &'static str = "ClockAdvanceRequest";
}

/// Body of POST /api/v1/test/deactivate-user.
#[derive(Debug, Deserialize)]
pub struct DeactivateUserRequest {
    email: String,
}

impl RequestModel for DeactivateUserRequest {
    /// Same shape as ForgotPasswordSchema (`{"email"}`), so the contract's schema serves.
    const SCHEMA: &'static str = "ForgotPasswordSchema";
}

async fn create_user(
    State(state): State<AppState>,
    ContractJson(body): ContractJson<CreateUserSchema>,
) -> Result<axum::Json<Value>, ApiError> {
    let first = body.first_name.unwrap_or_else(|| "Test".to_owned());
    let last = body.last_name.unwrap_or_else(|| "User".to_owned());
    let request = AccountRequest {
        email: body.email,
        password: body.password,
        name: format!("{first} {last}").trim().to_owned(),
        email_verified: body.email_verified.unwrap_or(true),
        is_staff: body.is_staff.unwrap_or(false),
        is_superuser: body.is_superuser.unwrap_or(false),
        is_e2e: true,
        signup_meta: json!({"via": "e2e"}),
        ..AccountRequest::default()
    };
    let user = create_account(&state, request).await?;
    Ok(axum::Json(json!({
        "message": "Test user created",
        "user": UserResponse::from(&user),
    })))
}

async fn cleanup(State(state): State<AppState>) -> Result<axum::Json<Value>, ApiError> {
    let deleted = state.store.call(|c| users::delete_e2e(c)).await?;
    Ok(axum::Json(json!({
        "message": "E2E test data cleaned up",
        "deleted_users": deleted,
    })))
}

async fn deactivate_user(
    State(state): State<AppState>,
    ContractJson(body): ContractJson<DeactivateUserRequest>,
) -> Result<axum::Json<Value>, ApiError> {
    let email = users::normalise_email(&body.email);
    let now = state.clock.now_ms();
    let found = state
        .store
        .call(move |c| users::set_active(c, &email, false, now))
        .await?;
    if !found {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "No account with this email",
        ));
    }
    Ok(axum::Json(json!({"message": "User deactivated"})))
}

fn clock_body(state: &AppState) -> Value {
    json!({
        "now": state.clock.now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "offset_seconds": state.clock.offset_seconds(),
    })
}

async fn read_clock(State(state): State<AppState>) -> axum::Json<Value> {
    axum::Json(clock_body(&state))
}

async fn advance_clock(
    State(state): State<AppState>,
    ContractJson(body): ContractJson<ClockAdvanceRequest>,
) -> Result<axum::Json<Value>, ApiError> {
    if body.seconds < 0 {
        return Err(ApiError::bad_request(
            "invalid_seconds",
            "The clock only moves forward: seconds must be >= 0",
        ));
    }
    state.clock.advance(body.seconds);
    Ok(axum::Json(clock_body(&state)))
}
