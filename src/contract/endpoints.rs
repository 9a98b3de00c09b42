//! The operation table: what each endpoint accepts and which statuses the contract documents.

/// How an endpoint authenticates its caller (CONTRACT.md, "Authentication schemes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Open to anyone.
    None,
    /// `Authorization: Bearer <access_token>` (JWTBearer).
    Jwt,
    /// `X-API-KEY: sf_...` (APIKeyBearer).
    ApiKey,
    /// Either of the two.
    JwtOrApiKey,
}

/// Where an operation comes from, which decides who must implement it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// One of the 18 endpoints of `AuthenticationApi.md`: every conformant server has it.
    Auth,
    /// A neighbouring endpoint of the same API version (CONTRACT.md) that a test run uses.
    Neighbour,
    /// The test-control surface of the reference server (clock, outbox); staging may lack it.
    TestControl,
}

/// One operation of the API.
#[derive(Debug)]
pub struct Endpoint {
    /// HTTP method in upper case.
    pub method: &'static str,
    /// Path template; `{name}` stands for one path segment.
    pub path: &'static str,
    /// The operation id of the published reference (stable, used in reports and OpenAPI).
    pub operation_id: &'static str,
    /// One-line description.
    pub summary: &'static str,
    /// The authentication the endpoint requires.
    pub auth: Auth,
    /// Name of the request body schema (a file of `schemas/`), if the endpoint takes a body.
    pub request_schema: Option<&'static str>,
    /// Whether the request body may be omitted (refresh: the token may come from a cookie;
    /// api-keys: every field is optional and an absent body means the defaults).
    pub body_optional: bool,
    /// Name of a query parameter the endpoint requires, if any.
    pub query_param: Option<&'static str>,
    /// Documented statuses and the schema of each response body (`None`: no JSON model).
    /// Protected endpoints include 401, which CONTRACT.md states for all of them.
    pub responses: &'static [(u16, Option<&'static str>)],
    /// Which part of the API the operation belongs to.
    pub group: Group,
}

impl Endpoint {
    /// Whether `path` (without query string) matches this endpoint's template.
    pub fn matches_path(&self, path: &str) -> bool {
        let mut template = self.path.split('/');
        let mut actual = path.split('/');
        loop {
            match (template.next(), actual.next()) {
                (None, None) => return true,
                (Some(t), Some(a)) if t.starts_with('{') && t.ends_with('}') => {
                    if a.is_empty() {
                        return false;
                    }
                }
                (Some(t), Some(a)) if t == a => {}
                _ => return false,
            }
        }
    }

    /// The schema documented for `status`, if the status is documented at all.
    pub fn documented_schema(&self, status: u16) -> Option<Option<&'static str>> {
        self.responses
            .iter()
            .find(|(code, _)| *code == status)
            .map(|(_, schema)| *schema)
    }

    /// `METHOD /path`, for messages and reports.
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The endpoint serving `method` and `path`. The path may carry a query string and may be
/// concrete (`/api/v1/auth/verify-email/abc` matches `/api/v1/auth/verify-email/{token}`).
pub fn find(method: &str, path: &str) -> Option<&'static Endpoint> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    ENDPOINTS
        .iter()
        .find(|e| e.method.eq_ignore_ascii_case(method) && e.matches_path(path))
}

const MESSAGE: Option<&str> = Some("MessageResponse");
const ERROR: Option<&str> = Some("ErrorResponse");

macro_rules! endpoint {
    ($method:literal $path:literal, $op:literal, $summary:literal, $auth:ident, $group:ident,
     body: $body:expr, responses: [$(($code:literal, $schema:expr)),* $(,)?] $(, $field:ident: $value:expr)* $(,)?) => {
        Endpoint {
            method: $method,
            path: $path,
            operation_id: $op,
            summary: $summary,
            auth: Auth::$auth,
            request_schema: $body,
            responses: &[$(($code, $schema)),*],
            group: Group::$group,
            $($field: $value,)*
            ..Endpoint::DEFAULTS
        }
    };
}

impl Endpoint {
    /// Field values shared by most endpoints, for struct-update syntax in [`ENDPOINTS`].
    const DEFAULTS: Endpoint = Endpoint {
        method: "GET",
        path: "/",
        operation_id: "",
        summary: "",
        auth: Auth::None,
        request_schema: None,
        body_optional: false,
        query_param: None,
        responses: &[],
        group: Group::Auth,
    };
}

