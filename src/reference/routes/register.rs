//! POST /api/v1/auth/register (deprecated; 201 UserResponse, 400) and its successor
//! POST /api/v1/public/signup (201).
//!
//! Decisions: register answers with `Deprecation: @1735689600` (RFC 9745), `Sunset` (end of
//! 2027, RFC 8594) and a `Link` to the deprecation notice and to /api/v1/public/signup; both
//! send a verification email. Signup answers 201 UserResponse (the contract's table). A
//! duplicate email is 400 (registration reveals existing accounts; see the lead's report).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;

use crate::reference::error::ApiError;
use crate::reference::extract::{ContractJson, RequestModel};
use crate::reference::models::UserResponse;
use crate::reference::routes::accounts::{AccountRequest, create_account};
use crate::reference::routes::deprecation;
use crate::reference::state::AppState;

/// Routes of this file.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/register", post(register))
        .route("/api/v1/public/signup", post(signup))
}

/// RegisterSchema.
#[derive(Debug, Deserialize)]
pub struct RegisterSchema {
    email: String,
    password: String,
    name: String,
    company: Option<String>,
    signup_type: Option<String>,
    use_case: Option<String>,
    utm_source: Option<String>,
    utm_medium: Option<String>,
    utm_campaign: Option<String>,
}

impl RequestModel for RegisterSchema {
    const SCHEMA: &'static str = "RegisterSchema";
}

/// SignupRequest.
#[derive(Debug, Deserialize)]
pub struct SignupRequest {
    email: String,
    password: String,
    name: Option<String>,
    company: Option<String>,
    use_case: Option<String>,
    selected_plan: Option<String>,
    utm_source: Option<String>,
    utm_medium: Option<String>,
    utm_campaign: Option<String>,
    website: Option<String>,
}

impl RequestModel for SignupRequest {
    const SCHEMA: &'static str = "SignupRequest";
}

async fn register(
    State(state): State<AppState>,
    ContractJson(body): ContractJson<RegisterSchema>,
) -> Result<Response, ApiError> {
    let request = AccountRequest {
        email: body.email,
        password: body.password,
        name: body.name,
        company: body.company,
        signup_meta: json!({
            "via": "register",
            "signup_type": body.signup_type,
            "use_case": body.use_case,
            "utm_source": body.utm_source,
            "utm_medium": body.utm_medium,
            "utm_campaign": body.utm_campaign,
        }),
        ..AccountRequest::default()
    };
    let user = create_account(&state, request).await?;
    let [h1, h2] = deprecation::headers("/api/v1/public/signup");
    let sunset = (
        axum::http::HeaderName::from_static("sunset"),
        axum::http::HeaderValue::from_static(deprecation::SUNSET),
    );
    Ok((
        StatusCode::CREATED,
        [h1, h2, sunset],
        axum::Json(UserResponse::from(&user)),
    )
        .into_response())
}

async fn signup(
    State(state): State<AppState>,
    ContractJson(body): ContractJson<SignupRequest>,
) -> Result<Response, ApiError> {
    let request = AccountRequest {
        email: body.email,
        password: body.password,
        name: body.name.unwrap_or_default(),
        company: body.company,
        selected_plan: body.selected_plan.unwrap_or_default(),
        signup_meta: json!({
            "via": "signup",
            "use_case": body.use_case,
            "utm_source": body.utm_source,
            "utm_medium": body.utm_medium,
            "utm_campaign": body.utm_campaign,
            "website": body.website,
        }),
        ..AccountRequest::default()
    };
    let user = create_account(&state, request).await?;
    Ok((StatusCode::CREATED, axum::Json(UserResponse::from(&user))).into_response())
}
