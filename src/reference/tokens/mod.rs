//! Token formats: signed access JWTs ([`jwt`]) and opaque random secrets ([`opaque`]) for
//! refresh, password-reset, verification tokens and API keys.

pub mod jwt;
pub mod opaque;
