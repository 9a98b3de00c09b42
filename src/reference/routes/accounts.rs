//! Account creation shared by register, public signup and the E2E create-user endpoint.
//!
//! Rules: email syntax (400 `invalid_email`), password rules (400 `weak_password`), one account
//! per email (400 `registration_failed`, enforced by the UNIQUE index inside the insert, so
//! concurrent registrations cannot both succeed). Unverified accounts get a 24-hour
//! verification link by email.

use crate::reference::email::EmailAddress;
use crate::reference::error::ApiError;
use crate::reference::faults::{Fault, behaviour as faults};
use crate::reference::mail::compose::Template;
use crate::reference::password::hash_password_blocking;
use crate::reference::state::AppState;
use crate::reference::store::one_time::{self, Purpose};
use crate::reference::store::users::{self, NewUser, User};
use crate::reference::tokens::opaque;

/// What a caller asks for.
#[derive(Clone, Debug, Default)]
pub struct AccountRequest {
    /// Raw email as received.
    pub email: String,
    /// Plain password as received.
    pub password: String,
    /// Display name (empty: the local part of the email).
    pub name: String,
    /// Company, if any.
    pub company: Option<String>,
    /// Selected plan (empty: "free").
    pub selected_plan: String,
    /// Start verified (E2E users only).
    pub email_verified: bool,
    /// Staff flag (E2E users only).
    pub is_staff: bool,
    /// Superuser flag (E2E users only).
    pub is_superuser: bool,
    /// Created by the E2E endpoint.
    pub is_e2e: bool,
    /// Tracking fields.
    pub signup_meta: serde_json::Value,
}

/// Creates the account and, when unverified, emails a verification link.
pub async fn create_account(state: &AppState, request: AccountRequest) -> Result<User, ApiError> {
    let email = EmailAddress::parse(&request.email)
        .map_err(|e| ApiError::bad_request("invalid_email", e.to_string()))?;
    faults::password_rules(state, Fault::RegisterAcceptsWeakPassword, &request.password)
        .map_err(|rule| ApiError::bad_request("weak_password", rule.to_string()))?;
    let password_hash = hash_password_blocking(state.config.hash_profile, request.password).await?;
    let name = match request.name.trim() {
        "" => email
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_owned(),
        given => given.to_owned(),
    };
    let plan = match request.selected_plan.trim() {
        "" => "free".to_owned(),
        given => given.to_owned(),
    };
    let new_user = NewUser {
        email: email.as_str().to_owned(),
        password_hash,
        name,
        company: request.company.filter(|c| !c.trim().is_empty()),
        selected_plan: plan,
        email_verified: request.email_verified,
        is_staff: request.is_staff,
        is_superuser: request.is_superuser,
        is_e2e: request.is_e2e,
        signup_meta: request.signup_meta,
    };
    let token = opaque::generate_secret();
    let token_hash = opaque::hash_secret(&token);
    let now = state.clock.now_ms();
    let expires_at_ms = now + state.config.verification_token_ttl * 1000;
    let created = state
        .store
        .call(move |c| {
            let tx = c.transaction()?;
            let Some(user) = users::insert(&tx, &new_user, now)? else {
                return Ok(None);
            };
            if !user.email_verified {
                one_time::insert(
                    &tx,
                    &token_hash,
                    &user.id,
                    Purpose::Verify,
                    now,
                    expires_at_ms,
                )?;
            }
            tx.commit()?;
            Ok(Some(user))
        })
        .await?;
    let user = created.ok_or_else(|| {
        ApiError::bad_request(
            "registration_failed",
            "An account with this email address already exists",
        )
    })?;
    if !user.email_verified {
        state
            .send_mail(Template::Verification, &user.email, &token)
            .await?;
    }
    Ok(user)
}
