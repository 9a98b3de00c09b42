//! Behaviour faults: the functions the one-line hooks in handlers, extractors and the store
//! call. With no fault (or an unrelated one) each does exactly what the correct server does.

use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use super::Fault;
use crate::reference::auth::ApiKeyUser;
use crate::reference::config::RateRule;
use crate::reference::error::ApiError;
use crate::reference::password::{HashProfile, hash_password_blocking, verify_password_blocking};
use crate::reference::password::{PasswordRule, check_strength};
use crate::reference::rate_limit::{self, Decision};
use crate::reference::state::AppState;
use crate::reference::store::api_keys::{self, ApiKey};
use crate::reference::store::one_time::{self, Purpose};
use crate::reference::store::sessions::{self, Rotation};
use crate::reference::store::users::{self, User};
use crate::reference::tokens::jwt::{AccessClaims, JwtError};
use crate::reference::tokens::opaque;

/// The endpoint whose authentication a fault skips.
fn skipped_endpoint(fault: Fault) -> Option<&'static str> {
    Some(match fault {
        Fault::MeAuthSkipped => "/api/v1/auth/me",
        Fault::FeatureFlagsAuthSkipped => "/api/v1/auth/feature-flags",
        Fault::TestAuthAuthSkipped => "/api/v1/auth/test-auth",
        Fault::LogoutAuthSkipped => "/api/v1/auth/logout",
        Fault::ChangePasswordAuthSkipped => "/api/v1/auth/change-password",
        Fault::ResendVerificationAuthSkipped => "/api/v1/auth/resend-verification",
        _ => return None,
    })
}

/// The user a JWT endpoint whose authentication is skipped acts for: the request's own user
/// when its token is valid, otherwise the newest active user. `None` when no such fault is on
/// for this endpoint (or there is nobody), so the normal check runs.
pub async fn bypass_jwt(state: &AppState, parts: &Parts) -> Option<User> {
    let fault = state.config.fault?;
    if matches!(
        fault,
        Fault::BearerAcceptsRefreshToken | Fault::BearerAcceptsApiKey
    ) {
        return user_of_foreign_bearer(state, fault, parts).await;
    }
    let endpoint = skipped_endpoint(fault)?;
    if parts.uri.path() != endpoint {
        return None;
    }
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .map(|(_, token)| token.trim().to_owned());
    if let Some(token) = token
        && let Ok(user) = crate::reference::auth::authenticate_jwt(state, &token).await
    {
        return Some(user);
    }
    state.store.call(newest_active_user).await.ok().flatten()
}

/// The credential of an `Authorization: <scheme> <credential>` header, if there is one.
fn bearer_value(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    Some(value.trim().split_once(' ')?.1.trim().to_owned())
}

/// Under the token-confusion faults, the user of a refresh token or API key sent as bearer.
async fn user_of_foreign_bearer(state: &AppState, fault: Fault, parts: &Parts) -> Option<User> {
    let token = bearer_value(parts)?;
    let hash = opaque::hash_secret(&token);
    let now = state.clock.now_ms();
    let user_id = state
        .store
        .call(move |c| {
            Ok(match fault {
                Fault::BearerAcceptsApiKey => {
                    api_keys::authenticate(c, &hash, now)?.map(|k| k.user_id)
                }
                _ => c
                    .query_row(
                        "SELECT user_id FROM refresh_tokens \
                         WHERE token_hash = ?1 AND revoked_at_ms IS NULL AND expires_at_ms > ?2",
                        params![hash, now],
                        |row| row.get::<_, String>(0),
                    )
                    .optional()?,
            })
        })
        .await
        .ok()??;
    state
        .store
        .call(move |c| users::find_by_id(c, &user_id))
        .await
        .ok()?
        .filter(|u| u.is_active)
}

/// The API key a request presents: the `X-API-KEY` header, or under the API key faults the
/// query string's `api_key`, or the key with its missing `sf_` prefix restored.
pub fn presented_api_key(state: &AppState, parts: &Parts) -> Option<String> {
    let header = parts
        .headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned());
    match state.config.fault {
        Some(Fault::ApiKeyInQueryAccepted) => header.or_else(|| {
            url::form_urlencoded::parse(parts.uri.query()?.as_bytes())
                .find(|(name, _)| name == "api_key")
                .map(|(_, value)| value.into_owned())
        }),
        Some(Fault::ApiKeyPrefixOptional) => header.map(|key| {
            if key.starts_with(opaque::API_KEY_PREFIX) {
                key
            } else {
                format!("{}{key}", opaque::API_KEY_PREFIX)
            }
        }),
        _ => header,
    }
}

