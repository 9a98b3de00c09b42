//! Helpers of the router tests: a fresh app per test (in-memory database) and a small request
//! builder whose responses are plain data.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::contract::SchemaSet;
use crate::reference::{AppState, ReferenceConfig, app};

/// Password that satisfies the rules.
pub const PASSWORD: &str = "Correct-Horse-42";

/// A fresh server (in-memory database, test API on, fast hashing).
pub struct TestApp {
    router: Router,
    /// The state behind the router (clock, store).
    pub state: AppState,
}

/// A response as data.
#[derive(Debug)]
pub struct TestResponse {
    /// Status code.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body parsed as JSON (`Value::Null` when it is not JSON).
    pub body: Value,
    /// Raw body text.
    pub text: String,
}

impl TestResponse {
    /// One header as a string.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every Set-Cookie line.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }
}

/// A request under construction.
pub struct Req {
    method: Method,
    path: String,
    builder: axum::http::request::Builder,
    body: Body,
}

impl Req {
    /// A request with this method and path.
    pub fn new(method: Method, path: &str) -> Self {
        Self {
            builder: Request::builder().method(method.clone()).uri(path),
            method,
            path: path.to_owned(),
            body: Body::empty(),
        }
    }

    /// GET `path`.
    pub fn get(path: &str) -> Self {
        Self::new(Method::GET, path)
    }

    /// POST `path`.
    pub fn post(path: &str) -> Self {
        Self::new(Method::POST, path)
    }

    /// Sets a JSON body.
    pub fn json(mut self, value: Value) -> Self {
        self.builder = self
            .builder
            .header(header::CONTENT_TYPE, "application/json");
        self.body = Body::from(value.to_string());
        self
    }

    /// Sets a raw body with a content type.
    pub fn raw(mut self, content_type: &str, body: impl Into<Body>) -> Self {
        self.builder = self.builder.header(header::CONTENT_TYPE, content_type);
        self.body = body.into();
        self
    }

    /// Adds `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.builder = self.builder.header(name, value);
        self
    }

    /// Sends it to the app.
    pub async fn send(self, app: &TestApp) -> TestResponse {
        let request = self.builder.body(self.body).unwrap();
        let response = app.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        // A server with a fault breaks the contract on purpose (tests/faults.rs probes it).
        if app.state.config().fault.is_none() {
            assert_meets_contract(&self.method, &self.path, status, &body, &text);
        }
        TestResponse {
            status,
            headers,
            body,
            text,
        }
    }
}

impl TestApp {
    /// A fresh embedded-profile app.
    pub fn new() -> Self {
        Self::with_config(ReferenceConfig::embedded())
    }

    /// A fresh app with this configuration.
    pub fn with_config(config: ReferenceConfig) -> Self {
        let state = AppState::open(config).unwrap();
        Self {
            router: app(state.clone()),
            state,
        }
    }

    /// Creates a verified user through the E2E endpoint.
    pub async fn create_user(&self, email: &str) -> Value {
        let response = Req::post("/api/v1/test/create-user")
            .json(json!({"email": email, "password": PASSWORD}))
            .send(self)
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text);
        response.body["user"].clone()
    }

    /// Logs in.
    pub async fn login(&self, email: &str, password: &str) -> TestResponse {
        Req::post("/api/v1/auth/login")
            .json(json!({"email": email, "password": password}))
            .send(self)
            .await
    }

    /// Creates a verified user and logs in; returns the LoginResponse body.
    pub async fn signed_in(&self, email: &str) -> Value {
        self.create_user(email).await;
        let response = self.login(email, PASSWORD).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text);
        response.body
    }

    /// Mails for `to`, newest first, through the Mailpit-compatible API.
    pub async fn mails_to(&self, to: &str) -> Vec<Value> {
        let list = Req::get(&format!("/_mailpit/api/v1/search?query=to:{to}"))
            .send(self)
            .await;
        assert_eq!(list.status, StatusCode::OK);
        let mut mails = Vec::new();
        for summary in list.body["messages"].as_array().unwrap() {
            let id = summary["ID"].as_str().unwrap();
            let message = Req::get(&format!("/_mailpit/api/v1/message/{id}"))
                .send(self)
                .await;
            mails.push(message.body);
        }
        mails
    }

    /// The `token=` value of the newest mail to `to`.
    pub async fn latest_token(&self, to: &str) -> String {
        let mails = self.mails_to(to).await;
        let text = mails.first().expect("no mail")["Text"]
            .as_str()
            .unwrap()
            .to_owned();
        token_in(&text)
    }
}

/// Every response of every router test must meet the contract's schema for its endpoint and
/// status (ErrorResponse / ValidationErrorResponse for undocumented error statuses).
fn assert_meets_contract(
    method: &Method,
    path: &str,
    status: StatusCode,
    body: &Value,
    text: &str,
) {
    let set = SchemaSet::global();
    let Some(schema) = set.response_schema(method.as_str(), path, status.as_u16()) else {
        return;
    };
    assert!(
        !body.is_null() || text.is_empty(),
        "{method} {path} -> {status}: body is not JSON: {text}"
    );
    let violations = set.validate(schema, body);
    assert!(
        violations.is_empty(),
        "{method} {path} -> {status} breaks {schema}: {violations:#?}\n{text}"
    );
}

/// The value after `token=` in a text.
pub fn token_in(text: &str) -> String {
    let start = text.find("token=").expect("no token link") + "token=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Asserts an ErrorResponse body with this status.
pub fn assert_error(response: &TestResponse, status: StatusCode) {
    assert_eq!(response.status, status, "{}", response.text);
    assert!(response.body["detail"].is_string(), "{}", response.text);
    assert!(
        response
            .header("content-type")
            .unwrap_or_default()
            .starts_with("application/json")
    );
}
