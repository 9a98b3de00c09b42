//! Forgot-password (and alias), reset confirm, the 410 of reset-password, change-password.

use axum::http::StatusCode;
use serde_json::json;

use super::support::{PASSWORD, Req, TestApp, assert_error};

const NEW_PASSWORD: &str = "Brand-New-Secret-7";

async fn request_reset(app: &TestApp, path: &str, email: &str) -> super::support::TestResponse {
    Req::post(path)
        .json(json!({"email": email}))
        .send(app)
        .await
}

#[tokio::test]
async fn forgot_password_answers_the_same_for_known_and_unknown_emails() {
    let app = TestApp::new();
    app.create_user("ann@example.com").await;
    for path in [
        "/api/v1/auth/forgot-password",
        "/api/v1/auth/password-reset",
    ] {
        let known = request_reset(&app, path, "ann@example.com").await;
        let unknown = request_reset(&app, path, "nobody@example.com").await;
        assert_eq!(known.status, StatusCode::OK);
        assert_eq!(known.status, unknown.status);
        assert_eq!(known.body, unknown.body);
    }
    assert_eq!(app.mails_to("ann@example.com").await.len(), 2);
    assert!(app.mails_to("nobody@example.com").await.is_empty());
}

#[tokio::test]
async fn forgot_password_with_a_malformed_email_is_400() {
    let app = TestApp::new();
    let response = request_reset(&app, "/api/v1/auth/forgot-password", "not-an-email").await;
    assert_error(&response, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn reset_mail_carries_a_frontend_link_and_never_the_host_header() {
    let app = TestApp::new();
    app.create_user("ann@example.com").await;
    Req::post("/api/v1/auth/forgot-password")
        .header("host", "evil.example")
        .header("x-forwarded-host", "evil.example")
        .json(json!({"email": "ann@example.com"}))
        .send(&app)
        .await;
    let mail = &app.mails_to("ann@example.com").await[0];
    assert_eq!(mail["Subject"], "Reset your SpatialFlow password");
    let text = mail["Text"].as_str().unwrap();
    assert!(text.contains("http://localhost:3000/reset-password?token="));
    assert!(!text.contains("evil") && !mail["HTML"].as_str().unwrap().contains("evil"));
}

#[tokio::test]
async fn confirm_sets_the_new_password_once_and_revokes_sessions() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    request_reset(&app, "/api/v1/auth/forgot-password", "ann@example.com").await;
    let token = app.latest_token("ann@example.com").await;
    let confirm = Req::post("/api/v1/auth/password-reset/confirm")
        .json(json!({"token": token, "password": NEW_PASSWORD}))
        .send(&app)
        .await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.text);
    assert_eq!(
        app.login("ann@example.com", NEW_PASSWORD).await.status,
        StatusCode::OK
    );
    assert_error(
        &app.login("ann@example.com", PASSWORD).await,
        StatusCode::BAD_REQUEST,
    );
    let refresh = Req::post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": session["refresh_token"]}))
        .send(&app)
        .await;
    assert_error(&refresh, StatusCode::UNAUTHORIZED);
    let reuse = Req::post("/api/v1/auth/password-reset/confirm")
        .json(json!({"token": token, "password": "Another-Secret-9"}))
        .send(&app)
        .await;
    let unknown = Req::post("/api/v1/auth/password-reset/confirm")
        .json(json!({"token": "garbage", "password": "Another-Secret-9"}))
        .send(&app)
        .await;
    assert_error(&reuse, StatusCode::BAD_REQUEST);
    assert_eq!(reuse.body, unknown.body);
}

#[tokio::test]
async fn expired_reset_token_gets_the_same_400_as_an_unknown_one() {
    let app = TestApp::new();
    app.create_user("ann@example.com").await;
    request_reset(&app, "/api/v1/auth/forgot-password", "ann@example.com").await;
    let token = app.latest_token("ann@example.com").await;
    app.state.clock().advance(3601);
    let expired = Req::post("/api/v1/auth/password-reset/confirm")
        .json(json!({"token": token, "password": NEW_PASSWORD}))
        .send(&app)
        .await;
    let unknown = Req::post("/api/v1/auth/password-reset/confirm")
        .json(json!({"token": "unknown", "password": NEW_PASSWORD}))
        .send(&app)
        .await;
    assert_error(&expired, StatusCode::BAD_REQUEST);
    assert_eq!(expired.body, unknown.body);
}

#[tokio::test]
async fn reset_password_is_gone_for_any_request() {
    let app = TestApp::new();
    let requests = [
        Req::post("/api/v1/auth/reset-password")
            .json(json!({"uid": "x", "token": "y", "new_password": NEW_PASSWORD})),
        Req::post("/api/v1/auth/reset-password"),
        Req::post("/api/v1/auth/reset-password").raw("application/json", "{not json"),
        Req::post("/api/v1/auth/reset-password").raw("text/plain", "hello"),
    ];
    for request in requests {
        let response = request.send(&app).await;
        assert_error(&response, StatusCode::GONE);
        assert_eq!(response.header("deprecation"), Some("@1735689600"));
        assert!(
            response
                .header("link")
                .unwrap()
                .contains("rel=\"deprecation\"")
        );
    }
}

#[tokio::test]
async fn change_password_with_a_wrong_current_password_changes_nothing() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let response = Req::post("/api/v1/auth/change-password")
        .bearer(session["access_token"].as_str().unwrap())
        .json(json!({"current_password": "Wrong-Password-1", "new_password": NEW_PASSWORD}))
        .send(&app)
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.login("ann@example.com", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn change_password_refuses_a_weak_new_password() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let response = Req::post("/api/v1/auth/change-password")
        .bearer(session["access_token"].as_str().unwrap())
        .json(json!({"current_password": PASSWORD, "new_password": "short"}))
        .send(&app)
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn change_password_switches_passwords_and_revokes_refresh_tokens() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let response = Req::post("/api/v1/auth/change-password")
        .bearer(session["access_token"].as_str().unwrap())
        .json(json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}))
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body["message"].is_string());
    assert_error(
        &app.login("ann@example.com", PASSWORD).await,
        StatusCode::BAD_REQUEST,
    );
    assert_eq!(
        app.login("ann@example.com", NEW_PASSWORD).await.status,
        StatusCode::OK
    );
    let refresh = Req::post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": session["refresh_token"]}))
        .send(&app)
        .await;
    assert_error(&refresh, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn change_password_without_a_token_is_401() {
    let app = TestApp::new();
    let response = Req::post("/api/v1/auth/change-password")
        .json(json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}))
        .send(&app)
        .await;
    assert_error(&response, StatusCode::UNAUTHORIZED);
}