/// Under [`Fault::TestApiKeyAcceptsJwt`], the user of a valid access token, with a stand-in key.
pub async fn api_key_by_jwt(state: &AppState, parts: &Parts) -> Option<ApiKeyUser> {
    if !state.is_on(Fault::TestApiKeyAcceptsJwt) {
        return None;
    }
    let token = bearer_value(parts)?;
    let user = crate::reference::auth::authenticate_jwt(state, &token)
        .await
        .ok()?;
    let key = ApiKey {
        id: "jwt".to_owned(),
        user_id: user.id.clone(),
        name: "access token".to_owned(),
        key_prefix: "jwt".to_owned(),
        permissions: Vec::new(),
        is_active: true,
        usage_count: 0,
        rate_limit_per_hour: 0,
        created_at_ms: user.created_at_ms,
        last_used_at_ms: None,
    };
    Some(ApiKeyUser { user, key })
}

fn newest_active_user(conn: &mut Connection) -> anyhow::Result<Option<User>> {
    let id: Option<String> = conn
        .query_row(
            "SELECT id FROM users WHERE is_active = 1 ORDER BY created_at_ms DESC, rowid DESC LIMIT 1",
            [],
            |row| row.get(0),
        )
        .optional()?;
    match id {
        Some(id) => users::find_by_id(conn, &id),
        None => Ok(None),
    }
}

/// Verifies an access JWT; the JWT faults skip one of the checks.
pub fn verify_access(state: &AppState, token: &str, now_ms: i64) -> Result<AccessClaims, JwtError> {
    match state.config.fault {
        Some(Fault::JwtSignatureNotChecked) => {
            let (header, claims) = decode_unverified(token).ok_or(JwtError::Malformed)?;
            if header.get("alg").and_then(Value::as_str) != Some("HS256") {
                return Err(JwtError::Malformed);
            }
            check_time_and_type(claims, now_ms)
        }
        Some(Fault::JwtAlgNoneAccepted) => match decode_unverified(token) {
            Some((header, claims))
                if header
                    .get("alg")
                    .and_then(Value::as_str)
                    .is_some_and(|alg| alg.eq_ignore_ascii_case("none")) =>
            {
                check_time_and_type(claims, now_ms)
            }
            _ => state.jwt.verify(token, now_ms),
        },
        Some(Fault::JwtExpiryNotChecked) => {
            // Everything is verified, but as of the instant the token was issued.
            let (_, claims) = decode_unverified(token).ok_or(JwtError::Malformed)?;
            state.jwt.verify(token, claims.iat_ms)
        }
        _ => state.jwt.verify(token, now_ms),
    }
}

fn decode_unverified(token: &str) -> Option<(Value, AccessClaims)> {
    let mut parts = token.split('.');
    let header = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
    let claims = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
    Some((
        serde_json::from_slice(&header).ok()?,
        serde_json::from_slice(&claims).ok()?,
    ))
}

fn check_time_and_type(claims: AccessClaims, now_ms: i64) -> Result<AccessClaims, JwtError> {
    if claims.exp <= now_ms.div_euclid(1000) {
        return Err(JwtError::Expired);
    }
    if claims.kind != "access" {
        return Err(JwtError::WrongType);
    }
    Ok(claims)
}

