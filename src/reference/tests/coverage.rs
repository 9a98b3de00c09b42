//! Every operation of the contract table is served, and the documented statuses not covered
//! by the per-area files.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::support::{PASSWORD, Req, TestApp, assert_error};
use crate::contract::ENDPOINTS;

#[tokio::test]
async fn every_contract_operation_is_routed() {
    let app = TestApp::new();
    for endpoint in ENDPOINTS {
        let path = endpoint.path.replace("{token}", "x").replace("{ID}", "x");
        let method = Method::from_bytes(endpoint.method.as_bytes()).unwrap();
        let response = Req::new(method, &path).send(&app).await;
        let unrouted = response.status == StatusCode::NOT_FOUND
            && response.body["error_code"] == "not_found"
            && response.body["detail"] == "Not found";
        assert!(
            !unrouted,
            "{} {} is not routed",
            endpoint.method, endpoint.path
        );
        assert_ne!(
            response.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{}",
            endpoint.path
        );
        assert!(
            response.status.as_u16() < 500,
            "{} {}",
            endpoint.method,
            endpoint.path
        );
    }
}

#[tokio::test]
async fn password_reset_alias_refuses_a_malformed_email() {
    let app = TestApp::new();
    let response = Req::post("/api/v1/auth/password-reset")
        .json(json!({"email": "no at sign"}))
        .send(&app)
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn resend_verification_email_refuses_a_malformed_email() {
    let app = TestApp::new();
    let response = Req::post("/api/v1/auth/resend-verification-email")
        .json(json!({"email": "nope"}))
        .send(&app)
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn api_key_with_an_empty_permission_is_400() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let response = Req::post("/api/v1/account/api-keys")
        .bearer(session["access_token"].as_str().unwrap())
        .json(json!({"permissions": [""]}))
        .send(&app)
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn signup_refuses_a_weak_password_and_a_taken_email() {
    let app = TestApp::new();
    let weak = Req::post("/api/v1/public/signup")
        .json(json!({"email": "sue@example.com", "password": "1234567"}))
        .send(&app)
        .await;
    assert_error(&weak, StatusCode::BAD_REQUEST);
    app.create_user("taken@example.com").await;
    let taken = Req::post("/api/v1/public/signup")
        .json(json!({"email": "taken@example.com", "password": PASSWORD}))
        .send(&app)
        .await;
    assert_error(&taken, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn cookie_refresh_from_a_foreign_origin_is_403() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let cookie = format!(
        "refresh_token={}",
        session["refresh_token"].as_str().unwrap()
    );
    let foreign = Req::post("/api/v1/auth/refresh")
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .send(&app)
        .await;
    assert_error(&foreign, StatusCode::FORBIDDEN);
    let frontend = Req::post("/api/v1/auth/refresh")
        .header("cookie", &cookie)
        .header("origin", "http://localhost:3000")
        .send(&app)
        .await;
    assert_eq!(frontend.status, StatusCode::OK);
}
