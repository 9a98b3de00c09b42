//! Every fault really changes behaviour: for each [`Fault`], one probe of the router that shows
//! the defect on the faulty server and does not on the correct one. The probe table is an
//! exhaustive `match`, so a new fault does not compile without its probe.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::support::{PASSWORD, Req, TestApp, TestResponse};
use crate::harness::timing::check_same_timing;
use crate::reference::ReferenceConfig;
use crate::reference::faults::Fault;

const EMAIL: &str = "ann@example.com";
const NEW_PASSWORD: &str = "Brand-New-Secret-7";
const AUTH: &str = "/api/v1/auth";

fn app(fault: Option<Fault>) -> TestApp {
    TestApp::with_config(ReferenceConfig {
        fault,
        ..ReferenceConfig::embedded()
    })
}

fn path(route: &str) -> String {
    format!("{AUTH}{route}")
}

async fn get(app: &TestApp, route: &str, token: Option<&str>) -> TestResponse {
    let req = Req::get(&path(route));
    match token {
        Some(token) => req.bearer(token),
        None => req,
    }
    .send(app)
    .await
}

async fn post(app: &TestApp, route: &str, token: Option<&str>, body: Value) -> TestResponse {
    let req = Req::post(&path(route)).json(body);
    match token {
        Some(token) => req.bearer(token),
        None => req,
    }
    .send(app)
    .await
}

async fn refresh(app: &TestApp, refresh_token: &str) -> StatusCode {
    post(
        app,
        "/refresh",
        None,
        json!({"refresh_token": refresh_token}),
    )
    .await
    .status
}

fn access(session: &Value) -> String {
    session["access_token"].as_str().unwrap().to_owned()
}

fn refresh_token(session: &Value) -> String {
    session["refresh_token"].as_str().unwrap().to_owned()
}

async fn unverified_user(app: &TestApp, email: &str) {
    let response = Req::post("/api/v1/test/create-user")
        .json(json!({"email": email, "password": PASSWORD, "email_verified": false}))
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
}

async fn resend(app: &TestApp, email: &str) -> TestResponse {
    post(
        app,
        "/resend-verification-email",
        None,
        json!({"email": email}),
    )
    .await
}

async fn resend_times(app: &TestApp, email: &str, times: usize) -> Vec<StatusCode> {
    let mut statuses = Vec::new();
    for _ in 0..times {
        statuses.push(resend(app, email).await.status);
    }
    statuses
}