/// Rotates a refresh token (`sessions::rotate`), or, under a refresh fault, does not rotate
/// it or does not detect the replay of a rotated one.
pub fn rotate_refresh(
    fault: Option<Fault>,
    conn: &mut Connection,
    old_hash: &str,
    new_hash: &str,
    now_ms: i64,
) -> anyhow::Result<Rotation> {
    match fault {
        Some(Fault::RefreshNotRotating) => {
            let live: Option<(String, i64)> = conn
                .query_row(
                    "SELECT user_id, expires_at_ms FROM refresh_tokens \
                     WHERE token_hash = ?1 AND revoked_at_ms IS NULL AND expires_at_ms > ?2",
                    params![old_hash, now_ms],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            Ok(match live {
                Some((user_id, expires_at_ms)) => Rotation::Rotated {
                    user_id,
                    expires_at_ms,
                },
                None => Rotation::Refused,
            })
        }
        Some(Fault::RefreshReplayNotDetected) => {
            let reason: Option<Option<String>> = conn
                .query_row(
                    "SELECT revoked_reason FROM refresh_tokens WHERE token_hash = ?1",
                    params![old_hash],
                    |row| row.get(0),
                )
                .optional()?;
            match reason {
                Some(Some(reason)) if reason == "rotated" => Ok(Rotation::Refused),
                _ => sessions::rotate(conn, old_hash, new_hash, now_ms),
            }
        }
        _ => sessions::rotate(conn, old_hash, new_hash, now_ms),
    }
}

/// The answer to a refresh token that cannot be used: the 401 `refuse`, or under
/// [`Fault::RefreshAcceptsGarbage`] a 200 without any session.
pub fn refresh_refusal(state: &AppState, refuse: ApiError) -> Result<Response, ApiError> {
    if state.is_on(Fault::RefreshAcceptsGarbage) {
        return Ok(
            axum::Json(crate::reference::models::message("Token refreshed")).into_response(),
        );
    }
    Err(refuse)
}

/// Counts a resend request ([`rate_limit::hit`]); [`Fault::RateLimitSparesUnknown`] lets
/// emails without an account through uncounted.
pub fn rate_limit_hit(
    fault: Option<Fault>,
    conn: &mut Connection,
    bucket: &str,
    key: &str,
    email: &str,
    now_ms: i64,
    rule: RateRule,
) -> anyhow::Result<Decision> {
    if fault == Some(Fault::RateLimitSparesUnknown) && users::find_by_email(conn, email)?.is_none()
    {
        return Ok(Decision::Allowed);
    }
    rate_limit::hit(conn, bucket, key, now_ms, rule)
}

/// Under [`Fault::ResetTokenErrorsDiffer`], the token hash to look up after a refusal.
pub fn token_probe(state: &AppState, token_hash: &str) -> Option<String> {
    state
        .is_on(Fault::ResetTokenErrorsDiffer)
        .then(|| token_hash.to_owned())
}

/// The distinct refusal of a known (used or expired) reset token that the probe asks for.
pub async fn reset_refusal(state: &AppState, probe: Option<String>) -> Option<ApiError> {
    let hash = probe?;
    let known: bool = state
        .store
        .call(move |c| {
            Ok(c.query_row(
                "SELECT EXISTS (SELECT 1 FROM one_time_tokens WHERE token_hash = ?1)",
                params![hash],
                |row| row.get(0),
            )?)
        })
        .await
        .ok()?;
    known.then(|| ApiError::bad_request("token_used", "This reset link has already been used"))
}

/// What logout ends: every refresh token and every earlier access token of the user, unless
/// a logout fault spares some of them.
pub fn end_sessions_on_logout(
    fault: Option<Fault>,
    conn: &Connection,
    user_id: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    match fault {
        Some(Fault::LogoutNotRevoking) => {}
        Some(Fault::LogoutRevokesOnlyLatest) => {
            conn.execute(
                "UPDATE refresh_tokens SET revoked_at_ms = ?2, revoked_reason = 'logout' \
                 WHERE token_hash = (SELECT token_hash FROM refresh_tokens \
                 WHERE user_id = ?1 AND revoked_at_ms IS NULL \
                 ORDER BY issued_at_ms DESC, rowid DESC LIMIT 1)",
                params![user_id, now_ms],
            )?;
        }
        _ => {
            sessions::revoke_all(conn, user_id, now_ms, "logout")?;
        }
    }
    if fault != Some(Fault::LogoutKeepsAccessToken) {
        users::invalidate_access_tokens(conn, user_id, now_ms)?;
    }
    Ok(())
}

/// Revokes every refresh token of the user after a password change or reset, unless `spared_by`
/// is the fault that is on.
pub fn revoke_after_password_change(
    fault: Option<Fault>,
    spared_by: Fault,
    conn: &Connection,
    user_id: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    if fault != Some(spared_by) {
        sessions::revoke_all(conn, user_id, now_ms, "password")?;
    }
    Ok(())
}

fn retired_password_key(user_id: &str) -> String {
    format!("fault:retired-password:{user_id}")
}

/// Under [`Fault::ResetKeepsOldPassword`], keeps the hash a reset is about to replace.
pub fn remember_old_password(
    fault: Option<Fault>,
    conn: &Connection,
    user_id: &str,
) -> anyhow::Result<()> {
    if fault != Some(Fault::ResetKeepsOldPassword) {
        return Ok(());
    }
    if let Some(user) = users::find_by_id(conn, user_id)? {
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            params![retired_password_key(user_id), user.password_hash],
        )?;
    }
    Ok(())
}

