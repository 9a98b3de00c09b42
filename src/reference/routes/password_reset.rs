//! Password reset: POST /forgot-password and its alias /password-reset (200, 400),
//! POST /password-reset/confirm (200, 400), and the deprecated POST /reset-password (410).
//!
//! Decisions: forgot-password answers the same 200 body whether or not the account exists
//! (no enumeration) and emails a 1-hour single-use link only to an existing, active account;
//! an invalid email syntax is 400. Confirm checks the password rules first, then consumes the
//! token: unknown, used and expired tokens share one 400 body. A successful reset revokes all
//! refresh tokens and every access token issued before it. reset-password is 410 for any
//! request, answered before the body is read, with deprecation headers and no side effect.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::Value;

use crate::reference::email::EmailAddress;
use crate::reference::error::ApiError;
use crate::reference::extract::{ContractJson, RequestModel};
use crate::reference::faults::{Fault, behaviour as faults};
use crate::reference::mail::compose::{Template, compose};
use crate::reference::models::message;
use crate::reference::password::hash_password_blocking;
use crate::reference::routes::deprecation;
use crate::reference::state::AppState;
use crate::reference::store::one_time::{self, Purpose};
use crate::reference::store::{outbox, users};
use crate::reference::tokens::opaque;

/// Routes of this file.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/forgot-password", post(forgot_password))
        .route("/api/v1/auth/password-reset", post(forgot_password))
        .route(
            "/api/v1/auth/password-reset/confirm",
            post(confirm_password_reset),
        )
        .route("/api/v1/auth/reset-password", post(reset_password_gone))
}

/// The one success message of forgot-password, known account or not.
pub const FORGOT_MESSAGE: &str =
    "If an account exists for this email, a password reset link has been sent.";

/// ForgotPasswordSchema.
#[derive(Debug, Deserialize)]
pub struct ForgotPasswordSchema {
    email: String,
}

impl RequestModel for ForgotPasswordSchema {
    const SCHEMA: &'static str = "ForgotPasswordSchema";
}

/// ConfirmPasswordResetSchema.
#[derive(Debug, Deserialize)]
pub struct ConfirmPasswordResetSchema {
    token: String,
    password: String,
}

impl RequestModel for ConfirmPasswordResetSchema {
    const SCHEMA: &'static str = "ConfirmPasswordResetSchema";
}

async fn forgot_password(
    State(state): State<AppState>,
    ContractJson(body): ContractJson<ForgotPasswordSchema>,
) -> Result<axum::Json<Value>, ApiError> {
    let email = EmailAddress::parse(&body.email)
        .map_err(|e| ApiError::bad_request("invalid_email", e.to_string()))?;
    // The token and the mail are prepared whether or not the account exists, and one store
    // call does the rest, so known and unknown emails cost about the same time.
    let token = opaque::generate_secret();
    let token_hash = opaque::hash_secret(&token);
    let now = state.clock.now_ms();
    let expires_at_ms = now + state.config.reset_token_ttl * 1000;
    let mail = compose(
        &state.config,
        Template::PasswordReset,
        email.as_str(),
        &token,
        now,
    );
    let (sends_mail, probe) = (
        faults::sends_reset_email(&state),
        faults::forgot_password_probe(&state, email.as_str()),
    );
    state
        .store
        .call(move |c| {
            let tx = c.transaction()?;
            if let Some(user) = users::find_by_email(&tx, email.as_str())?
                && user.is_active
            {
                one_time::insert(
                    &tx,
                    &token_hash,
                    &user.id,
                    Purpose::Reset,
                    now,
                    expires_at_ms,
                )?;
                if sends_mail {
                    outbox::insert(&tx, &mail)?;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await?;
    if let Some(answer) = faults::unknown_email_answer(&state, probe).await? {
        return Ok(answer);
    }
    Ok(axum::Json(message(FORGOT_MESSAGE)))
}

fn invalid_reset_token() -> ApiError {
    ApiError::bad_request("invalid_token", "Invalid or expired password reset token")
}

async fn confirm_password_reset(
    State(state): State<AppState>,
    ContractJson(body): ContractJson<ConfirmPasswordResetSchema>,
) -> Result<axum::Json<Value>, ApiError> {
    faults::password_rules(&state, Fault::ResetAcceptsWeakPassword, &body.password)
        .map_err(|rule| ApiError::bad_request("weak_password", rule.to_string()))?;
    if body.token.is_empty() {
        return Err(invalid_reset_token());
    }
    let hash = hash_password_blocking(state.config.hash_profile, body.password).await?;
    let token_hash = opaque::hash_secret(&body.token);
    let probe = faults::token_probe(&state, &token_hash);
    let now = state.clock.now_ms();
    let fault = state.config.fault;
    let reset = state
        .store
        .call(move |c| {
            let tx = c.transaction()?;
            let Some(user_id) =
                faults::consume_token(fault, &tx, &token_hash, Purpose::Reset, now)?
            else {
                return Ok(false);
            };
            faults::remember_old_password(fault, &tx, &user_id)?;
            users::set_password_hash(&tx, &user_id, &hash, now)?;
            faults::revoke_after_password_change(
                fault,
                Fault::ResetKeepsSessions,
                &tx,
                &user_id,
                now,
            )?;
            users::invalidate_access_tokens(&tx, &user_id, now)?;
            tx.commit()?;
            Ok(true)
        })
        .await?;
    if !reset {
        return Err(faults::reset_refusal(&state, probe)
            .await
            .unwrap_or_else(invalid_reset_token));
    }
    Ok(axum::Json(message("Password has been reset successfully")))
}

/// POST /api/v1/auth/reset-password: always 410 Gone (no extractor, so nothing is validated).
async fn reset_password_gone() -> Response {
    let error = ApiError::new(
        StatusCode::GONE,
        "endpoint_gone",
        "This password reset flow is no longer supported. Request a new link via \
         /api/v1/auth/forgot-password and complete it with /api/v1/auth/password-reset/confirm.",
    );
    let [(n1, v1), (n2, v2)] = deprecation::headers("/api/v1/auth/password-reset/confirm");
    error
        .with_header_value(n1, v1)
        .with_header_value(n2, v2)
        .into_response()
}
