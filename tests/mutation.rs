//! The mutation score of the conformance suite, as part of `cargo test`: the suite runs once
//! against the correct reference (it must be green) and once per fault of the reference
//! (`spatialflow-conformance faults`), two processes at a time, and every fault must be caught
//! at its level. The report (fault, level, catching scenarios, verdict, score) is printed.
//!
//! `SPATIALFLOW_MUTATION_FAULTS=name,name` limits the run to some faults (local iteration);
//! `SPATIALFLOW_MUTATION_JOBS` sets the parallelism (default 2).

use std::path::PathBuf;

use spatialflow_conformance::reference::faults::Fault;
use spatialflow_conformance::reference::faults::mutation::{self, MutationOptions};

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_spatialflow-conformance"))
}

fn options() -> MutationOptions {
    let mut options = MutationOptions::all(binary());
    options.out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mutation");
    if let Ok(list) = std::env::var("SPATIALFLOW_MUTATION_FAULTS") {
        options.faults = list
            .split(',')
            .filter(|n| !n.trim().is_empty())
            .map(|n| n.parse::<Fault>().expect("SPATIALFLOW_MUTATION_FAULTS"))
            .collect();
    }
    if let Some(jobs) = std::env::var("SPATIALFLOW_MUTATION_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
    {
        options.jobs = jobs;
    }
    options
}

/// The scenario (`Feature: Scenario`) each fault was designed to be caught by. A run must
/// catch the fault there, not only through collateral failures; when the suite renames a
/// scenario, update its line here. Each one fails whatever else runs at the same time (the
/// skipped-authentication faults act for the newest user, so their catchers are scenarios
/// whose own Background creates one).
fn designed_catcher(fault: Fault) -> &'static str {
    match fault {
        Fault::ResetPasswordNotGone => {
            "Reset password (retired): The retired reset answers Gone to a complete request"
        }
        Fault::RegisterAnswers200 => "Register (deprecated): A newcomer registers",
        Fault::UnauthenticatedAnswers403 => {
            "Current user: Without credentials nobody is recognised"
        }
        Fault::UserEmailVerifiedSnakeCase => "Current user: Alice reads her profile",
        Fault::UserIdRemoved => "Current user: Alice reads her profile",
        Fault::LoginAccessTokenRenamed => "Login: Alice logs in with her password",
        Fault::LoginExpiresInString => "Login: Alice logs in with her password",
        Fault::ErrorDetailRenamed => "Login: A wrong password is refused as a bad request",
        Fault::ValidationDetailNotList => {
            "Error shape: A request missing a required field does not match the schema"
        }
        Fault::MessageNotObject => {
            "Forgot password: Alice asks for a password reset and gets a link by email"
        }
        Fault::FeatureFlagsNotObject => "Feature flags: Alice reads her feature flags",
        Fault::ApiKeyPrefixRemoved => "API key test endpoint: A valid API key is accepted",
        Fault::CookiesNotHttpOnly => {
            "Cookies and sessions: Login sets the session in HttpOnly cookies"
        }
        Fault::CookiesNotSecure => {
            "Cookies and sessions: The session cookies are Secure and SameSite"
        }
        Fault::LoginSetsNoCookies => {
            "Cookies and sessions: Login sets the session in HttpOnly cookies"
        }
        Fault::LogoutKeepsCookies => "Logout: Logging out succeeds and clears the session cookies",
        Fault::RefreshIgnoresCookie => {
            "Refresh token: Refreshing from the HttpOnly cookie alone, with no body"
        }
        Fault::RefreshNotRotating => "Token security: Refresh tokens rotate",
        Fault::RefreshAcceptsGarbage => "Refresh token: A made-up refresh token is refused",
        Fault::LogoutNotRevoking => {
            "Logout: Logging out revokes every refresh token, from every login"
        }
        Fault::LogoutRevokesOnlyLatest => {
            "Logout: Logging out revokes every refresh token, from every login"
        }
        Fault::LogoutKeepsAccessToken => "Logout: The access token no longer works after logout",
        Fault::ChangePasswordKeepsSessions => {
            "Change password: Changing the password ends the other sessions"
        }
        Fault::ResetKeepsSessions => "Token security: A password reset ends the other sessions",
        Fault::ResetKeepsOldPassword => "Confirm password reset: The old password stops working",
        Fault::ChangePasswordIgnoresCurrent => {
            "Change password: A wrong current password is refused and nothing changes"
        }
        Fault::RateLimitOff => "Rate limits: The fourth request within an hour is refused",
        Fault::RateLimitAfterFour => "Rate limits: The fourth request within an hour is refused",
        Fault::RateLimitCaseSensitive => {
            "Rate limits: The limit applies whatever the case of the address"
        }
        Fault::RateLimitWithoutRetryAfter => "Rate limits: The refusal says when to retry",
        Fault::RateLimitWindowADay => "Rate limits: A slot frees after an hour",
        Fault::ResetTokenReusable => "Confirm password reset: A reset token works only once",
        Fault::ResetTokenNeverExpires => "Token security: A reset token expires after an hour",
        Fault::VerificationTokenReusable => {
            "Verify email (query form): A verification token works only once"
        }
        Fault::VerificationTokenNeverExpires => {
            "Token security: A verification token expires after a day"
        }
        Fault::VerifyEmailPathBroken => {
            "Verify email (path form): The emailed token verifies the address in the path form"
        }
        Fault::MeAuthSkipped => "Authentication required: ask who she is without credentials",
        Fault::FeatureFlagsAuthSkipped => {
            "Authentication required: read her feature flags without credentials"
        }
        Fault::TestAuthAuthSkipped => {
            "Authentication required: check her access token without credentials"
        }
        Fault::LogoutAuthSkipped => "Authentication required: log out without credentials",
        Fault::ChangePasswordAuthSkipped => {
            "Change password: Changing the password needs a signed-in person"
        }
        Fault::ResendVerificationAuthSkipped => {
            "Resend verification: Asking needs a signed-in person"
        }
        Fault::ApiKeyCheckSkipped => "API key test endpoint: No API key, no access",
        Fault::JwtSignatureNotChecked => {
            "Authentication required: ask who she is with a tampered token"
        }
        Fault::JwtAlgNoneAccepted => {
            "Authentication required: ask who she is with an unsigned token"
        }
        Fault::JwtExpiryNotChecked => "Token security: An access token expires",
        Fault::LoginRevealsUnknownEmail => {
            "Login: Unknown email and wrong password get the identical answer"
        }
        Fault::DeactivationIgnored => {
            "Deactivated accounts: A deactivated account's tokens stop working"
        }
        Fault::LoginTimingRevealsAccount => {
            "Login: An unknown email is refused no faster than a wrong password"
        }
        Fault::ForgotPasswordRevealsUnknownEmail => {
            "Forgot password: Known and unknown addresses get the identical answer"
        }
        Fault::MalformedJson500 => "Error shape: Malformed JSON is rejected as the client's fault",
        Fault::NotFoundNotJson => {
            "Error shape: An unknown endpoint answers Not Found in the standard shape"
        }
        Fault::ForgotPasswordSendsNoEmail => {
            "Forgot password: Alice asks for a password reset and gets a link by email"
        }
        Fault::PasswordResetAliasDiffers => {
            "Password reset alias: The alias answers as the original does"
        }
        Fault::HealthNotJson => "Health check: The service reports its health without credentials",
        Fault::RegisterNotDeprecated => {
            "Register (deprecated): The answer announces the deprecation"
        }
        Fault::ResetPasswordNotDeprecated => {
            "Reset password (retired): The Gone answer announces the deprecation"
        }
        Fault::RegisterAcceptsWeakPassword => {
            "Register (deprecated): A too short password is refused"
        }
        Fault::ResetAcceptsWeakPassword => {
            "Confirm password reset: A too short new password is refused"
        }
        Fault::ChangePasswordNotChanging => "Change password: Alice changes her password",
        Fault::VerifyEmailNotMarkingVerified => {
            "Verify email (query form): The emailed token verifies the address"
        }
        Fault::ResendVerificationEmailSendsNoEmail => {
            "Resend verification email: Every request sends a new verification email"
        }
        Fault::ResendVerificationSendsNoEmail => {
            "Resend verification: Vera asks for a new verification email and receives it"
        }
        Fault::ResendRevealsUnknownEmail => {
            "Resend verification email: Known and unknown addresses get the identical answer"
        }
        Fault::ForgotPasswordUnknown404 => {
            "Forgot password: An unknown address gets the success answer too"
        }
        Fault::ApiKeyErrorsDiffer => {
            "API key test endpoint: Missing and wrong keys get the identical answer"
        }
        Fault::ContentTypeNotChecked => {
            "Error shape: A body that is not JSON is refused as an unsupported media type"
        }
        Fault::WrongMethodAnswers404 => "Error shape: A wrong method answers Method Not Allowed",
        Fault::TokensCacheable => {
            "Error shape: Answers carrying tokens may be neither cached nor sniffed"
        }
        Fault::ErrorsNotJson => "Error shape: Errors are JSON",
        Fault::UserEchoesPassword => "Login: The login answer reveals no password",
        Fault::NoBearerChallenge => {
            "Authentication required: A refused request asks for a bearer token"
        }
        Fault::UnicodePasswordRejected => {
            "Register (deprecated): A long password in any script is accepted"
        }
        Fault::BearerAcceptsRefreshToken => {
            "Authentication required: A refresh token is not an access token"
        }
        Fault::BearerAcceptsApiKey => "Authentication required: An API key is not an access token",
        Fault::TestApiKeyAcceptsJwt => {
            "API key test endpoint: An access token does not stand in for an API key"
        }
        Fault::ApiKeyPrefixOptional => {
            "API key test endpoint: A key without its sf_ prefix is refused"
        }
        Fault::ApiKeyInQueryAccepted => {
            "API key test endpoint: A key in the query string is ignored"
        }
        Fault::RefreshCookieCrossSiteAllowed => {
            "Cookies and sessions: A cookie refresh from another site is forbidden"
        }
        Fault::RefreshReplayNotDetected => {
            "Token security: Replaying a rotated refresh token revokes its successor"
        }
        Fault::RateLimitSparesUnknown => "Rate limits: Unknown addresses are limited too",
        Fault::ResetTokenErrorsDiffer => {
            "Confirm password reset: Used and made-up tokens get the identical answer"
        }
    }
}

#[test]
fn the_suite_catches_every_fault_of_the_reference() {
    let options = options();
    let report = mutation::run(&options).expect("the mutation run starts");
    let text = report.render();
    // Straight to the process's stdout, past libtest's capture: the report belongs in the CI
    // log whether or not the test fails.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
    let _ = std::fs::write(options.out_dir.join("report.txt"), &text);
    assert!(
        report.is_perfect(),
        "the suite is not green on the reference or missed a fault:\n{text}"
    );
    let astray: Vec<String> = report
        .outcomes
        .iter()
        .filter(|o| {
            let designed = designed_catcher(o.fault);
            !o.caught_by
                .iter()
                .any(|c| format!("{}: {}", c.feature, c.scenario) == designed)
        })
        .map(|o| {
            format!(
                "{}: not caught by \"{}\"",
                o.fault,
                designed_catcher(o.fault)
            )
        })
        .collect();
    assert!(astray.is_empty(), "{}\n\n{text}", astray.join("\n"));
}
