//! Cross-cutting rules: error shapes, 404/405/413/415, security headers, OpenAPI.

use axum::http::StatusCode;
use serde_json::json;

use super::support::{Req, TestApp, assert_error};
use crate::reference::ReferenceConfig;

#[tokio::test]
async fn unknown_route_is_a_json_404() {
    let app = TestApp::new();
    let response = Req::get("/api/v1/auth/nope").send(&app).await;
    assert_error(&response, StatusCode::NOT_FOUND);
    assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
}

#[tokio::test]
async fn wrong_method_is_a_json_405_with_allow() {
    let app = TestApp::new();
    let response = Req::get("/api/v1/auth/login").send(&app).await;
    assert_error(&response, StatusCode::METHOD_NOT_ALLOWED);
    assert!(response.header("allow").unwrap().contains("POST"));
}

#[tokio::test]
async fn non_json_content_type_is_415() {
    let app = TestApp::new();
    let response = Req::post("/api/v1/auth/login")
        .raw("text/plain", r#"{"email":"a@b.co","password":"x"}"#)
        .send(&app)
        .await;
    assert_error(&response, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn body_over_one_mebibyte_is_413() {
    let app = TestApp::new();
    let big = format!(
        r#"{{"email":"a@b.co","password":"{}"}}"#,
        "x".repeat(1024 * 1024)
    );
    let response = Req::post("/api/v1/auth/login")
        .raw("application/json", big)
        .send(&app)
        .await;
    assert_error(&response, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn malformed_json_is_400_and_wrong_types_are_422() {
    let app = TestApp::new();
    let malformed = Req::post("/api/v1/auth/login")
        .raw("application/json", "{\"email\": ")
        .send(&app)
        .await;
    assert_error(&malformed, StatusCode::BAD_REQUEST);
    let mistyped = Req::post("/api/v1/auth/login")
        .json(json!({"email": 5, "password": true}))
        .send(&app)
        .await;
    assert_eq!(mistyped.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(mistyped.body["detail"].as_array().unwrap().len(), 2);
    assert_eq!(mistyped.body["detail"][0]["type"], "string_type");
}

#[tokio::test]
async fn every_response_carries_nosniff_and_no_store() {
    let app = TestApp::new();
    let response = Req::get("/api/v1/auth/health").send(&app).await;
    assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(response.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn openapi_document_is_served() {
    let app = TestApp::new();
    let response = Req::get("/api/v1/openapi.json").send(&app).await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(
        response.body["openapi"]
            .as_str()
            .unwrap()
            .starts_with("3.1")
    );
}

#[tokio::test]
async fn test_api_is_404_when_off() {
    let app = TestApp::with_config(ReferenceConfig {
        test_api: false,
        ..ReferenceConfig::embedded()
    });
    for path in ["/api/v1/test/clock", "/_mailpit/api/v1/messages"] {
        assert_error(&Req::get(path).send(&app).await, StatusCode::NOT_FOUND);
    }
    let create = Req::post("/api/v1/test/create-user")
        .json(json!({"email": "a@example.com", "password": "Long-Enough-1"}))
        .send(&app)
        .await;
    assert_error(&create, StatusCode::NOT_FOUND);
}