/// A verified user who asked for a reset; the emailed token.
async fn reset_token(app: &TestApp) -> String {
    app.create_user(EMAIL).await;
    post(app, "/forgot-password", None, json!({"email": EMAIL})).await;
    app.latest_token(EMAIL).await
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> StatusCode {
    post(
        app,
        "/password-reset/confirm",
        None,
        json!({"token": token, "password": password}),
    )
    .await
    .status
}

/// An unverified user with a fresh verification token (from the resend mail).
async fn verification_token(app: &TestApp) -> String {
    unverified_user(app, EMAIL).await;
    resend(app, EMAIL).await;
    app.latest_token(EMAIL).await
}

async fn login_status(app: &TestApp, password: &str) -> StatusCode {
    app.login(EMAIL, password).await.status
}

fn forge(token: &str, header: Value, signature: Option<&str>) -> String {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut parts = token.split('.');
    let _ = parts.next();
    let claims = parts.next().unwrap();
    let signature = signature.unwrap_or_else(|| parts.next().unwrap());
    format!(
        "{}.{claims}.{signature}",
        URL_SAFE_NO_PAD.encode(header.to_string())
    )
}

/// Whether `fault`'s defect shows on `app` (probed from a fresh state).
async fn shows_defect(fault: Fault, app: &TestApp) -> bool {
    use Fault::*;
    match fault {
        ResetPasswordNotGone => {
            post(app, "/reset-password", None, json!({})).await.status == StatusCode::NOT_FOUND
        }
        RegisterAnswers200 => {
            let body = json!({"email": EMAIL, "password": PASSWORD, "name": "Ann"});
            post(app, "/register", None, body).await.status == StatusCode::OK
        }
        UnauthenticatedAnswers403 => get(app, "/me", None).await.status == StatusCode::FORBIDDEN,
        UserEmailVerifiedSnakeCase => {
            let user = &app.signed_in(EMAIL).await["user"];
            user.get("emailVerified").is_none() && user.get("email_verified").is_some()
        }
        UserIdRemoved => {
            let session = app.signed_in(EMAIL).await;
            let me = get(app, "/me", Some(&access(&session))).await;
            me.status == StatusCode::OK && me.body.get("id").is_none()
        }
        LoginAccessTokenRenamed => {
            app.create_user(EMAIL).await;
            let body = app.login(EMAIL, PASSWORD).await.body;
            body.get("access_token").is_none() && body["accessToken"].is_string()
        }
        LoginExpiresInString => {
            app.create_user(EMAIL).await;
            app.login(EMAIL, PASSWORD).await.body["expires_in"] == json!("900")
        }
        ErrorDetailRenamed => {
            let body = app.login("nobody@example.com", PASSWORD).await.body;
            body.get("detail").is_none() && body["message"].is_string()
        }
        ValidationDetailNotList => {
            let response = post(app, "/login", None, json!({"email": EMAIL})).await;
            response.status == StatusCode::UNPROCESSABLE_ENTITY
                && response.body["detail"].is_string()
        }
        MessageNotObject => {
            let body = post(app, "/forgot-password", None, json!({"email": EMAIL}))
                .await
                .body;
            body.is_string()
        }
        FeatureFlagsNotObject => {
            let session = app.signed_in(EMAIL).await;
            get(app, "/feature-flags", Some(&access(&session)))
                .await
                .body
                .is_array()
        }
        ApiKeyPrefixRemoved => {
            let session = app.signed_in(EMAIL).await;
            let created = Req::post("/api/v1/account/api-keys")
                .bearer(&access(&session))
                .send(app)
                .await;
            created.status == StatusCode::CREATED
                && created.body["api_key"].get("key_prefix").is_none()
        }
        CookiesNotHttpOnly | CookiesNotSecure => {
            app.create_user(EMAIL).await;
            let attribute = if fault == CookiesNotHttpOnly {
                "HttpOnly"
            } else {
                "Secure"
            };
            let cookies = app.login(EMAIL, PASSWORD).await.set_cookies();
            !cookies.is_empty() && cookies.iter().all(|c| !c.contains(attribute))
        }
        LoginSetsNoCookies => {
            app.create_user(EMAIL).await;
            app.login(EMAIL, PASSWORD).await.set_cookies().is_empty()
        }
        LogoutKeepsCookies => {
            let session = app.signed_in(EMAIL).await;
            let response = post(app, "/logout", Some(&access(&session)), json!({})).await;
            response.status == StatusCode::OK && response.set_cookies().is_empty()
        }
        RefreshIgnoresCookie => {
            let session = app.signed_in(EMAIL).await;
            let cookie = format!("refresh_token={}", refresh_token(&session));
            let response = Req::post(&path("/refresh"))
                .header("cookie", &cookie)
                .send(app)
                .await;
            response.status == StatusCode::UNAUTHORIZED
        }
        RefreshNotRotating => {
            let session = app.signed_in(EMAIL).await;
            let old = refresh_token(&session);
            let first = post(app, "/refresh", None, json!({"refresh_token": old})).await;
            first.body["refresh_token"] == json!(old) && refresh(app, &old).await == StatusCode::OK
        }
        RefreshAcceptsGarbage => refresh(app, "made-up-refresh-token").await == StatusCode::OK,
        LogoutNotRevoking | LogoutRevokesOnlyLatest => {
            app.create_user(EMAIL).await;
            let first = app.login(EMAIL, PASSWORD).await.body;
            let second = app.login(EMAIL, PASSWORD).await.body;
            post(app, "/logout", Some(&access(&second)), json!({})).await;
            let earlier = refresh(app, &refresh_token(&first)).await == StatusCode::OK;
            let latest = refresh(app, &refresh_token(&second)).await == StatusCode::OK;
            match fault {
                LogoutNotRevoking => earlier && latest,
                _ => earlier && !latest,
            }
        }
        LogoutKeepsAccessToken => {
            let session = app.signed_in(EMAIL).await;
            post(app, "/logout", Some(&access(&session)), json!({})).await;
            get(app, "/me", Some(&access(&session))).await.status == StatusCode::OK
        }
        ChangePasswordKeepsSessions | ChangePasswordIgnoresCurrent => {
            let session = app.signed_in(EMAIL).await;
            let current = if fault == ChangePasswordIgnoresCurrent {
                "Wrong-Password-99"
            } else {
                PASSWORD
            };
            let body = json!({"current_password": current, "new_password": NEW_PASSWORD});
            let changed = post(app, "/change-password", Some(&access(&session)), body).await;
            match fault {
                ChangePasswordIgnoresCurrent => changed.status == StatusCode::OK,
                _ => refresh(app, &refresh_token(&session)).await == StatusCode::OK,
            }
        }
        ResetKeepsSessions => {
            let session = app.signed_in(EMAIL).await;
            post(app, "/forgot-password", None, json!({"email": EMAIL})).await;
            let token = app.latest_token(EMAIL).await;
            confirm(app, &token, NEW_PASSWORD).await;
            refresh(app, &refresh_token(&session)).await == StatusCode::OK
        }
        ResetKeepsOldPassword => {
            let token = reset_token(app).await;
            confirm(app, &token, NEW_PASSWORD).await;
            login_status(app, NEW_PASSWORD).await == StatusCode::OK
                && login_status(app, PASSWORD).await == StatusCode::OK
        }
        RateLimitOff => {
            unverified_user(app, EMAIL).await;
            resend_times(app, EMAIL, 6)
                .await
                .iter()
                .all(|s| *s == StatusCode::OK)
        }
        RateLimitAfterFour => {
            unverified_user(app, EMAIL).await;
            resend_times(app, EMAIL, 4).await[3] == StatusCode::OK
        }
        RateLimitCaseSensitive => {
            unverified_user(app, EMAIL).await;
            resend_times(app, EMAIL, 3).await;
            resend(app, &EMAIL.to_uppercase()).await.status == StatusCode::OK
        }
        RateLimitWithoutRetryAfter => {
            resend_times(app, EMAIL, 3).await;
            let limited = resend(app, EMAIL).await;
            limited.status == StatusCode::TOO_MANY_REQUESTS
                && limited.header("retry-after").is_none()
        }
        RateLimitWindowADay => {
            resend_times(app, EMAIL, 3).await;
            app.state.clock().advance(61 * 60);
            resend(app, EMAIL).await.status == StatusCode::TOO_MANY_REQUESTS
        }
        ResetTokenReusable => {
            let token = reset_token(app).await;
            confirm(app, &token, NEW_PASSWORD).await;
            confirm(app, &token, "Another-Secret-88").await == StatusCode::OK
        }
        ResetTokenNeverExpires => {
            let token = reset_token(app).await;
            app.state.clock().advance(2 * 3600);
            confirm(app, &token, NEW_PASSWORD).await == StatusCode::OK
        }
        VerificationTokenReusable => {
            let token = verification_token(app).await;
            let route = format!("/verify-email?token={token}");
            get(app, &route, None).await;
            get(app, &route, None).await.status == StatusCode::OK
        }
        VerificationTokenNeverExpires => {
            let token = verification_token(app).await;
            app.state.clock().advance(25 * 3600);
            let route = format!("/verify-email?token={token}");
            get(app, &route, None).await.status == StatusCode::OK
        }
        VerifyEmailPathBroken => {
            let token = verification_token(app).await;
            let route = format!("/verify-email/{token}");
            get(app, &route, None).await.status == StatusCode::BAD_REQUEST
        }
        MeAuthSkipped | FeatureFlagsAuthSkipped | TestAuthAuthSkipped => {
            app.create_user(EMAIL).await;
            let route = match fault {
                MeAuthSkipped => "/me",
                FeatureFlagsAuthSkipped => "/feature-flags",
                _ => "/test-auth",
            };
            get(app, route, None).await.status == StatusCode::OK
        }
        LogoutAuthSkipped => {
            app.create_user(EMAIL).await;
            post(app, "/logout", None, json!({})).await.status == StatusCode::OK
        }
        ChangePasswordAuthSkipped => {
            app.create_user(EMAIL).await;
            let body = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD});
            post(app, "/change-password", None, body).await.status == StatusCode::OK
        }
        ResendVerificationAuthSkipped => {
            unverified_user(app, EMAIL).await;
            post(app, "/resend-verification", None, json!({}))
                .await
                .status
                == StatusCode::OK
        }
        ApiKeyCheckSkipped => {
            Req::get(&path("/test-api-key"))
                .header("x-api-key", "sf_made-up")
                .send(app)
                .await
                .status
                == StatusCode::OK
        }
        JwtSignatureNotChecked | JwtAlgNoneAccepted => {
            let token = access(&app.signed_in(EMAIL).await);
            let forged = match fault {
                JwtSignatureNotChecked => forge(
                    &token,
                    json!({"alg": "HS256", "typ": "JWT"}),
                    Some("c2lnbmF0dXJl"),
                ),
                _ => forge(&token, json!({"alg": "none", "typ": "JWT"}), Some("")),
            };
            get(app, "/me", Some(&forged)).await.status == StatusCode::OK
        }
        JwtExpiryNotChecked => {
            let token = access(&app.signed_in(EMAIL).await);
            app.state.clock().advance(16 * 60);
            get(app, "/me", Some(&token)).await.status == StatusCode::OK
        }
        LoginRevealsUnknownEmail => {
            app.create_user(EMAIL).await;
            let wrong = app.login(EMAIL, "Wrong-Password-99").await;
            let unknown = app.login("nobody@example.com", PASSWORD).await;
            wrong.body != unknown.body
        }
        DeactivationIgnored => {
            let token = access(&app.signed_in(EMAIL).await);
            let deactivate = Req::post("/api/v1/test/deactivate-user")
                .json(json!({"email": EMAIL}))
                .send(app)
                .await;
            assert_eq!(deactivate.status, StatusCode::OK);
            get(app, "/me", Some(&token)).await.status == StatusCode::OK
        }
        LoginTimingRevealsAccount => {
            // A hash at production cost takes tens of milliseconds; a refusal without one, well
            // under one. Medians of five, so that one slow moment of the machine cannot decide.
            app.create_user(EMAIL).await;
            let mut known = Vec::new();
            let mut unknown = Vec::new();
            for _ in 0..5 {
                let started = std::time::Instant::now();
                app.login(EMAIL, "Wrong-Password-99").await;
                known.push(started.elapsed());
                let started = std::time::Instant::now();
                app.login("nobody@example.com", PASSWORD).await;
                unknown.push(started.elapsed());
            }
            check_same_timing(("known", &known), ("unknown", &unknown)).is_err()
        }
        ForgotPasswordRevealsUnknownEmail | PasswordResetAliasDiffers => {
            app.create_user(EMAIL).await;
            let (first, second) = match fault {
                PasswordResetAliasDiffers => ("/forgot-password", "/password-reset"),
                _ => ("/forgot-password", "/forgot-password"),
            };
            let other = match fault {
                PasswordResetAliasDiffers => EMAIL,
                _ => "nobody@example.com",
            };
            let known = post(app, first, None, json!({"email": EMAIL})).await;
            let unknown = post(app, second, None, json!({"email": other})).await;
            known.body != unknown.body
        }
        MalformedJson500 => {
            let response = Req::post(&path("/login"))
                .raw("application/json", "{\"email\": ")
                .send(app)
                .await;
            response.status == StatusCode::INTERNAL_SERVER_ERROR
        }
        NotFoundNotJson => {
            let response = get(app, "/no-such-endpoint", None).await;
            response.status == StatusCode::NOT_FOUND
                && !response
                    .header("content-type")
                    .unwrap_or_default()
                    .starts_with("application/json")
        }
        ForgotPasswordSendsNoEmail => {
            app.create_user(EMAIL).await;
            post(app, "/forgot-password", None, json!({"email": EMAIL})).await;
            app.mails_to(EMAIL).await.is_empty()
        }
        HealthNotJson => {
            let response = get(app, "/health", None).await;
            response.status == StatusCode::OK && response.body.is_null()
        }
        ResetPasswordNotDeprecated => post(app, "/reset-password", None, json!({}))
            .await
            .header("deprecation")
            .is_none(),
        RegisterAcceptsWeakPassword => {
            let body = json!({"email": EMAIL, "password": "short", "name": "Ann"});
            post(app, "/register", None, body).await.status == StatusCode::CREATED
        }
        ResetAcceptsWeakPassword => {
            let token = reset_token(app).await;
            confirm(app, &token, "short").await == StatusCode::OK
        }
        ChangePasswordNotChanging => {
            let session = app.signed_in(EMAIL).await;
            let body = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD});
            let changed = post(app, "/change-password", Some(&access(&session)), body).await;
            changed.status == StatusCode::OK
                && login_status(app, NEW_PASSWORD).await != StatusCode::OK
        }
        VerifyEmailNotMarkingVerified => {
            let token = verification_token(app).await;
            let verified = get(app, &format!("/verify-email?token={token}"), None).await;
            let session = app.login(EMAIL, PASSWORD).await.body;
            verified.status == StatusCode::OK && session["user"]["emailVerified"] == json!(false)
        }
        ResendVerificationEmailSendsNoEmail => {
            unverified_user(app, EMAIL).await;
            let before = app.mails_to(EMAIL).await.len();
            let answer = resend(app, EMAIL).await;
            answer.status == StatusCode::OK && app.mails_to(EMAIL).await.len() == before
        }
        ResendVerificationSendsNoEmail => {
            unverified_user(app, EMAIL).await;
            let session = app.login(EMAIL, PASSWORD).await.body;
            let before = app.mails_to(EMAIL).await.len();
            let answer = post(
                app,
                "/resend-verification",
                Some(&access(&session)),
                json!({}),
            )
            .await;
            answer.status == StatusCode::OK && app.mails_to(EMAIL).await.len() == before
        }
        ResendRevealsUnknownEmail => {
            unverified_user(app, EMAIL).await;
            resend(app, EMAIL).await.body != resend(app, "nobody@example.com").await.body
        }
        ForgotPasswordUnknown404 => {
            let body = json!({"email": "nobody@example.com"});
            post(app, "/forgot-password", None, body).await.status == StatusCode::NOT_FOUND
        }
        ApiKeyErrorsDiffer => {
            let missing = get(app, "/test-api-key", None).await;
            let wrong = Req::get(&path("/test-api-key"))
                .header("x-api-key", "sf_made-up")
                .send(app)
                .await;
            missing.body != wrong.body
        }
        ContentTypeNotChecked => {
            app.create_user(EMAIL).await;
            let body = json!({"email": EMAIL, "password": PASSWORD}).to_string();
            let response = Req::post(&path("/login"))
                .raw("text/plain", body)
                .send(app)
                .await;
            response.status == StatusCode::OK
        }
        WrongMethodAnswers404 => get(app, "/login", None).await.status == StatusCode::NOT_FOUND,
        TokensCacheable => {
            app.create_user(EMAIL).await;
            app.login(EMAIL, PASSWORD)
                .await
                .header("cache-control")
                .is_none()
        }
        ErrorsNotJson => {
            let response = app.login("nobody@example.com", PASSWORD).await;
            response.header("content-type") == Some("text/plain; charset=utf-8")
        }
        UserEchoesPassword => {
            app.create_user(EMAIL).await;
            app.login(EMAIL, PASSWORD).await.body["user"]["password"] == json!(PASSWORD)
        }
        NoBearerChallenge => get(app, "/me", None)
            .await
            .header("www-authenticate")
            .is_none(),
        UnicodePasswordRejected => {
            let password = "пароль-密码-كلمة-パスワード".repeat(3);
            let body = json!({"email": EMAIL, "password": password, "name": "Ann"});
            post(app, "/register", None, body).await.status == StatusCode::BAD_REQUEST
        }
        BearerAcceptsRefreshToken => {
            let session = app.signed_in(EMAIL).await;
            get(app, "/me", Some(&refresh_token(&session))).await.status == StatusCode::OK
        }
        BearerAcceptsApiKey
        | TestApiKeyAcceptsJwt
        | ApiKeyPrefixOptional
        | ApiKeyInQueryAccepted => {
            let session = app.signed_in(EMAIL).await;
            let created = Req::post("/api/v1/account/api-keys")
                .bearer(&access(&session))
                .send(app)
                .await;
            let key = created.body["api_key"]["key"].as_str().unwrap().to_owned();
            let response = match fault {
                BearerAcceptsApiKey => get(app, "/me", Some(&key)).await,
                TestApiKeyAcceptsJwt => get(app, "/test-api-key", Some(&access(&session))).await,
                ApiKeyPrefixOptional => {
                    Req::get(&path("/test-api-key"))
                        .header("x-api-key", key.trim_start_matches("sf_"))
                        .send(app)
                        .await
                }
                _ => get(app, &format!("/test-api-key?api_key={key}"), None).await,
            };
            response.status == StatusCode::OK
        }
        RefreshCookieCrossSiteAllowed => {
            let session = app.signed_in(EMAIL).await;
            let cookie = format!("refresh_token={}", refresh_token(&session));
            Req::post(&path("/refresh"))
                .header("cookie", &cookie)
                .header("origin", "https://attacker.example")
                .send(app)
                .await
                .status
                == StatusCode::OK
        }
        RefreshReplayNotDetected => {
            let session = app.signed_in(EMAIL).await;
            let old = refresh_token(&session);
            let rotated = post(app, "/refresh", None, json!({"refresh_token": old})).await;
            refresh(app, &old).await;
            refresh(app, &refresh_token(&rotated.body)).await == StatusCode::OK
        }
        RateLimitSparesUnknown => resend_times(app, "nobody@example.com", 4)
            .await
            .iter()
            .all(|s| *s == StatusCode::OK),
        ResetTokenErrorsDiffer => {
            let token = reset_token(app).await;
            confirm(app, &token, NEW_PASSWORD).await;
            let body = |token: &str| json!({"token": token, "password": "Another-Secret-88"});
            let used = post(app, "/password-reset/confirm", None, body(&token)).await;
            let unknown = post(app, "/password-reset/confirm", None, body("made-up")).await;
            used.body != unknown.body
        }
        RegisterNotDeprecated => {
            let body = json!({"email": EMAIL, "password": PASSWORD, "name": "Ann"});
            post(app, "/register", None, body)
                .await
                .header("deprecation")
                .is_none()
        }
    }
}

#[tokio::test]
async fn every_fault_shows_its_defect_and_the_correct_server_does_not() {
    let mut failures = Vec::new();
    for &fault in Fault::ALL {
        if !shows_defect(fault, &app(Some(fault))).await {
            failures.push(format!(
                "{fault}: the defect does not show with the fault on"
            ));
        }
        if shows_defect(fault, &app(None)).await {
            failures.push(format!(
                "{fault}: the probe sees the defect on the correct server"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_fault_leaves_the_rest_of_the_server_correct() {
    // A wire fault on cookies leaves the login body intact, and a behaviour fault on logout
    // leaves login and refresh working.
    let cookies = app(Some(Fault::CookiesNotSecure));
    let session = cookies.signed_in(EMAIL).await;
    assert_eq!(session["token_type"], "bearer");
    assert_eq!(session["user"]["email"], EMAIL);
    let logout = app(Some(Fault::LogoutNotRevoking));
    let session = logout.signed_in(EMAIL).await;
    assert_eq!(
        refresh(&logout, &refresh_token(&session)).await,
        StatusCode::OK
    );
}
