//! API key creation and the API-key-only test endpoint.

use axum::http::StatusCode;
use serde_json::json;

use super::support::{Req, TestApp, assert_error};

async fn create_key(app: &TestApp) -> (serde_json::Value, String) {
    let session = app.signed_in("ann@example.com").await;
    let response = Req::post("/api/v1/account/api-keys")
        .bearer(session["access_token"].as_str().unwrap())
        .json(json!({"name": "ci", "permissions": ["read", "write"]}))
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let key = response.body["api_key"]["key"].as_str().unwrap().to_owned();
    (response.body, key)
}

#[tokio::test]
async fn creating_a_key_returns_its_secret_once() {
    let app = TestApp::new();
    let (body, key) = create_key(&app).await;
    assert_eq!(body["message"], "API key created");
    let api_key = &body["api_key"];
    assert!(key.starts_with("sf_"));
    assert!(key.starts_with(api_key["key_prefix"].as_str().unwrap()));
    assert_eq!(api_key["name"], "ci");
    assert_eq!(api_key["permissions"], json!(["read", "write"]));
    assert_eq!(api_key["is_active"], true);
    assert_eq!(api_key["usage_count"], 0);
    assert!(api_key["rate_limit_per_hour"].is_i64());
    assert!(api_key["created_at"].is_string());
}

#[tokio::test]
async fn a_key_can_create_another_key_and_defaults_apply() {
    let app = TestApp::new();
    let (_, key) = create_key(&app).await;
    let response = Req::post("/api/v1/account/api-keys")
        .header("x-api-key", &key)
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    assert_eq!(response.body["api_key"]["name"], "Default");
}

#[tokio::test]
async fn overlong_name_is_400_and_missing_auth_is_401() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let long = Req::post("/api/v1/account/api-keys")
        .bearer(session["access_token"].as_str().unwrap())
        .json(json!({"name": "x".repeat(101)}))
        .send(&app)
        .await;
    assert!(
        long.status == StatusCode::BAD_REQUEST || long.status == StatusCode::UNPROCESSABLE_ENTITY
    );
    let anonymous = Req::post("/api/v1/account/api-keys")
        .json(json!({}))
        .send(&app)
        .await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn test_api_key_accepts_the_key_and_counts_its_use() {
    let app = TestApp::new();
    let (_, key) = create_key(&app).await;
    let response = Req::get("/api/v1/auth/test-api-key")
        .header("x-api-key", &key)
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(!response.text.contains(&key));
}

#[tokio::test]
async fn missing_wrong_and_foreign_keys_get_one_identical_401() {
    let app = TestApp::new();
    let (_, key) = create_key(&app).await;
    let session = app
        .login("ann@example.com", super::support::PASSWORD)
        .await
        .body;
    let responses = [
        Req::get("/api/v1/auth/test-api-key").send(&app).await,
        Req::get("/api/v1/auth/test-api-key")
            .header("x-api-key", "sf_wrong")
            .send(&app)
            .await,
        Req::get("/api/v1/auth/test-api-key")
            .header("x-api-key", key.trim_start_matches("sf_"))
            .send(&app)
            .await,
        Req::get("/api/v1/auth/test-api-key")
            .bearer(session["access_token"].as_str().unwrap())
            .send(&app)
            .await,
        Req::get(&format!("/api/v1/auth/test-api-key?api_key={key}"))
            .send(&app)
            .await,
    ];
    for response in &responses {
        assert_error(response, StatusCode::UNAUTHORIZED);
        assert_eq!(response.body, responses[0].body);
    }
}
