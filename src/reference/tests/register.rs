//! Deprecated register and public signup.

use axum::http::StatusCode;
use serde_json::json;

use super::support::{PASSWORD, Req, TestApp, assert_error};

fn register_body(email: &str, password: &str) -> serde_json::Value {
    json!({"email": email, "password": password, "name": "Ann Lee"})
}

#[tokio::test]
async fn register_creates_an_unverified_user_with_deprecation_headers() {
    let app = TestApp::new();
    let response = Req::post("/api/v1/auth/register")
        .json(register_body("ann@example.com", PASSWORD))
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    assert_eq!(response.body["email"], "ann@example.com");
    assert_eq!(response.body["name"], "Ann Lee");
    assert_eq!(response.body["emailVerified"], false);
    assert_eq!(response.body["selected_plan"], "free");
    assert_eq!(response.body["company"], serde_json::Value::Null);
    assert!(response.body.get("password").is_none());
    assert_eq!(response.header("deprecation"), Some("@1735689600"));
    assert!(
        response
            .header("link")
            .unwrap()
            .contains("/api/v1/public/signup")
    );
    let mails = app.mails_to("ann@example.com").await;
    assert_eq!(mails[0]["Subject"], "Verify your SpatialFlow email address");
}

#[tokio::test]
async fn register_refuses_short_passwords_and_accepts_64_unicode_characters() {
    let app = TestApp::new();
    let short = Req::post("/api/v1/auth/register")
        .json(register_body("ann@example.com", "1234567"))
        .send(&app)
        .await;
    assert_error(&short, StatusCode::BAD_REQUEST);
    let unicode: String = std::iter::repeat_n('ж', 64).collect();
    let long = Req::post("/api/v1/auth/register")
        .json(register_body("bob@example.com", &unicode))
        .send(&app)
        .await;
    assert_eq!(long.status, StatusCode::CREATED);
    assert_eq!(
        app.login("bob@example.com", &unicode).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn one_account_per_email_whatever_the_case() {
    let app = TestApp::new();
    let first = Req::post("/api/v1/auth/register")
        .json(register_body("ann@example.com", PASSWORD))
        .send(&app)
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let second = Req::post("/api/v1/auth/register")
        .json(register_body("ANN@example.com", PASSWORD))
        .send(&app)
        .await;
    assert_error(&second, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_registrations_create_one_account() {
    let app = TestApp::new();
    let attempts = (0..8).map(|_| {
        Req::post("/api/v1/auth/register")
            .json(register_body("race@example.com", PASSWORD))
            .send(&app)
    });
    let responses = futures::future::join_all(attempts).await;
    let created = responses
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1);
}

#[tokio::test]
async fn register_with_an_invalid_email_is_400_and_missing_name_is_422() {
    let app = TestApp::new();
    let invalid = Req::post("/api/v1/auth/register")
        .json(register_body("nope", PASSWORD))
        .send(&app)
        .await;
    assert_error(&invalid, StatusCode::BAD_REQUEST);
    let missing = Req::post("/api/v1/auth/register")
        .json(json!({"email": "a@example.com", "password": PASSWORD}))
        .send(&app)
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.body["detail"][0]["loc"], json!(["body", "name"]));
}

#[tokio::test]
async fn public_signup_creates_the_account_and_sends_verification() {
    let app = TestApp::new();
    let response = Req::post("/api/v1/public/signup")
        .json(json!({"email": "sue@example.com", "password": PASSWORD, "selected_plan": "pro", "company": "Acme"}))
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    assert_eq!(response.body["selected_plan"], "pro");
    assert_eq!(response.body["company"], "Acme");
    assert_eq!(app.mails_to("sue@example.com").await.len(), 1);
}
