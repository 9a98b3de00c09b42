//! Password hashing and password rules.
//!
//! Decisions: argon2id (PHC string format); the `default` profile is OWASP's minimum
//! (m = 19 MiB, t = 2, p = 1) and is what `serve` uses unless told otherwise; the `fast`
//! profile (m = 8 KiB, t = 1) exists for tests only. Rules: at least 8 characters (Unicode
//! scalar values, so 64 non-ASCII characters are fine), at most 1024 (bounds hashing cost), not
//! one of a short list of notoriously common passwords. Hashing and verification run on the
//! blocking pool, at most one per core at a time (see [`hashing_permits`]), except at the
//! `fast` cost, which takes microseconds and runs in place.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;

/// Argon2 cost profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum HashProfile {
    /// OWASP-recommended argon2id cost (the default of `serve`).
    #[default]
    Default,
    /// Minimal cost, for tests only.
    Fast,
}

/// Minimum password length in characters.
pub const MIN_LENGTH: usize = 8;
/// Maximum password length in characters.
pub const MAX_LENGTH: usize = 1024;

const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "12345678",
    "123456789",
    "1234567890",
    "11111111",
    "00000000",
    "qwertyuiop",
    "password1",
    "abcdefgh",
    "iloveyou",
];

/// Why a password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRule {
    /// Fewer than [`MIN_LENGTH`] characters.
    #[error("Password must be at least 8 characters long")]
    Short,
    /// More than [`MAX_LENGTH`] characters.
    #[error("Password must be at most 1024 characters long")]
    Long,
    /// On the common-password list.
    #[error("This password is too common")]
    Common,
}

/// Checks the password rules.
pub fn check_strength(password: &str) -> Result<(), PasswordRule> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordRule::Short);
    }
    if length > MAX_LENGTH {
        return Err(PasswordRule::Long);
    }
    let lowered = password.to_lowercase();
    if COMMON_PASSWORDS.contains(&lowered.as_str()) {
        return Err(PasswordRule::Common);
    }
    Ok(())
}

fn hasher(profile: HashProfile) -> anyhow::Result<Argon2<'static>> {
    let params = match profile {
        HashProfile::Default => Params::new(19_456, 2, 1, None),
        HashProfile::Fast => Params::new(8, 1, 1, None),
    }
    .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password to a PHC string (blocking; see [`hash_password_blocking`]).
pub fn hash_password(profile: HashProfile, password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash = hasher(profile)?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2 hashing: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string (parameters are read from the hash).
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Hashes allowed to run at once: one per core.
///
/// Without a bound, every concurrent login gets its own blocking thread, its own 19 MiB and
/// its share of the CPU: the load bench (32 connections, 10 % logins, default profile) saw
/// p99 of `GET /me` at 230 ms while the hashes fought the request workers for 2 cores.
/// Queued logins wait for a permit instead; memory stays at cores x 19 MiB.
fn hashing_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        tokio::sync::Semaphore::new(cores)
    })
}

/// [`hash_password`] on the blocking pool (in place at the `fast` cost).
pub async fn hash_password_blocking(
    profile: HashProfile,
    password: String,
) -> anyhow::Result<String> {
    if profile == HashProfile::Fast {
        // Cheaper than the two thread hand-offs of the blocking pool.
        return hash_password(profile, &password);
    }
    let _permit = hashing_permits().acquire().await?;
    tokio::task::spawn_blocking(move || hash_password(profile, &password)).await?
}

/// [`verify_password`] on the blocking pool (in place for a hash of the `fast` cost).
pub async fn verify_password_blocking(hash: String, password: String) -> anyhow::Result<bool> {
    if is_cheap(&hash) {
        return Ok(verify_password(&hash, &password));
    }
    let _permit = hashing_permits().acquire().await?;
    Ok(tokio::task::spawn_blocking(move || verify_password(&hash, &password)).await?)
}

/// Whether `hash` was made at a cost low enough to verify in place: the `fast` profile's 8 KiB,
/// or anything up to 64 KiB. A `default` hash (19 MiB) always goes to the blocking pool,
/// whatever profile the server runs with now.
fn is_cheap(hash: &str) -> bool {
    PasswordHash::new(hash)
        .ok()
        .and_then(|h| h.params.get_decimal("m"))
        .is_some_and(|m| m <= 64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify_accepts_the_right_password_only() {
        let hash = hash_password(HashProfile::Fast, "correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "wrong horse"));
    }

    #[test]
    fn hashes_are_salted() {
        let a = hash_password(HashProfile::Fast, "same password").unwrap();
        let b = hash_password(HashProfile::Fast, "same password").unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn garbage_hash_never_verifies() {
        assert!(!verify_password("not a hash", "anything"));
    }

    #[test]
    fn short_password_is_refused() {
        assert_eq!(check_strength("short7!"), Err(PasswordRule::Short));
    }

    #[test]
    fn common_password_is_refused_case_insensitively() {
        assert_eq!(check_strength("PassWord"), Err(PasswordRule::Common));
    }

    #[test]
    fn sixty_four_unicode_characters_are_accepted() {
        let password: String = std::iter::repeat_n('é', 64).collect();
        assert_eq!(check_strength(&password), Ok(()));
    }

    #[test]
    fn overlong_password_is_refused() {
        assert_eq!(check_strength(&"a".repeat(1025)), Err(PasswordRule::Long));
    }

    #[test]
    fn only_hashes_of_the_fast_cost_are_verified_in_place() {
        let fast = hash_password(HashProfile::Fast, "correct horse").unwrap();
        let default = hash_password(HashProfile::Default, "correct horse").unwrap();
        assert!(is_cheap(&fast));
        assert!(!is_cheap(&default));
        assert!(!is_cheap("not a PHC string"));
    }
}
