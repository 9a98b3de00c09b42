//! Email verification: GET /verify-email?token= and GET /verify-email/{token} (200, 400),
//! POST /resend-verification (JWT, 200), POST /resend-verification-email (200, 400, 429).
//!
//! Decisions: both verify forms behave identically; unknown, used, expired and garbled tokens
//! share one 400 body; a missing `token` query parameter is a 422 (`loc: ["query", "token"]`).
//! resend-verification answers 200 even for a verified user (and then sends nothing).
//! resend-verification-email answers the same 200 for every well-formed email, sends only to
//! an existing, active, unverified account, and allows 3 requests per rolling hour per
//! case-normalised email (unknown emails count too); the 4th is 429 + Retry-After.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::reference::auth::JwtUser;
use crate::reference::email::EmailAddress;
use crate::reference::error::{ApiError, ValidationItem};
use crate::reference::extract::{ContractJson, RequestModel};
use crate::reference::faults::behaviour as faults;
use crate::reference::mail::compose::{Template, compose};
use crate::reference::models::message;
use crate::reference::rate_limit::Decision;
use crate::reference::state::AppState;
use crate::reference::store::one_time::{self, Purpose};
use crate::reference::store::outbox;
use crate::reference::store::users::{self, User};
use crate::reference::tokens::opaque;

/// Routes of this file.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/verify-email", get(verify_email_query))
        .route("/api/v1/auth/verify-email/{token}", get(verify_email_path))
        .route(
            "/api/v1/auth/resend-verification",
            post(resend_verification),
        )
        .route(
            "/api/v1/auth/resend-verification-email",
            post(resend_verification_email),
        )
}

/// The one success message of resend-verification-email.
pub const RESEND_MESSAGE: &str =
    "If an unverified account exists for this email, a verification email has been sent.";

/// ResendVerificationSchema.
#[derive(Debug, Deserialize)]
pub struct ResendVerificationSchema {
    email: String,
}

impl RequestModel for ResendVerificationSchema {
    const SCHEMA: &'static str = "ResendVerificationSchema";
}

#[derive(Debug, Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

async fn verify_email_query(
    State(state): State<AppState>,
    Query(query): Query<TokenQuery>,
) -> Result<axum::Json<Value>, ApiError> {
    let Some(token) = query.token else {
        return Err(ApiError::validation(vec![ValidationItem {
            kind: "missing".to_owned(),
            loc: vec![json!("query"), json!("token")],
            msg: "Field required".to_owned(),
        }]));
    };
    verify_token(&state, token).await
}

async fn verify_email_path(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    verify_token(&state, faults::path_token(&state, token)).await
}

async fn verify_token(state: &AppState, token: String) -> Result<axum::Json<Value>, ApiError> {
    let token_hash = opaque::hash_secret(token.trim());
    let now = state.clock.now_ms();
    let fault = state.config.fault;
    let verified = state
        .store
        .call(move |c| {
            let tx = c.transaction()?;
            let Some(user_id) =
                faults::consume_token(fault, &tx, &token_hash, Purpose::Verify, now)?
            else {
                return Ok(false);
            };
            faults::mark_verified(fault, &tx, &user_id, now)?;
            tx.commit()?;
            Ok(true)
        })
        .await?;
    if !verified {
        return Err(ApiError::bad_request(
            "invalid_token",
            "Invalid or expired verification token",
        ));
    }
    Ok(axum::Json(message("Email verified successfully")))
}

/// Issues a verification token for `user` and emails it.
async fn send_verification(state: &AppState, user: &User) -> Result<(), ApiError> {
    let token = opaque::generate_secret();
    let token_hash = opaque::hash_secret(&token);
    let now = state.clock.now_ms();
    let expires_at_ms = now + state.config.verification_token_ttl * 1000;
    let user_id = user.id.clone();
    state
        .store
        .call(move |c| {
            one_time::insert(
                c,
                &token_hash,
                &user_id,
                Purpose::Verify,
                now,
                expires_at_ms,
            )
        })
        .await?;
    state
        .send_mail(Template::Verification, &user.email, &token)
        .await?;
    Ok(())
}

async fn resend_verification(
    State(state): State<AppState>,
    JwtUser(user): JwtUser,
) -> Result<axum::Json<Value>, ApiError> {
    if user.email_verified {
        return Ok(axum::Json(message("Email is already verified")));
    }
    if faults::sends_signed_in_verification_email(&state) {
        send_verification(&state, &user).await?;
    }
    Ok(axum::Json(message("Verification email sent")))
}

async fn resend_verification_email(
    State(state): State<AppState>,
    ContractJson(body): ContractJson<ResendVerificationSchema>,
) -> Result<axum::Json<Value>, ApiError> {
    let email = EmailAddress::parse(&body.email)
        .map_err(|e| ApiError::bad_request("invalid_email", e.to_string()))?;
    let now = state.clock.now_ms();
    let (rule, fault) = (faults::resend_rule(&state), state.config.fault);
    let limit_key = faults::rate_limit_key(&state, &body.email);
    let (sends_mail, probe) = (
        faults::sends_verification_email(&state),
        faults::resend_probe(&state, email.as_str()),
    );
    // Prepared for every email and stored in the same call as the rate-limit hit, so the
    // answer takes about the same time whether or not a mail goes out.
    let token = opaque::generate_secret();
    let token_hash = opaque::hash_secret(&token);
    let expires_at_ms = now + state.config.verification_token_ttl * 1000;
    let mail = compose(
        &state.config,
        Template::Verification,
        email.as_str(),
        &token,
        now,
    );
    let decision = state
        .store
        .call(move |c| {
            let subject = email.as_str();
            let key = limit_key.as_deref().unwrap_or(subject);
            let decision = faults::rate_limit_hit(
                fault,
                c,
                "resend-verification-email",
                key,
                subject,
                now,
                rule,
            )?;
            if decision != Decision::Allowed {
                return Ok(decision);
            }
            let tx = c.transaction()?;
            if let Some(user) = users::find_by_email(&tx, subject)?
                && user.is_active
                && !user.email_verified
            {
                one_time::insert(
                    &tx,
                    &token_hash,
                    &user.id,
                    Purpose::Verify,
                    now,
                    expires_at_ms,
                )?;
                if sends_mail {
                    outbox::insert(&tx, &mail)?;
                }
            }
            tx.commit()?;
            Ok(decision)
        })
        .await?;
    if let Decision::Limited { retry_after } = decision {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "Too many verification emails requested. Try again later.",
        )
        .with_header_value(header::RETRY_AFTER, HeaderValue::from(retry_after)));
    }
    if let Some(answer) = faults::unknown_email_answer(&state, probe).await? {
        return Ok(answer);
    }
    Ok(axum::Json(message(RESEND_MESSAGE)))
}