/// Under [`Fault::ResetKeepsOldPassword`], whether `password` is the user's password from
/// before the last reset.
pub async fn matches_retired_password(
    state: &AppState,
    user: Option<&User>,
    password: &str,
) -> anyhow::Result<bool> {
    let Some(user) = user.filter(|_| state.is_on(Fault::ResetKeepsOldPassword)) else {
        return Ok(false);
    };
    let key = retired_password_key(&user.id);
    let retired: Option<String> = state
        .store
        .call(move |c| {
            Ok(c.query_row(
                "SELECT value FROM settings WHERE key = ?1",
                params![key],
                |row| row.get(0),
            )
            .optional()?)
        })
        .await?;
    match retired {
        Some(hash) => verify_password_blocking(hash, password.to_owned()).await,
        None => Ok(false),
    }
}

/// Consumes a single-use emailed token ([`one_time::consume`]), or, under a token fault, lets
/// it be used again or ignores its expiry.
pub fn consume_token(
    fault: Option<Fault>,
    conn: &Connection,
    token_hash: &str,
    purpose: Purpose,
    now_ms: i64,
) -> anyhow::Result<Option<String>> {
    let (reusable, never_expires) = match (fault, purpose) {
        (Some(Fault::ResetTokenReusable), Purpose::Reset)
        | (Some(Fault::VerificationTokenReusable), Purpose::Verify) => (true, false),
        (Some(Fault::ResetTokenNeverExpires), Purpose::Reset)
        | (Some(Fault::VerificationTokenNeverExpires), Purpose::Verify) => (false, true),
        _ => return one_time::consume(conn, token_hash, purpose, now_ms),
    };
    let purpose = match purpose {
        Purpose::Reset => "reset",
        Purpose::Verify => "verify",
    };
    let sql = if reusable {
        "SELECT user_id FROM one_time_tokens \
         WHERE token_hash = ?1 AND purpose = ?2 AND expires_at_ms > ?3"
    } else {
        debug_assert!(never_expires);
        "UPDATE one_time_tokens SET used_at_ms = ?3 \
         WHERE token_hash = ?1 AND purpose = ?2 AND used_at_ms IS NULL RETURNING user_id"
    };
    Ok(conn
        .query_row(sql, params![token_hash, purpose, now_ms], |row| row.get(0))
        .optional()?)
}

/// The token of the path form of verify-email; [`Fault::VerifyEmailPathBroken`] mangles it.
pub fn path_token(state: &AppState, token: String) -> String {
    if state.is_on(Fault::VerifyEmailPathBroken) {
        format!("{token}/")
    } else {
        token
    }
}

/// The resend-verification-email limit, as configured or as a rate-limit fault bends it.
pub fn resend_rule(state: &AppState) -> RateRule {
    let rule = state.config.resend_verification_limit;
    match state.config.fault {
        Some(Fault::RateLimitOff) => RateRule {
            max: u32::MAX,
            ..rule
        },
        Some(Fault::RateLimitAfterFour) => RateRule {
            max: rule.max + 1,
            ..rule
        },
        Some(Fault::RateLimitWindowADay) => RateRule {
            window_seconds: 24 * 3600,
            ..rule
        },
        _ => rule,
    }
}

/// Under [`Fault::RateLimitCaseSensitive`], the key of the resend limit: the email as typed.
pub fn rate_limit_key(state: &AppState, typed_email: &str) -> Option<String> {
    state
        .is_on(Fault::RateLimitCaseSensitive)
        .then(|| typed_email.trim().to_owned())
}

/// Under [`Fault::LoginRevealsUnknownEmail`], the distinct refusal of an unknown email.
pub fn login_refusal(state: &AppState, known: bool) -> Option<ApiError> {
    (state.is_on(Fault::LoginRevealsUnknownEmail) && !known)
        .then(|| ApiError::bad_request("unknown_email", "No account exists for this email"))
}

/// Whether `user` may use its access tokens and API keys: an active account, or any account
/// under [`Fault::DeactivationIgnored`].
pub fn counts_as_active(state: &AppState, user: &User) -> bool {
    user.is_active || state.is_on(Fault::DeactivationIgnored)
}

