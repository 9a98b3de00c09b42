//! Login, refresh, logout, /me and the JWT rules.

use axum::http::StatusCode;
use serde_json::json;

use super::support::{PASSWORD, Req, TestApp, assert_error};

#[tokio::test]
async fn login_returns_a_login_response_with_a_full_user() {
    let app = TestApp::new();
    app.create_user("ann@example.com").await;
    let response = app.login("Ann@Example.com ", PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body["token_type"], "bearer");
    assert_eq!(response.body["expires_in"], 900);
    assert!(response.body["refresh_token"].as_str().unwrap().len() >= 43);
    let user = &response.body["user"];
    assert_eq!(user["email"], "ann@example.com");
    assert_eq!(user["emailVerified"], true);
    assert_eq!(user["languagePreference"], "en");
    assert!(user["createdAt"].is_string() && user["updatedAt"].is_string());
    assert_eq!(user["role"], "user");
    assert_eq!(response.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn login_sets_two_secure_http_only_cookies() {
    let app = TestApp::new();
    app.create_user("ann@example.com").await;
    let cookies = app.login("ann@example.com", PASSWORD).await.set_cookies();
    assert_eq!(cookies.len(), 2);
    for cookie in cookies {
        for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/", "Max-Age="] {
            assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
        }
    }
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_400() {
    let app = TestApp::new();
    app.create_user("ann@example.com").await;
    let wrong = app.login("ann@example.com", "Wrong-Password-1").await;
    let unknown = app.login("nobody@example.com", PASSWORD).await;
    assert_error(&wrong, StatusCode::BAD_REQUEST);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
}

#[tokio::test]
async fn login_without_password_is_a_422_in_list_form() {
    let app = TestApp::new();
    let response = Req::post("/api/v1/auth/login")
        .json(json!({"email": "a@example.com"}))
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        response.body,
        json!({"detail": [{"type": "missing", "loc": ["body", "password"], "msg": "Field required"}]})
    );
}

#[tokio::test]
async fn refresh_rotates_and_the_old_token_stops_working() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let old = session["refresh_token"].as_str().unwrap();
    let first = Req::post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": old}))
        .send(&app)
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let new = first.body["refresh_token"].as_str().unwrap();
    assert_ne!(new, old);
    let me = Req::get("/api/v1/auth/me")
        .bearer(first.body["access_token"].as_str().unwrap())
        .send(&app)
        .await;
    assert_eq!(me.status, StatusCode::OK);
    let replay = Req::post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": old}))
        .send(&app)
        .await;
    assert_error(&replay, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn refresh_reads_the_cookie_when_the_body_is_absent() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let cookie = format!(
        "refresh_token={}",
        session["refresh_token"].as_str().unwrap()
    );
    let response = Req::post("/api/v1/auth/refresh")
        .header("cookie", &cookie)
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let second = app.login("ann@example.com", PASSWORD).await.body;
    let cookie = format!(
        "refresh_token={}",
        second["refresh_token"].as_str().unwrap()
    );
    let with_empty_object = Req::post("/api/v1/auth/refresh")
        .header("cookie", &cookie)
        .json(json!({}))
        .send(&app)
        .await;
    assert_eq!(with_empty_object.status, StatusCode::OK);
}

#[tokio::test]
async fn refresh_without_any_token_is_401() {
    let app = TestApp::new();
    let response = Req::post("/api/v1/auth/refresh").send(&app).await;
    assert_error(&response, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn refresh_token_used_as_bearer_is_401() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let response = Req::get("/api/v1/auth/me")
        .bearer(session["refresh_token"].as_str().unwrap())
        .send(&app)
        .await;
    assert_error(&response, StatusCode::UNAUTHORIZED);
    assert!(
        response
            .header("www-authenticate")
            .unwrap()
            .starts_with("Bearer")
    );
}

#[tokio::test]
async fn access_token_given_to_refresh_is_401() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let response = Req::post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": session["access_token"]}))
        .send(&app)
        .await;
    assert_error(&response, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_clears_cookies_and_revokes_every_session() {
    let app = TestApp::new();
    let first = app.signed_in("ann@example.com").await;
    let second = app.login("ann@example.com", PASSWORD).await.body;
    let access = first["access_token"].as_str().unwrap();
    let response = Req::post("/api/v1/auth/logout")
        .bearer(access)
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body["message"].is_string());
    let cookies = response.set_cookies();
    assert_eq!(cookies.len(), 2);
    assert!(
        cookies
            .iter()
            .all(|c| c.contains("Max-Age=0") && c.contains("Path=/"))
    );
    for session in [&first, &second] {
        let refresh = Req::post("/api/v1/auth/refresh")
            .json(json!({"refresh_token": session["refresh_token"]}))
            .send(&app)
            .await;
        assert_error(&refresh, StatusCode::UNAUTHORIZED);
    }
    let me = Req::get("/api/v1/auth/me").bearer(access).send(&app).await;
    assert_error(&me, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_issued_right_after_logout_works() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    Req::post("/api/v1/auth/logout")
        .bearer(session["access_token"].as_str().unwrap())
        .send(&app)
        .await;
    let again = app.login("ann@example.com", PASSWORD).await.body;
    let me = Req::get("/api/v1/auth/me")
        .bearer(again["access_token"].as_str().unwrap())
        .send(&app)
        .await;
    assert_eq!(me.status, StatusCode::OK);
}

#[tokio::test]
async fn logout_without_a_token_is_401_with_www_authenticate() {
    let app = TestApp::new();
    let response = Req::post("/api/v1/auth/logout").send(&app).await;
    assert_error(&response, StatusCode::UNAUTHORIZED);
    assert_eq!(response.header("www-authenticate"), Some("Bearer"));
}

#[tokio::test]
async fn access_token_expires_when_the_clock_passes_exp() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    app.state.clock().advance(901);
    let response = Req::get("/api/v1/auth/me")
        .bearer(session["access_token"].as_str().unwrap())
        .send(&app)
        .await;
    assert_error(&response, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn refresh_token_expires_after_seven_days() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    // One second past the lifetime, as the other expiry tests: the clock's readings are strictly
    // increasing, so a burst of requests within one millisecond runs it a few ms ahead of real
    // time, and the exact boundary would depend on how fast the login was.
    app.state.clock().advance(7 * 24 * 3600 + 1);
    let response = Req::post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": session["refresh_token"]}))
        .send(&app)
        .await;
    assert_error(&response, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn deactivated_user_tokens_are_refused() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let deactivate = Req::post("/api/v1/test/deactivate-user")
        .json(json!({"email": "ann@example.com"}))
        .send(&app)
        .await;
    assert_eq!(deactivate.status, StatusCode::OK);
    let me = Req::get("/api/v1/auth/me")
        .bearer(session["access_token"].as_str().unwrap())
        .send(&app)
        .await;
    assert_error(&me, StatusCode::UNAUTHORIZED);
    let login = app.login("ann@example.com", PASSWORD).await;
    assert_error(&login, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn me_feature_flags_and_test_auth_answer_200_with_a_jwt() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let token = session["access_token"].as_str().unwrap();
    let me = Req::get("/api/v1/auth/me").bearer(token).send(&app).await;
    assert_eq!(me.body, session["user"]);
    let flags = Req::get("/api/v1/auth/feature-flags")
        .bearer(token)
        .send(&app)
        .await;
    assert_eq!(flags.status, StatusCode::OK);
    assert!(
        flags
            .body
            .as_object()
            .unwrap()
            .values()
            .all(|v| v.is_boolean())
    );
    let test_auth = Req::get("/api/v1/auth/test-auth")
        .bearer(token)
        .send(&app)
        .await;
    assert_eq!(test_auth.body["message"], "JWT authentication successful");
    assert_eq!(test_auth.body["user_id"], session["user"]["id"]);
}

#[tokio::test]
async fn jwt_endpoints_without_a_token_are_401() {
    let app = TestApp::new();
    for path in [
        "/api/v1/auth/me",
        "/api/v1/auth/feature-flags",
        "/api/v1/auth/test-auth",
    ] {
        let response = Req::get(path).send(&app).await;
        assert_error(&response, StatusCode::UNAUTHORIZED);
    }
    let garbage = Req::get("/api/v1/auth/me")
        .bearer("not.a.jwt")
        .send(&app)
        .await;
    assert_error(&garbage, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn health_answers_without_authentication() {
    let app = TestApp::new();
    let response = Req::get("/api/v1/auth/health").send(&app).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.body,
        json!({"status": "ok", "service": "spatialflow-auth"})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_refreshes_of_one_token_succeed_once() {
    let app = TestApp::new();
    let session = app.signed_in("ann@example.com").await;
    let attempts = (0..8).map(|_| {
        Req::post("/api/v1/auth/refresh")
            .json(json!({"refresh_token": session["refresh_token"]}))
            .send(&app)
    });
    let responses = futures::future::join_all(attempts).await;
    let succeeded = responses
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    assert_eq!(succeeded, 1);
}