/// Every operation: the 18 of the published reference first, in its order, then the neighbours
/// and the reference server's test-control surface.
pub static ENDPOINTS: &[Endpoint] = &[
    endpoint!("POST" "/api/v1/auth/change-password", "apps_authentication_api_change_password",
        "Change Password", Jwt, Auth, body: Some("ChangePasswordSchema"),
        responses: [(200, MESSAGE), (400, ERROR), (401, ERROR)]),
    endpoint!("POST" "/api/v1/auth/password-reset/confirm", "apps_authentication_api_confirm_password_reset",
        "Confirm Password Reset", None, Auth, body: Some("ConfirmPasswordResetSchema"),
        responses: [(200, MESSAGE), (400, ERROR)]),
    endpoint!("POST" "/api/v1/auth/forgot-password", "apps_authentication_api_forgot_password",
        "Forgot Password", None, Auth, body: Some("ForgotPasswordSchema"),
        responses: [(200, MESSAGE), (400, ERROR)]),
    endpoint!("GET" "/api/v1/auth/me", "apps_authentication_api_get_current_user",
        "Get Current User", Jwt, Auth, body: None,
        responses: [(200, Some("UserResponse")), (401, ERROR)]),
    endpoint!("GET" "/api/v1/auth/feature-flags", "apps_authentication_api_get_feature_flags",
        "Get Feature Flags", Jwt, Auth, body: None,
        responses: [(200, Some("FeatureFlagsResponse")), (401, ERROR)]),
    endpoint!("GET" "/api/v1/auth/health", "apps_authentication_api_health_check",
        "Health Check", None, Auth, body: None,
        responses: [(200, None)]),
    endpoint!("POST" "/api/v1/auth/login", "apps_authentication_api_login",
        "Login", None, Auth, body: Some("LoginSchema"),
        responses: [(200, Some("LoginResponse")), (400, ERROR)]),
    endpoint!("POST" "/api/v1/auth/logout", "apps_authentication_api_logout",
        "Logout", Jwt, Auth, body: None,
        responses: [(200, None), (401, ERROR)]),
    endpoint!("POST" "/api/v1/auth/password-reset", "apps_authentication_api_password_reset_alias",
        "Password Reset Alias", None, Auth, body: Some("ForgotPasswordSchema"),
        responses: [(200, MESSAGE), (400, ERROR)]),
    endpoint!("POST" "/api/v1/auth/refresh", "apps_authentication_api_refresh_token",
        "Refresh Token", None, Auth, body: Some("RefreshTokenSchema"),
        responses: [(200, Some("LoginResponse")), (401, ERROR)],
        body_optional: true),
    endpoint!("POST" "/api/v1/auth/register", "apps_authentication_api_register",
        "Register (deprecated)", None, Auth, body: Some("RegisterSchema"),
        responses: [(201, Some("UserResponse")), (400, ERROR)]),
    endpoint!("POST" "/api/v1/auth/resend-verification", "apps_authentication_api_resend_verification",
        "Resend Verification", Jwt, Auth, body: None,
        responses: [(200, MESSAGE), (401, ERROR)]),
    endpoint!("POST" "/api/v1/auth/resend-verification-email", "apps_authentication_api_resend_verification_email",
        "Resend Verification Email", None, Auth, body: Some("ResendVerificationSchema"),
        responses: [(200, MESSAGE), (400, ERROR), (429, ERROR)]),
    endpoint!("POST" "/api/v1/auth/reset-password", "apps_authentication_api_reset_password",
        "Reset Password (deprecated, always 410)", None, Auth, body: Some("ResetPasswordSchema"),
        responses: [(410, ERROR)]),
    endpoint!("GET" "/api/v1/auth/test-api-key", "apps_authentication_api_test_api_key_auth",
        "Test Api Key Auth", ApiKey, Auth, body: None,
        responses: [(200, None), (401, ERROR)]),
    endpoint!("GET" "/api/v1/auth/test-auth", "apps_authentication_api_test_jwt_auth",
        "Test Jwt Auth", Jwt, Auth, body: None,
        responses: [(200, None), (401, ERROR)]),
    endpoint!("GET" "/api/v1/auth/verify-email", "apps_authentication_api_verify_email",
        "Verify Email (query parameter)", None, Auth, body: None,
        responses: [(200, MESSAGE), (400, ERROR)],
        query_param: Some("token")),
    endpoint!("GET" "/api/v1/auth/verify-email/{token}", "apps_authentication_api_verify_email_path",
        "Verify Email (path parameter)", None, Auth, body: None,
        responses: [(200, MESSAGE), (400, ERROR)]),
    // Neighbouring endpoints of the same API version (CONTRACT.md).
    endpoint!("POST" "/api/v1/test/create-user", "e2e_create_user",
        "Create a test user (E2E)", None, Neighbour, body: Some("CreateUserSchema"),
        responses: [(200, Some("TestUserResponse")), (400, ERROR)]),
    endpoint!("POST" "/api/v1/test/cleanup-e2e-data", "e2e_cleanup_data",
        "Delete E2E test data", None, Neighbour, body: None,
        responses: [(200, MESSAGE)]),
    endpoint!("DELETE" "/api/v1/test/cleanup", "e2e_cleanup",
        "Delete test data", None, Neighbour, body: None,
        responses: [(200, MESSAGE)]),
    endpoint!("POST" "/api/v1/account/api-keys", "account_create_api_key",
        "Create an API key", JwtOrApiKey, Neighbour, body: Some("ApiKeyCreateRequest"),
        responses: [(201, Some("ApiKeyCreateResponse")), (400, ERROR), (401, ERROR)],
        body_optional: true),
    endpoint!("POST" "/api/v1/public/signup", "public_signup",
        "Sign up (replacement of register)", None, Neighbour, body: Some("SignupRequest"),
        responses: [(201, Some("UserResponse")), (400, ERROR)]),
    // The reference server's test-control surface.
    endpoint!("GET" "/api/v1/test/clock", "test_clock_now",
        "Read the server clock", None, TestControl, body: None,
        responses: [(200, Some("ClockResponse"))]),
    endpoint!("POST" "/api/v1/test/clock/advance", "test_clock_advance",
        "Move the server clock forward", None, TestControl, body: Some("ClockAdvanceRequest"),
        responses: [(200, Some("ClockResponse"))]),
    endpoint!("GET" "/_mailpit/api/v1/messages", "mailpit_list_messages",
        "List outbox messages (Mailpit API)", None, TestControl, body: None,
        responses: [(200, None)]),
    endpoint!("GET" "/_mailpit/api/v1/search", "mailpit_search_messages",
        "Search outbox messages (Mailpit API)", None, TestControl, body: None,
        responses: [(200, None)],
        query_param: Some("query")),
    endpoint!("GET" "/_mailpit/api/v1/message/{ID}", "mailpit_get_message",
        "Read one outbox message (Mailpit API)", None, TestControl, body: None,
        responses: [(200, None), (404, ERROR)]),
    endpoint!("DELETE" "/_mailpit/api/v1/messages", "mailpit_delete_messages",
        "Empty the outbox (Mailpit API)", None, TestControl, body: None,
        responses: [(200, None)]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_documents_eighteen_auth_endpoints() {
        let auth = ENDPOINTS.iter().filter(|e| e.group == Group::Auth).count();
        assert_eq!(auth, 18);
    }

    #[test]
    fn operations_are_unique_by_method_and_path() {
        for (i, a) in ENDPOINTS.iter().enumerate() {
            for b in &ENDPOINTS[i + 1..] {
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "{} twice",
                    a.label()
                );
                assert_ne!(a.operation_id, b.operation_id);
            }
        }
    }

    #[test]
    fn protected_endpoints_document_401() {
        for e in ENDPOINTS.iter().filter(|e| e.auth != Auth::None) {
            assert!(
                e.documented_schema(401).is_some(),
                "{} lacks 401",
                e.label()
            );
        }
    }

    #[test]
    fn find_matches_templates_and_ignores_the_query() {
        let e = find("GET", "/api/v1/auth/verify-email/abc123").unwrap();
        assert_eq!(e.operation_id, "apps_authentication_api_verify_email_path");
        let e = find("get", "/api/v1/auth/verify-email?token=x").unwrap();
        assert_eq!(e.operation_id, "apps_authentication_api_verify_email");
        assert!(find("GET", "/api/v1/auth/verify-email/").is_none());
        assert!(find("DELETE", "/api/v1/auth/login").is_none());
        assert!(find("POST", "/api/v1/auth/login/extra").is_none());
    }
}
