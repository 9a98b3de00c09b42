//! Authentication extractors.
//!
//! JWTBearer ([`JwtUser`]): `Authorization: Bearer <access JWT>`. Missing -> 401
//! `not_authenticated`; anything wrong (malformed, alg none, bad signature, expired, a refresh
//! token, a user that no longer exists or is deactivated, a token issued before the user's last
//! logout or password reset) -> 401 `invalid_token`; both with `WWW-Authenticate: Bearer`.
//! APIKeyBearer ([`ApiKeyUser`]): `X-API-KEY: sf_...`; missing, wrong, revoked or not `sf_`
//! all give one identical 401 body. A JWT never substitutes for a key, and credentials in the
//! query string are ignored (only headers are read).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};

use crate::reference::error::ApiError;
use crate::reference::faults;
use crate::reference::state::AppState;
use crate::reference::store::api_keys::{self, ApiKey};
use crate::reference::store::users::{self, User};
use crate::reference::tokens::opaque;

/// A user authenticated by an access JWT.
#[derive(Clone, Debug)]
pub struct JwtUser(pub User);

/// A user authenticated by an API key.
#[derive(Clone, Debug)]
pub struct ApiKeyUser {
    /// Owner of the key.
    pub user: User,
    /// The key used.
    pub key: ApiKey,
}

/// A user authenticated by either scheme (JWT tried first when an Authorization header exists).
#[derive(Clone, Debug)]
pub struct JwtOrApiKeyUser(pub User);

fn bearer_token(parts: &Parts) -> Option<Result<String, ApiError>> {
    let value = parts.headers.get(header::AUTHORIZATION)?;
    let parsed = value.to_str().ok().and_then(|text| {
        let (scheme, token) = text.trim().split_once(' ')?;
        let token = token.trim();
        (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
    });
    Some(parsed.ok_or_else(ApiError::invalid_token))
}

/// Resolves an access JWT to its active user, or the 401 to answer.
pub async fn authenticate_jwt(state: &AppState, token: &str) -> Result<User, ApiError> {
    let now = state.clock.now_ms();
    let claims = faults::behaviour::verify_access(state, token, now)
        .map_err(|_| ApiError::invalid_token())?;
    let user = state
        .store
        .call(move |c| users::find_by_id(c, &claims.sub).map(|u| (u, claims.iat_ms)))
        .await?;
    match user {
        (Some(user), iat_ms)
            if faults::behaviour::counts_as_active(state, &user)
                && iat_ms > user.tokens_valid_after_ms =>
        {
            Ok(user)
        }
        _ => Err(ApiError::invalid_token()),
    }
}

impl FromRequestParts<AppState> for JwtUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(user) = faults::behaviour::bypass_jwt(state, parts).await {
            return Ok(JwtUser(user));
        }
        let token = bearer_token(parts).ok_or_else(ApiError::not_authenticated)??;
        authenticate_jwt(state, &token).await.map(JwtUser)
    }
}

fn invalid_api_key() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "invalid_api_key",
        "Invalid or missing API key",
    )
}

async fn authenticate_api_key(state: &AppState, parts: &Parts) -> Result<ApiKeyUser, ApiError> {
    let presented = faults::behaviour::presented_api_key(state, parts);
    let key = presented
        .as_deref()
        .filter(|k| k.starts_with(opaque::API_KEY_PREFIX))
        .ok_or_else(invalid_api_key)?;
    let hash = opaque::hash_secret(key);
    let now = state.clock.now_ms();
    let found = state
        .store
        .call(move |c| {
            let Some(key) = api_keys::authenticate(c, &hash, now)? else {
                return Ok(None);
            };
            Ok(users::find_by_id(c, &key.user_id)?.map(|user| (user, key)))
        })
        .await?;
    match found {
        Some((user, key)) if faults::behaviour::counts_as_active(state, &user) => {
            Ok(ApiKeyUser { user, key })
        }
        _ => Err(invalid_api_key()),
    }
}

impl FromRequestParts<AppState> for ApiKeyUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(found) = faults::behaviour::api_key_by_jwt(state, parts).await {
            return Ok(found);
        }
        authenticate_api_key(state, parts).await
    }
}

impl FromRequestParts<AppState> for JwtOrApiKeyUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match bearer_token(parts) {
            Some(token) => authenticate_jwt(state, &token?).await.map(JwtOrApiKeyUser),
            None if parts.headers.contains_key("x-api-key") => authenticate_api_key(state, parts)
                .await
                .map(|found| JwtOrApiKeyUser(found.user)),
            None => Err(ApiError::not_authenticated()),
        }
    }
}
