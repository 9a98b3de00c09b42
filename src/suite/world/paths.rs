//! Paths of the API, in one place: no step names a path.

/// `/api/v1/auth/login`.
pub const LOGIN: &str = "/api/v1/auth/login";
/// `/api/v1/auth/logout`.
pub const LOGOUT: &str = "/api/v1/auth/logout";
/// `/api/v1/auth/refresh`.
pub const REFRESH: &str = "/api/v1/auth/refresh";
/// `/api/v1/auth/me`.
pub const ME: &str = "/api/v1/auth/me";
/// `/api/v1/auth/test-auth`.
pub const TEST_AUTH: &str = "/api/v1/auth/test-auth";
/// `/api/v1/auth/test-api-key`.
pub const TEST_API_KEY: &str = "/api/v1/auth/test-api-key";
/// `/api/v1/auth/feature-flags`.
pub const FEATURE_FLAGS: &str = "/api/v1/auth/feature-flags";
/// `/api/v1/auth/health`.
pub const HEALTH: &str = "/api/v1/auth/health";
/// `/api/v1/auth/register`.
pub const REGISTER: &str = "/api/v1/auth/register";
/// `/api/v1/auth/change-password`.
pub const CHANGE_PASSWORD: &str = "/api/v1/auth/change-password";
/// `/api/v1/auth/forgot-password`.
pub const FORGOT_PASSWORD: &str = "/api/v1/auth/forgot-password";
/// `/api/v1/auth/password-reset`.
pub const PASSWORD_RESET_ALIAS: &str = "/api/v1/auth/password-reset";
/// `/api/v1/auth/password-reset/confirm`.
pub const CONFIRM_RESET: &str = "/api/v1/auth/password-reset/confirm";
/// `/api/v1/auth/reset-password`.
pub const RESET_PASSWORD_DEPRECATED: &str = "/api/v1/auth/reset-password";
/// `/api/v1/auth/resend-verification`.
pub const RESEND_VERIFICATION: &str = "/api/v1/auth/resend-verification";
/// `/api/v1/auth/resend-verification-email`.
pub const RESEND_VERIFICATION_EMAIL: &str = "/api/v1/auth/resend-verification-email";
/// `/api/v1/auth/verify-email`.
pub const VERIFY_EMAIL: &str = "/api/v1/auth/verify-email";
/// `/api/v1/test/create-user`.
pub const CREATE_TEST_USER: &str = "/api/v1/test/create-user";
/// `/api/v1/test/deactivate-user` (an extension of the reference's test API).
pub const DEACTIVATE_TEST_USER: &str = "/api/v1/test/deactivate-user";
/// `/api/v1/test/clock/advance`.
pub const CLOCK_ADVANCE: &str = "/api/v1/test/clock/advance";
/// `/api/v1/account/api-keys`.
pub const API_KEYS: &str = "/api/v1/account/api-keys";
