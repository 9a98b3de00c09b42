//! Login, refresh and logout (contract: LoginResponse + HttpOnly cookies; 400 on bad
//! credentials; 401 on a bad refresh token; logout revokes all refresh tokens and clears the
//! cookies).
//!
//! Decisions: unknown email, wrong password and deactivated account give the same 400 body,
//! and an unknown email still costs one argon2 verification (against a dummy hash) so timing
//! does not reveal accounts. Unverified accounts may log in (emailVerified says so). Refresh
//! reads `refresh_token` from the JSON body, or from the cookie when the body is absent or
//! carries none; a cookie-authenticated refresh with a foreign `Origin` is 403 (CSRF). Logout also kills every access token issued so far (`tokens_valid_after`).

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;

use crate::reference::auth::JwtUser;
use crate::reference::error::ApiError;
use crate::reference::extract::{
    ContractJson, RequestModel, contract_items, parse_json, read_body, require_json_content_type,
};
use crate::reference::faults::{Fault, behaviour as faults};
use crate::reference::models::{LoginResponse, UserResponse, message};
use crate::reference::password::verify_password_blocking;
use crate::reference::routes::cookies::{self, ACCESS_COOKIE, REFRESH_COOKIE};
use crate::reference::state::AppState;
use crate::reference::store::sessions::{self, Rotation};
use crate::reference::store::users::{self, User};
use crate::reference::tokens::opaque;

/// Session routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/refresh", post(refresh))
        .route("/api/v1/auth/logout", post(logout))
}

/// LoginSchema.
#[derive(Debug, Deserialize)]
pub struct LoginSchema {
    email: String,
    password: String,
}

impl RequestModel for LoginSchema {
    const SCHEMA: &'static str = "LoginSchema";
}

fn invalid_credentials() -> ApiError {
    ApiError::bad_request("invalid_credentials", "Invalid email or password")
}

fn invalid_refresh_token() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "invalid_refresh_token",
        "Invalid or expired refresh token",
    )
    .with_header(header::WWW_AUTHENTICATE, r#"Bearer error="invalid_token""#)
}

/// POST /api/v1/auth/login: 200 LoginResponse + cookies; 400 on bad credentials.
async fn login(
    State(state): State<AppState>,
    ContractJson(body): ContractJson<LoginSchema>,
) -> Result<Response, ApiError> {
    let email = users::normalise_email(&body.email);
    let user = state
        .store
        .call(move |c| users::find_by_email(c, &email))
        .await?;
    let hash = user
        .as_ref()
        .map_or_else(|| state.dummy_hash.to_string(), |u| u.password_hash.clone());
    faults::production_cost_for_known_accounts(&state, user.is_some(), &body.password).await?;
    let matches = verify_password_blocking(hash, body.password.clone()).await?
        || faults::matches_retired_password(&state, user.as_ref(), &body.password).await?;
    let user = match user {
        Some(user) if matches && user.is_active => user,
        _ => {
            return Err(
                faults::login_refusal(&state, user.is_some()).unwrap_or_else(invalid_credentials)
            );
        }
    };
    let now = state.clock.now_ms();
    let refresh = opaque::generate_secret();
    let expires_at_ms = now + state.config.refresh_token_ttl * 1000;
    let (hash, user_id) = (opaque::hash_secret(&refresh), user.id.clone());
    let family = uuid::Uuid::new_v4().to_string();
    state
        .store
        .call(move |c| sessions::insert(c, &hash, &user_id, &family, now, expires_at_ms))
        .await?;
    session_response(&state, &user, &refresh, expires_at_ms)
}

