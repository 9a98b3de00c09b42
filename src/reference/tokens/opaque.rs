//! Opaque secrets: refresh tokens, reset and verification tokens, API keys.
//!
//! Decisions: 256 random bits from the OS-seeded CSPRNG, base64url without padding (43
//! characters, safe in URLs and cookies); only the SHA-256 hex digest is stored, so a database
//! leak exposes no usable token. API keys are `sf_` + the same 43 characters; their first 11
//! characters are kept as a displayable prefix.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix of every API key.
pub const API_KEY_PREFIX: &str = "sf_";
/// Length of the displayable key prefix (`sf_` + 8 characters).
pub const DISPLAY_PREFIX_LEN: usize = 11;

/// A fresh 256-bit secret, base64url encoded.
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A fresh API key (`sf_...`).
pub fn generate_api_key() -> String {
    format!("{API_KEY_PREFIX}{}", generate_secret())
}

/// The stored form of a secret: SHA-256, lowercase hex.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_carry_256_bits_and_differ() {
        let a = generate_secret();
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 32);
        assert_ne!(a, generate_secret());
    }

    #[test]
    fn api_keys_start_with_sf() {
        assert!(generate_api_key().starts_with("sf_"));
    }

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
