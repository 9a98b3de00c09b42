//! Fault injection: deliberate, one-at-a-time defects of the reference server, used to measure
//! how many of them the conformance suite catches (its mutation score).
//!
//! Every fault is a variant of [`Fault`], with its name, its [`Level`] and what it breaks, in
//! the one table below. A server runs with at most one fault (`serve --fault NAME`,
//! [`ReferenceConfig::fault`](crate::reference::ReferenceConfig::fault)); with none, every hook
//! is a comparison against `None` and the server is the correct reference.
//!
//! Hooks are of two kinds, so that the handlers stay almost untouched:
//! - behaviour faults (revocation, rotation, token use, authentication, rate limiting) are one
//!   line in the handler or extractor concerned, calling a function of `faults::behaviour`;
//! - wire faults (status codes, schema drift, cookie attributes, headers) are applied by
//!   `faults::wire::inject`, a layer that `faults::wire::wrap` adds to the app only when such a
//!   fault is on.
//!
//! Every fault has a probe in `reference::tests::faults` showing that the defect is visible on
//! the faulty server and not on the correct one; `tests/mutation.rs` names, per fault, the
//! scenario of the suite designed to catch it.
//!
//! [`mutation`] runs the conformance suite against each fault and scores it.

pub(crate) mod behaviour;
pub mod mutation;
pub(crate) mod wire;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// How serious a fault is: which requirement level the defect breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Breaks something the contract states; a `@must` scenario has to catch it.
    Must,
    /// Breaks only security practice (SECURITY.md); a `@should` scenario may catch it.
    Should,
}

impl Level {
    /// `must` or `should`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "must",
            Level::Should => "should",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! faults {
    ($($variant:ident = $name:literal, $level:ident, $breaks:literal;)*) => {
        /// One deliberate defect of the reference server (see the module doc).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Fault {
            $(
                #[doc = $breaks]
                $variant,
            )*
        }

        impl Fault {
            /// Every fault, in catalogue order.
            pub const ALL: &'static [Fault] = &[$(Fault::$variant),*];

            /// The kebab-case name used on the command line.
            pub fn name(self) -> &'static str {
                match self {
                    $(Fault::$variant => $name,)*
                }
            }

            /// The requirement level the defect breaks.
            pub fn level(self) -> Level {
                match self {
                    $(Fault::$variant => Level::$level,)*
                }
            }

            /// One line: what the defect breaks.
            pub fn breaks(self) -> &'static str {
                match self {
                    $(Fault::$variant => $breaks,)*
                }
            }
        }
    };
}