/// Under [`Fault::LoginTimingRevealsAccount`], a password hash at production cost, spent on an
/// existing account only (`known`), as a server does that hashes for real accounts and skips
/// the dummy hash for unknown emails.
pub async fn production_cost_for_known_accounts(
    state: &AppState,
    known: bool,
    password: &str,
) -> Result<(), ApiError> {
    if state.is_on(Fault::LoginTimingRevealsAccount) && known {
        hash_password_blocking(HashProfile::Default, password.to_owned()).await?;
    }
    Ok(())
}

/// Under an enumeration fault of forgot-password, the email to look up afterwards.
pub fn forgot_password_probe(state: &AppState, email: &str) -> Option<String> {
    (state.is_on(Fault::ForgotPasswordRevealsUnknownEmail)
        || state.is_on(Fault::ForgotPasswordUnknown404))
    .then(|| email.to_owned())
}

/// Under [`Fault::ResendRevealsUnknownEmail`], the email to look up afterwards.
pub fn resend_probe(state: &AppState, email: &str) -> Option<String> {
    state
        .is_on(Fault::ResendRevealsUnknownEmail)
        .then(|| email.to_owned())
}

/// The distinct answer (or error) to an unknown email that a probe asks for, if any.
pub async fn unknown_email_answer(
    state: &AppState,
    probe: Option<String>,
) -> Result<Option<axum::Json<Value>>, ApiError> {
    let Some(email) = probe else {
        return Ok(None);
    };
    let known = state
        .store
        .call(move |c| users::find_by_email(c, &email))
        .await?
        .is_some();
    if known {
        return Ok(None);
    }
    if state.is_on(Fault::ForgotPasswordUnknown404) {
        return Err(ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "user_not_found",
            "No account exists for this email address",
        ));
    }
    Ok(Some(axum::Json(crate::reference::models::message(
        "No account exists for this email address.",
    ))))
}

/// Whether the verification email of resend-verification-email goes out.
pub fn sends_verification_email(state: &AppState) -> bool {
    !state.is_on(Fault::ResendVerificationEmailSendsNoEmail)
}

/// Whether the verification email of resend-verification (signed in) goes out.
pub fn sends_signed_in_verification_email(state: &AppState) -> bool {
    !state.is_on(Fault::ResendVerificationSendsNoEmail)
}

/// Marks the email verified, unless [`Fault::VerifyEmailNotMarkingVerified`] is on.
pub fn mark_verified(
    fault: Option<Fault>,
    conn: &Connection,
    user_id: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    if fault == Some(Fault::VerifyEmailNotMarkingVerified) {
        return Ok(());
    }
    users::mark_email_verified(conn, user_id, now_ms)
}

/// Stores the new password hash, unless [`Fault::ChangePasswordNotChanging`] is on.
pub fn set_new_password(
    fault: Option<Fault>,
    conn: &Connection,
    user_id: &str,
    hash: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    if fault == Some(Fault::ChangePasswordNotChanging) {
        return Ok(());
    }
    users::set_password_hash(conn, user_id, hash, now_ms)
}

/// The password rules ([`check_strength`]); `waived_by` (when on) lets a weak password
/// through, and [`Fault::UnicodePasswordRejected`] refuses non-ASCII ones.
pub fn password_rules(
    state: &AppState,
    waived_by: Fault,
    password: &str,
) -> Result<(), PasswordRule> {
    if state.is_on(waived_by) {
        return Ok(());
    }
    if state.is_on(Fault::UnicodePasswordRejected) && !password.is_ascii() {
        return Err(PasswordRule::Common);
    }
    check_strength(password)
}

/// The Content-Type check of JSON bodies; [`Fault::ContentTypeNotChecked`] skips it.
pub fn check_content_type(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<(), ApiError> {
    if state.is_on(Fault::ContentTypeNotChecked) {
        return Ok(());
    }
    crate::reference::extract::require_json_content_type(headers)
}

/// Whether the reset email goes out ([`Fault::ForgotPasswordSendsNoEmail`] drops it).
pub fn sends_reset_email(state: &AppState) -> bool {
    !state.is_on(Fault::ForgotPasswordSendsNoEmail)
}

/// The rejection of a body that is not JSON; [`Fault::MalformedJson500`] makes it a 500.
pub fn malformed_json(state: &AppState, error: ApiError) -> ApiError {
    if state.is_on(Fault::MalformedJson500) {
        ApiError::internal(&anyhow::anyhow!("fault: unparsed body reached the handler"))
    } else {
        error
    }
}
