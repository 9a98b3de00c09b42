//! The E2E endpoints, the clock and the Mailpit-compatible mailbox.

use axum::http::StatusCode;
use serde_json::json;

use super::support::{PASSWORD, Req, TestApp, assert_error};

#[tokio::test]
async fn create_user_returns_a_test_user_response_with_defaults() {
    let app = TestApp::new();
    let response = Req::post("/api/v1/test/create-user")
        .json(json!({"email": "e2e@example.com", "password": PASSWORD}))
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body["message"].is_string());
    let user = &response.body["user"];
    assert_eq!(user["name"], "Test User");
    assert_eq!(user["emailVerified"], true);
    assert_eq!(user["is_staff"], false);
    assert_eq!(user["roles"], json!(["user"]));
}

#[tokio::test]
async fn create_user_refuses_duplicates_and_weak_passwords() {
    let app = TestApp::new();
    app.create_user("e2e@example.com").await;
    let duplicate = Req::post("/api/v1/test/create-user")
        .json(json!({"email": "e2e@example.com", "password": PASSWORD}))
        .send(&app)
        .await;
    assert_error(&duplicate, StatusCode::BAD_REQUEST);
    let weak = Req::post("/api/v1/test/create-user")
        .json(json!({"email": "weak@example.com", "password": "short"}))
        .send(&app)
        .await;
    assert_error(&weak, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn staff_users_have_the_admin_role() {
    let app = TestApp::new();
    let response = Req::post("/api/v1/test/create-user")
        .json(json!({"email": "boss@example.com", "password": PASSWORD, "is_staff": true, "first_name": "Big", "last_name": "Boss"}))
        .send(&app)
        .await;
    assert_eq!(response.body["user"]["role"], "admin");
    assert_eq!(response.body["user"]["name"], "Big Boss");
}

#[tokio::test]
async fn both_cleanups_remove_e2e_users() {
    let app = TestApp::new();
    app.create_user("one@example.com").await;
    let post = Req::post("/api/v1/test/cleanup-e2e-data").send(&app).await;
    assert_eq!(post.status, StatusCode::OK);
    assert!(post.body["message"].is_string());
    assert_error(
        &app.login("one@example.com", PASSWORD).await,
        StatusCode::BAD_REQUEST,
    );
    app.create_user("two@example.com").await;
    let delete = Req::new(axum::http::Method::DELETE, "/api/v1/test/cleanup")
        .send(&app)
        .await;
    assert_eq!(delete.status, StatusCode::OK);
    assert_error(
        &app.login("two@example.com", PASSWORD).await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn clock_reads_and_advances() {
    let app = TestApp::new();
    let before = Req::get("/api/v1/test/clock").send(&app).await;
    assert_eq!(before.body["offset_seconds"], 0);
    assert!(chrono::DateTime::parse_from_rfc3339(before.body["now"].as_str().unwrap()).is_ok());
    let after = Req::post("/api/v1/test/clock/advance")
        .json(json!({"seconds": 120}))
        .send(&app)
        .await;
    assert_eq!(after.status, StatusCode::OK);
    assert_eq!(after.body["offset_seconds"], 120);
    let backwards = Req::post("/api/v1/test/clock/advance")
        .json(json!({"seconds": -1}))
        .send(&app)
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(backwards.body["detail"][0]["type"], "greater_than_equal");
}

#[tokio::test]
async fn mailbox_lists_searches_opens_and_deletes_like_mailpit() {
    let app = TestApp::new();
    for email in ["a@example.com", "b@example.com"] {
        Req::post("/api/v1/auth/register")
            .json(json!({"email": email, "password": PASSWORD, "name": "N"}))
            .send(&app)
            .await;
    }
    let list = Req::get("/_mailpit/api/v1/messages").send(&app).await;
    assert_eq!(list.status, StatusCode::OK);
    for key in [
        "total",
        "unread",
        "count",
        "messages_count",
        "start",
        "tags",
    ] {
        assert!(list.body.get(key).is_some(), "{key}");
    }
    assert_eq!(list.body["total"], 2);
    let newest = &list.body["messages"][0];
    assert_eq!(newest["To"][0]["Address"], "b@example.com");
    for key in [
        "ID",
        "MessageID",
        "Read",
        "From",
        "Cc",
        "Bcc",
        "ReplyTo",
        "Subject",
        "Created",
        "Tags",
        "Size",
        "Attachments",
        "Snippet",
    ] {
        assert!(newest.get(key).is_some(), "{key}");
    }
    let search = Req::get("/_mailpit/api/v1/search?query=to%3A%22A%40Example.com%22")
        .send(&app)
        .await;
    assert_eq!(search.body["messages_count"], 1);
    let id = search.body["messages"][0]["ID"].as_str().unwrap();
    let message = Req::get(&format!("/_mailpit/api/v1/message/{id}"))
        .send(&app)
        .await;
    for key in [
        "ID",
        "MessageID",
        "From",
        "To",
        "Cc",
        "Bcc",
        "ReplyTo",
        "ReturnPath",
        "Subject",
        "Date",
        "Tags",
        "Text",
        "HTML",
        "Size",
        "Inline",
        "Attachments",
    ] {
        assert!(message.body.get(key).is_some(), "{key}");
    }
    assert!(
        message.body["Text"]
            .as_str()
            .unwrap()
            .contains("verify-email?token=")
    );
    let unread = Req::get("/_mailpit/api/v1/messages").send(&app).await;
    assert_eq!(unread.body["unread"], 1);
    let delete = Req::new(axum::http::Method::DELETE, "/_mailpit/api/v1/messages")
        .send(&app)
        .await;
    assert_eq!(delete.status, StatusCode::OK);
    let empty = Req::get("/_mailpit/api/v1/messages").send(&app).await;
    assert_eq!(empty.body["total"], 0);
    let missing = Req::get("/_mailpit/api/v1/message/nope").send(&app).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let no_query = Req::get("/_mailpit/api/v1/search").send(&app).await;
    assert_eq!(no_query.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_query.body["detail"][0]["loc"], json!(["query", "query"]));
}