faults! {
    // Status codes.
    ResetPasswordNotGone = "reset-password-not-gone", Must,
        "POST /reset-password answers 404 instead of 410 Gone.";
    RegisterAnswers200 = "register-answers-200", Must,
        "POST /register answers 200 instead of 201 Created.";
    UnauthenticatedAnswers403 = "unauthenticated-answers-403", Must,
        "Every 401 (missing or invalid credentials) becomes a 403.";
    // Schema drift, one per response model.
    UserEmailVerifiedSnakeCase = "user-email-verified-snake-case", Must,
        "UserResponse sends `email_verified` instead of the camelCase `emailVerified`.";
    UserIdRemoved = "user-id-removed", Must,
        "UserResponse lacks its required `id`.";
    LoginAccessTokenRenamed = "login-access-token-renamed", Must,
        "LoginResponse renames `access_token` to `accessToken`.";
    LoginExpiresInString = "login-expires-in-string", Must,
        "LoginResponse sends `expires_in` as a string instead of an integer.";
    ErrorDetailRenamed = "error-detail-renamed", Must,
        "ErrorResponse bodies carry `message` instead of `detail`.";
    ValidationDetailNotList = "validation-detail-not-list", Must,
        "422 bodies carry `detail` as a string instead of the list of problems.";
    MessageNotObject = "message-not-object", Must,
        "forgot-password answers a bare JSON string instead of an object.";
    FeatureFlagsNotObject = "feature-flags-not-object", Must,
        "GET /feature-flags answers a JSON array instead of an object.";
    ApiKeyPrefixRemoved = "api-key-prefix-removed", Must,
        "The created ApiKeyResponse lacks its required `key_prefix`.";
    // Cookies.
    CookiesNotHttpOnly = "cookies-not-http-only", Must,
        "Login and refresh set the session cookies without HttpOnly.";
    CookiesNotSecure = "cookies-not-secure", Should,
        "Login and refresh set the session cookies without Secure.";
    LoginSetsNoCookies = "login-sets-no-cookies", Must,
        "Login sets no session cookie at all.";
    LogoutKeepsCookies = "logout-keeps-cookies", Must,
        "Logout does not clear the session cookies.";
    // Refresh.
    RefreshIgnoresCookie = "refresh-ignores-cookie", Must,
        "Refresh reads the refresh token only from the body, never from the cookie.";
    RefreshNotRotating = "refresh-not-rotating", Should,
        "Refresh hands back the same refresh token, which stays valid.";
    RefreshAcceptsGarbage = "refresh-accepts-garbage", Must,
        "Refresh answers 200 (with no session) instead of 401 to a token it cannot use.";
    // Logout and revocation.
    LogoutNotRevoking = "logout-not-revoking", Must,
        "Logout leaves every refresh token valid.";
    LogoutRevokesOnlyLatest = "logout-revokes-only-latest", Must,
        "Logout revokes only the newest refresh token, not those of earlier logins.";
    LogoutKeepsAccessToken = "logout-keeps-access-token", Should,
        "The access token keeps working after logout.";
    ChangePasswordKeepsSessions = "change-password-keeps-sessions", Should,
        "change-password leaves the user's refresh tokens valid.";
    ResetKeepsSessions = "reset-keeps-sessions", Should,
        "password-reset/confirm leaves the user's refresh tokens valid.";
    ResetKeepsOldPassword = "reset-keeps-old-password", Should,
        "After password-reset/confirm the old password still logs in too.";
    ChangePasswordIgnoresCurrent = "change-password-ignores-current", Must,
        "change-password accepts a wrong current password.";
    // Rate limiting of resend-verification-email.
    RateLimitOff = "rate-limit-off", Must,
        "resend-verification-email is never limited (no 429).";
    RateLimitAfterFour = "rate-limit-after-four", Must,
        "resend-verification-email allows 4 requests an hour instead of 3.";
    RateLimitCaseSensitive = "rate-limit-case-sensitive", Should,
        "The resend limit keys on the email as typed, so changing its case escapes it.";
    RateLimitWithoutRetryAfter = "rate-limit-without-retry-after", Should,
        "The 429 of resend-verification-email carries no Retry-After.";
    RateLimitWindowADay = "rate-limit-window-a-day", Must,
        "The resend limit counts over 24 hours instead of one hour.";
    // Emailed tokens.
    ResetTokenReusable = "reset-token-reusable", Must,
        "A password-reset token works more than once.";
    ResetTokenNeverExpires = "reset-token-never-expires", Should,
        "A password-reset token never expires.";
    VerificationTokenReusable = "verification-token-reusable", Should,
        "A verification token works more than once.";
    VerificationTokenNeverExpires = "verification-token-never-expires", Should,
        "A verification token never expires.";
    VerifyEmailPathBroken = "verify-email-path-broken", Must,
        "GET /verify-email/{token} refuses valid tokens (the path form mangles the token).";
    // Authentication skipped.
    MeAuthSkipped = "me-auth-skipped", Must,
        "GET /me answers without a valid access token (as the newest user).";
    FeatureFlagsAuthSkipped = "feature-flags-auth-skipped", Must,
        "GET /feature-flags answers without a valid access token.";
    TestAuthAuthSkipped = "test-auth-auth-skipped", Must,
        "GET /test-auth answers without a valid access token.";
    LogoutAuthSkipped = "logout-auth-skipped", Must,
        "POST /logout works without a valid access token (logs the newest user out).";
    ChangePasswordAuthSkipped = "change-password-auth-skipped", Must,
        "POST /change-password runs without a valid access token (for the newest user).";
    ResendVerificationAuthSkipped = "resend-verification-auth-skipped", Must,
        "POST /resend-verification runs without a valid access token.";
    ApiKeyCheckSkipped = "api-key-check-skipped", Must,
        "GET /test-api-key answers 200 whatever the X-API-KEY (or none).";
    // JWT verification.
    JwtSignatureNotChecked = "jwt-signature-not-checked", Must,
        "Access tokens are accepted with any signature.";
    JwtAlgNoneAccepted = "jwt-alg-none-accepted", Should,
        "Unsigned access tokens (`alg: none`) are accepted.";
    JwtExpiryNotChecked = "jwt-expiry-not-checked", Should,
        "Expired access tokens are accepted.";
    // Account enumeration.
    LoginRevealsUnknownEmail = "login-reveals-unknown-email", Should,
        "Login says \"no account\" for an unknown email, unlike a wrong password.";
    ForgotPasswordRevealsUnknownEmail = "forgot-password-reveals-unknown-email", Should,
        "forgot-password answers unknown emails with a different message.";
    DeactivationIgnored = "deactivation-ignored", Should,
        "A deactivated account's access tokens and API keys keep working.";
    LoginTimingRevealsAccount = "login-timing-reveals-account", Should,
        "Login checks an existing account's password at production cost (argon2id, 19 MiB) but \
         refuses an unknown email without hashing: the refusal's time reveals the account.";
    // Malformed input and error shape.
    MalformedJson500 = "malformed-json-500", Should,
        "A body that is not valid JSON gets a 500 instead of a 4xx.";
    NotFoundNotJson = "not-found-not-json", Should,
        "Unknown routes answer 404 in plain text, not the ErrorResponse shape.";
    // Other endpoints.
    ForgotPasswordSendsNoEmail = "forgot-password-sends-no-email", Must,
        "forgot-password answers 200 but sends no reset email.";
    PasswordResetAliasDiffers = "password-reset-alias-differs", Must,
        "POST /password-reset answers differently from /forgot-password.";
    HealthNotJson = "health-not-json", Should,
        "GET /health answers 200 in plain text instead of JSON.";
    RegisterNotDeprecated = "register-not-deprecated", Should,
        "POST /register no longer announces its deprecation (no Deprecation/Link).";
    ResetPasswordNotDeprecated = "reset-password-not-deprecated", Should,
        "The 410 of POST /reset-password no longer announces the deprecation (no Deprecation/Link).";
    // Password rules and password changes.
    RegisterAcceptsWeakPassword = "register-accepts-weak-password", Must,
        "Account creation (register, signup, E2E create-user) skips the password rules (8+ characters).";
    ResetAcceptsWeakPassword = "reset-accepts-weak-password", Must,
        "password-reset/confirm skips the password rules (8+ characters).";
    ChangePasswordNotChanging = "change-password-not-changing", Must,
        "change-password answers 200 but keeps the old password.";
    // Email verification.
    VerifyEmailNotMarkingVerified = "verify-email-not-marking-verified", Must,
        "verify-email answers 200 but the account stays unverified.";
    ResendVerificationEmailSendsNoEmail = "resend-verification-email-sends-no-email", Must,
        "resend-verification-email answers 200 but sends no verification email.";
    ResendVerificationSendsNoEmail = "resend-verification-sends-no-email", Must,
        "resend-verification (signed in) answers 200 but sends no verification email.";
    ResendRevealsUnknownEmail = "resend-reveals-unknown-email", Should,
        "resend-verification-email answers unknown emails with a different message.";
    ForgotPasswordUnknown404 = "forgot-password-unknown-404", Should,
        "forgot-password answers 404 for an unknown email instead of the success answer.";
    // HTTP hygiene.
    ApiKeyErrorsDiffer = "api-key-errors-differ", Should,
        "GET /test-api-key tells a missing key from a wrong one in its 401 body.";
    ContentTypeNotChecked = "content-type-not-checked", Should,
        "A JSON endpoint reads a body of any Content-Type (no 415).";
    WrongMethodAnswers404 = "wrong-method-answers-404", Should,
        "A known path with the wrong method answers 404 without Allow instead of 405.";
    TokensCacheable = "tokens-cacheable", Should,
        "Login and refresh answers carry no Cache-Control: no-store.";
    ErrorsNotJson = "errors-not-json", Should,
        "Error answers declare Content-Type text/plain (the body is unchanged).";
    UserEchoesPassword = "user-echoes-password", Should,
        "The user object of login and register echoes the submitted password.";
    NoBearerChallenge = "no-bearer-challenge", Should,
        "401 answers carry no WWW-Authenticate: Bearer challenge.";
    UnicodePasswordRejected = "unicode-password-rejected", Should,
        "The password rules refuse any password with non-ASCII characters.";
    // Token confusion and API keys.
    BearerAcceptsRefreshToken = "bearer-accepts-refresh-token", Should,
        "JWT endpoints accept a live refresh token as the bearer token.";
    BearerAcceptsApiKey = "bearer-accepts-api-key", Should,
        "JWT endpoints accept an API key as the bearer token.";
    TestApiKeyAcceptsJwt = "test-api-key-accepts-jwt", Should,
        "GET /test-api-key accepts an access token instead of an API key.";
    ApiKeyPrefixOptional = "api-key-prefix-optional", Should,
        "An API key sent without its sf_ prefix is accepted.";
    ApiKeyInQueryAccepted = "api-key-in-query-accepted", Should,
        "An API key in the query string (?api_key=) is accepted.";
    // Session hardening.
    RefreshCookieCrossSiteAllowed = "refresh-cookie-cross-site-allowed", Should,
        "A cookie-authenticated refresh from a foreign Origin is not refused.";
    RefreshReplayNotDetected = "refresh-replay-not-detected", Should,
        "Replaying a rotated refresh token does not revoke its successor.";
    RateLimitSparesUnknown = "rate-limit-spares-unknown", Should,
        "The resend limit counts only emails of existing accounts.";
    ResetTokenErrorsDiffer = "reset-token-errors-differ", Should,
        "password-reset/confirm tells a used token from an unknown one.";
}