/// POST /api/v1/auth/refresh: rotates the refresh token; 401 when it is not acceptable.
async fn refresh(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let headers = req.headers().clone();
    let body = read_body(req, &state).await?;
    let presented = match refresh_token_from_body(&headers, &body)? {
        Some(token) => token,
        None => {
            let token = cookies::read(&headers, REFRESH_COOKIE)
                .filter(|_| !state.is_on(Fault::RefreshIgnoresCookie))
                .ok_or_else(invalid_refresh_token)?;
            if !state.is_on(Fault::RefreshCookieCrossSiteAllowed) {
                reject_cross_site(&state, &headers)?;
            }
            token
        }
    };
    let old_hash = opaque::hash_secret(&presented);
    let successor = opaque::generate_secret();
    let new_hash = opaque::hash_secret(&successor);
    let now = state.clock.now_ms();
    let fault = state.config.fault;
    let outcome = state
        .store
        .call(move |c| {
            let rotation = faults::rotate_refresh(fault, c, &old_hash, &new_hash, now)?;
            let user = match &rotation {
                Rotation::Rotated { user_id, .. } => users::find_by_id(c, user_id)?,
                Rotation::Refused => None,
            };
            Ok((rotation, user))
        })
        .await?;
    let successor = match state.is_on(Fault::RefreshNotRotating) {
        true => presented,
        false => successor,
    };
    match outcome {
        (Rotation::Rotated { expires_at_ms, .. }, Some(user)) if user.is_active => {
            session_response(&state, &user, &successor, expires_at_ms)
        }
        _ => faults::refresh_refusal(&state, invalid_refresh_token()),
    }
}

/// A cookie-authenticated refresh from a foreign `Origin` is refused with 403 (SameSite=Lax
/// still sends cookies on some cross-site requests). Allowed origins: the configured frontend
/// and the server's own origin. Requests without `Origin` (non-browser clients) pass.
fn reject_cross_site(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let origin = origin.trim_end_matches('/');
    let frontend = state.config.frontend_url.trim_end_matches('/');
    let own_host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let same_site = origin.eq_ignore_ascii_case(frontend)
        || own_host.is_some_and(|host| {
            origin
                .split_once("://")
                .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host))
        });
    if same_site {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_site_request",
            "Cross-site refresh with a cookie is not allowed",
        ))
    }
}

/// The refresh token of an optional JSON body (`None` when the body is empty or has none).
fn refresh_token_from_body(headers: &HeaderMap, body: &[u8]) -> Result<Option<String>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    require_json_content_type(headers)?;
    let value = parse_json(body)?;
    if value.is_null() {
        return Ok(None);
    }
    let items = contract_items("RefreshTokenSchema", &value);
    if !items.is_empty() {
        return Err(ApiError::validation(items));
    }
    Ok(value
        .get("refresh_token")
        .and_then(|v| v.as_str())
        .filter(|v| !v.is_empty())
        .map(str::to_owned))
}

/// POST /api/v1/auth/logout: revokes every refresh token and earlier access token, clears the
/// cookies.
async fn logout(
    State(state): State<AppState>,
    JwtUser(user): JwtUser,
) -> Result<Response, ApiError> {
    let now = state.clock.now_ms();
    let fault = state.config.fault;
    state
        .store
        .call(move |c| faults::end_sessions_on_logout(fault, c, &user.id, now))
        .await?;
    let mut response = axum::Json(message("Successfully logged out")).into_response();
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, cookies::clear(ACCESS_COOKIE));
    headers.append(header::SET_COOKIE, cookies::clear(REFRESH_COOKIE));
    headers.insert(
        HeaderName::from_static("clear-site-data"),
        HeaderValue::from_static("\"cookies\""),
    );
    Ok(response)
}

/// LoginResponse with a fresh access token and both cookies.
fn session_response(
    state: &AppState,
    user: &User,
    refresh: &str,
    refresh_expires_at_ms: i64,
) -> Result<Response, ApiError> {
    let now = state.clock.now_ms();
    let ttl = state.config.access_token_ttl;
    let access = state.jwt.issue(&user.id, now, ttl)?;
    let refresh_max_age = (refresh_expires_at_ms - now) / 1000;
    let body = LoginResponse {
        access_token: access.clone(),
        refresh_token: refresh.to_owned(),
        token_type: "bearer",
        expires_in: ttl,
        user: UserResponse::from(user),
    };
    let mut response = axum::Json(body).into_response();
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        cookies::set(ACCESS_COOKIE, &access, ttl),
    );
    headers.append(
        header::SET_COOKIE,
        cookies::set(REFRESH_COOKIE, refresh, refresh_max_age),
    );
    Ok(response)
}
