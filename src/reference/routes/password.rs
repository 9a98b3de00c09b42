//! POST /api/v1/auth/change-password (JWT; 200, 400).
//!
//! Decisions: wrong current password -> 400 `invalid_current_password` and nothing changes;
//! a new password that breaks the rules or equals the current one -> 400; on success every
//! refresh token of the user is revoked and pending reset tokens are voided, while the
//! caller's current access token keeps working until it expires.

use axum::Router;
use axum::extract::State;
use axum::routing::post;
use serde::Deserialize;
use serde_json::Value;

use crate::reference::auth::JwtUser;
use crate::reference::error::ApiError;
use crate::reference::extract::{ContractJson, RequestModel};
use crate::reference::faults::{Fault, behaviour as faults};
use crate::reference::models::message;
use crate::reference::password::{
    check_strength, hash_password_blocking, verify_password_blocking,
};
use crate::reference::state::AppState;
use crate::reference::store::one_time::{self, Purpose};

/// Routes of this file.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/auth/change-password", post(change_password))
}

/// ChangePasswordSchema.
#[derive(Debug, Deserialize)]
pub struct ChangePasswordSchema {
    current_password: String,
    new_password: String,
}

impl RequestModel for ChangePasswordSchema {
    const SCHEMA: &'static str = "ChangePasswordSchema";
}

async fn change_password(
    State(state): State<AppState>,
    JwtUser(user): JwtUser,
    ContractJson(body): ContractJson<ChangePasswordSchema>,
) -> Result<axum::Json<Value>, ApiError> {
    let current_ok =
        verify_password_blocking(user.password_hash.clone(), body.current_password.clone()).await?;
    if !current_ok && !state.is_on(Fault::ChangePasswordIgnoresCurrent) {
        return Err(ApiError::bad_request(
            "invalid_current_password",
            "Current password is incorrect",
        ));
    }
    check_strength(&body.new_password)
        .map_err(|rule| ApiError::bad_request("weak_password", rule.to_string()))?;
    if body.new_password == body.current_password {
        return Err(ApiError::bad_request(
            "password_unchanged",
            "New password must be different from the current password",
        ));
    }
    let hash = hash_password_blocking(state.config.hash_profile, body.new_password).await?;
    let now = state.clock.now_ms();
    let fault = state.config.fault;
    state
        .store
        .call(move |c| {
            let tx = c.transaction()?;
            faults::set_new_password(fault, &tx, &user.id, &hash, now)?;
            faults::revoke_after_password_change(
                fault,
                Fault::ChangePasswordKeepsSessions,
                &tx,
                &user.id,
                now,
            )?;
            one_time::invalidate(&tx, &user.id, Purpose::Reset, now)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(axum::Json(message("Password changed successfully")))
}