impl Fault {
    /// Whether the wire layer implements this fault (the layer is only added for those).
    pub fn is_wire(self) -> bool {
        use Fault::*;
        matches!(
            self,
            ResetPasswordNotGone
                | RegisterAnswers200
                | UnauthenticatedAnswers403
                | UserEmailVerifiedSnakeCase
                | UserIdRemoved
                | LoginAccessTokenRenamed
                | LoginExpiresInString
                | ErrorDetailRenamed
                | ValidationDetailNotList
                | MessageNotObject
                | FeatureFlagsNotObject
                | ApiKeyPrefixRemoved
                | CookiesNotHttpOnly
                | CookiesNotSecure
                | LoginSetsNoCookies
                | LogoutKeepsCookies
                | RateLimitWithoutRetryAfter
                | ApiKeyCheckSkipped
                | NotFoundNotJson
                | PasswordResetAliasDiffers
                | HealthNotJson
                | RegisterNotDeprecated
                | ResetPasswordNotDeprecated
                | ApiKeyErrorsDiffer
                | WrongMethodAnswers404
                | TokensCacheable
                | ErrorsNotJson
                | UserEchoesPassword
                | NoBearerChallenge
        )
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is no fault.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown fault `{0}` (`spatialflow-conformance faults` lists them)")]
pub struct UnknownFault(pub String);

impl FromStr for Fault {
    type Err = UnknownFault;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Fault::ALL
            .iter()
            .copied()
            .find(|f| f.name() == name.trim())
            .ok_or_else(|| UnknownFault(name.to_owned()))
    }
}

/// The listing of `spatialflow-conformance faults`: one line per fault.
pub fn render_catalogue() -> String {
    let width = Fault::ALL.iter().map(|f| f.name().len()).max().unwrap_or(0);
    let mut out = String::new();
    for fault in Fault::ALL {
        out.push_str(&format!(
            "{:width$}  {:6}  {}\n",
            fault.name(),
            fault.level().as_str(),
            fault.breaks()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_parse_back() {
        let mut names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Fault::ALL.len());
        for fault in Fault::ALL {
            assert_eq!(fault.name().parse::<Fault>(), Ok(*fault));
        }
    }

    #[test]
    fn the_catalogue_has_at_least_35_faults_of_both_levels() {
        assert!(Fault::ALL.len() >= 35);
        assert!(Fault::ALL.iter().any(|f| f.level() == Level::Should));
        assert!(Fault::ALL.iter().any(|f| f.level() == Level::Must));
    }

    #[test]
    fn unknown_name_is_an_error() {
        assert_eq!(
            "no-such-fault".parse::<Fault>(),
            Err(UnknownFault("no-such-fault".to_owned()))
        );
    }

    #[test]
    fn catalogue_lists_one_line_per_fault() {
        let listing = render_catalogue();
        assert_eq!(listing.lines().count(), Fault::ALL.len());
        let line = listing
            .lines()
            .find(|l| l.starts_with("cookies-not-http-only "))
            .unwrap();
        assert!(
            line.contains(" must ") && line.contains("HttpOnly"),
            "{line}"
        );
    }
}
