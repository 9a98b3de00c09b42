//! Email verification and the resend endpoints (including the 3-per-hour rule).

use axum::http::StatusCode;
use serde_json::json;

use super::support::{PASSWORD, Req, TestApp, assert_error};

async fn unverified_session(app: &TestApp, email: &str) -> serde_json::Value {
    let created = Req::post("/api/v1/test/create-user")
        .json(json!({"email": email, "password": PASSWORD, "email_verified": false}))
        .send(app)
        .await;
    assert_eq!(created.status, StatusCode::OK);
    app.login(email, PASSWORD).await.body
}

#[tokio::test]
async fn verifying_by_query_marks_the_user_verified_and_the_token_single_use() {
    let app = TestApp::new();
    let session = unverified_session(&app, "ann@example.com").await;
    let token = app.latest_token("ann@example.com").await;
    let path = format!("/api/v1/auth/verify-email?token={token}");
    let first = Req::get(&path).send(&app).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let me = Req::get("/api/v1/auth/me")
        .bearer(session["access_token"].as_str().unwrap())
        .send(&app)
        .await;
    assert_eq!(me.body["emailVerified"], true);
    let again = Req::get(&path).send(&app).await;
    let garbled = Req::get("/api/v1/auth/verify-email?token=garbled")
        .send(&app)
        .await;
    assert_error(&again, StatusCode::BAD_REQUEST);
    assert_eq!(again.body, garbled.body);
}

#[tokio::test]
async fn verifying_by_path_behaves_like_the_query_form() {
    let app = TestApp::new();
    unverified_session(&app, "ann@example.com").await;
    let token = app.latest_token("ann@example.com").await;
    let first = Req::get(&format!("/api/v1/auth/verify-email/{token}"))
        .send(&app)
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let again = Req::get(&format!("/api/v1/auth/verify-email/{token}"))
        .send(&app)
        .await;
    let by_query = Req::get(&format!("/api/v1/auth/verify-email?token={token}"))
        .send(&app)
        .await;
    assert_error(&again, StatusCode::BAD_REQUEST);
    assert_eq!(again.body, by_query.body);
}

#[tokio::test]
async fn expired_verification_token_is_refused() {
    let app = TestApp::new();
    unverified_session(&app, "ann@example.com").await;
    let token = app.latest_token("ann@example.com").await;
    app.state.clock().advance(24 * 3600 + 1);
    let response = Req::get(&format!("/api/v1/auth/verify-email/{token}"))
        .send(&app)
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn verify_email_without_token_is_a_422() {
    let app = TestApp::new();
    let response = Req::get("/api/v1/auth/verify-email").send(&app).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.body["detail"][0]["loc"], json!(["query", "token"]));
}

#[tokio::test]
async fn resend_verification_needs_a_jwt_and_sends_only_when_unverified() {
    let app = TestApp::new();
    let anonymous = Req::post("/api/v1/auth/resend-verification")
        .send(&app)
        .await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED);
    let session = unverified_session(&app, "ann@example.com").await;
    let token = session["access_token"].as_str().unwrap();
    let response = Req::post("/api/v1/auth/resend-verification")
        .bearer(token)
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(app.mails_to("ann@example.com").await.len(), 2);
    let verified = app.signed_in("bob@example.com").await;
    let response = Req::post("/api/v1/auth/resend-verification")
        .bearer(verified["access_token"].as_str().unwrap())
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(app.mails_to("bob@example.com").await.is_empty());
}

async fn resend(app: &TestApp, email: &str) -> super::support::TestResponse {
    Req::post("/api/v1/auth/resend-verification-email")
        .json(json!({"email": email}))
        .send(app)
        .await
}

#[tokio::test]
async fn resend_verification_email_answers_the_same_for_every_email() {
    let app = TestApp::new();
    unverified_session(&app, "ann@example.com").await;
    app.create_user("bob@example.com").await;
    let unverified = resend(&app, "ann@example.com").await;
    let verified = resend(&app, "bob@example.com").await;
    let unknown = resend(&app, "nobody@example.com").await;
    assert_eq!(unverified.status, StatusCode::OK);
    assert_eq!(unverified.body, verified.body);
    assert_eq!(unverified.body, unknown.body);
    assert_eq!(app.mails_to("ann@example.com").await.len(), 2);
    assert!(app.mails_to("bob@example.com").await.is_empty());
}

#[tokio::test]
async fn fourth_resend_in_an_hour_is_429_with_retry_after_even_for_unknown_emails() {
    let app = TestApp::new();
    for email in [
        "ghost@example.com",
        "GHOST@example.com",
        " ghost@Example.com ",
    ] {
        assert_eq!(resend(&app, email).await.status, StatusCode::OK);
    }
    let limited = resend(&app, "Ghost@example.com").await;
    assert_error(&limited, StatusCode::TOO_MANY_REQUESTS);
    let retry_after: i64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry_after));
    assert_eq!(
        resend(&app, "other@example.com").await.status,
        StatusCode::OK
    );
    // Past the hour by a second (see `refresh_token_expires_after_seven_days`).
    app.state.clock().advance(3601);
    assert_eq!(
        resend(&app, "ghost@example.com").await.status,
        StatusCode::OK
    );
}
