//! Access tokens: JWT, HS256 pinned.
//!
//! Claims: `sub` (user id), `iat`, `exp` (seconds), `jti` (uuid v4), `type` = "access", and
//! `iat_ms` (issue instant in milliseconds, a private claim) so that logout can invalidate
//! earlier tokens without touching tokens issued right after it within the same second.
//! Time checks use the server [`Clock`](crate::reference::Clock), not the system time, so tests
//! that advance the clock really expire tokens. `alg: none`, any other algorithm, a bad
//! signature, a missing claim, `exp` in the past, `nbf` in the future or a `type` other than
//! "access" are all refused.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The claims of an access token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// User id.
    pub sub: String,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Unique token id.
    pub jti: String,
    /// Token type, always "access".
    #[serde(rename = "type")]
    pub kind: String,
    /// Issued at, Unix milliseconds.
    pub iat_ms: i64,
    /// Not before, Unix seconds (never issued by us; honoured if present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
}

/// Why a bearer token is refused (all map to the same 401).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Not a JWT, wrong algorithm, bad signature or missing claims.
    #[error("malformed or unsigned token")]
    Malformed,
    /// `exp` has passed.
    #[error("token expired")]
    Expired,
    /// `nbf` is in the future.
    #[error("token not yet valid")]
    NotYetValid,
    /// Not an access token.
    #[error("wrong token type")]
    WrongType,
}

/// Signing and verification keys for access tokens.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(..)")
    }
}

impl JwtKeys {
    /// Keys from a shared HS256 secret.
    pub fn from_secret(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    /// Issues an access token for `user_id` at `now_ms`, valid `ttl_seconds`.
    pub fn issue(&self, user_id: &str, now_ms: i64, ttl_seconds: i64) -> anyhow::Result<String> {
        let iat = now_ms.div_euclid(1000);
        let claims = AccessClaims {
            sub: user_id.to_owned(),
            iat,
            exp: iat + ttl_seconds,
            jti: uuid::Uuid::new_v4().to_string(),
            kind: "access".to_owned(),
            iat_ms: now_ms,
            nbf: None,
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// Verifies signature, algorithm, type and time claims at `now_ms`.
    pub fn verify(&self, token: &str, now_ms: i64) -> Result<AccessClaims, JwtError> {
        let data = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map_err(|_| JwtError::Malformed)?;
        let claims = data.claims;
        let now = now_ms.div_euclid(1000);
        if claims.exp <= now {
            return Err(JwtError::Expired);
        }
        if claims.nbf.is_some_and(|nbf| nbf > now) {
            return Err(JwtError::NotYetValid);
        }
        if claims.kind != "access" {
            return Err(JwtError::WrongType);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn keys() -> JwtKeys {
        JwtKeys::from_secret(b"test secret of enough length......")
    }

    fn part(value: serde_json::Value) -> String {
        URL_SAFE_NO_PAD.encode(value.to_string())
    }

    #[test]
    fn issued_token_verifies_with_its_claims() {
        let token = keys().issue("user-1", NOW, 900).unwrap();
        let claims = keys().verify(&token, NOW + 1).unwrap();
        assert_eq!(claims.sub, "user-1");
        assert_eq!(claims.exp - claims.iat, 900);
        assert_eq!(claims.kind, "access");
        assert_eq!(claims.iat_ms, NOW);
    }

    #[test]
    fn token_expires_at_exp() {
        let token = keys().issue("user-1", NOW, 900).unwrap();
        assert_eq!(keys().verify(&token, NOW + 900_000), Err(JwtError::Expired));
    }

    #[test]
    fn foreign_key_is_refused() {
        let token = JwtKeys::from_secret(b"another secret")
            .issue("u", NOW, 900)
            .unwrap();
        assert_eq!(keys().verify(&token, NOW), Err(JwtError::Malformed));
    }

    #[test]
    fn alg_none_is_refused() {
        let header = part(serde_json::json!({"alg": "none", "typ": "JWT"}));
        let claims = part(serde_json::json!({
            "sub": "u", "iat": NOW / 1000, "exp": NOW / 1000 + 900, "jti": "x",
            "type": "access", "iat_ms": NOW
        }));
        let token = format!("{header}.{claims}.");
        assert_eq!(keys().verify(&token, NOW), Err(JwtError::Malformed));
    }

    #[test]
    fn tampered_payload_is_refused() {
        let token = keys().issue("user-1", NOW, 900).unwrap();
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = part(serde_json::json!({
            "sub": "admin", "iat": NOW / 1000, "exp": NOW / 1000 + 900, "jti": "x",
            "type": "access", "iat_ms": NOW
        }));
        parts[1] = &forged;
        assert_eq!(
            keys().verify(&parts.join("."), NOW),
            Err(JwtError::Malformed)
        );
    }

    #[test]
    fn garbage_is_refused() {
        assert_eq!(keys().verify("not-a-jwt", NOW), Err(JwtError::Malformed));
    }
}
