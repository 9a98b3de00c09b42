//! The one error type of the server and its wire shapes.
//!
//! Contract rule: every error body is an ErrorResponse `{"detail": "...", "error_code": "..."}`,
//! except request-validation failures, which are 422 in the Django Ninja list form
//! `{"detail": [{"type", "loc", "msg"}]}`. Unexpected failures are logged and become a 500 whose
//! body never carries internal detail.

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

/// One item of a 422 body (Django Ninja / pydantic shape).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValidationItem {
    /// Pydantic error type, e.g. `missing`, `string_type`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Location, e.g. `["body", "email"]`.
    pub loc: Vec<serde_json::Value>,
    /// Human-readable message, e.g. `Field required`.
    pub msg: String,
}

#[derive(Debug)]
enum Body {
    Error {
        detail: String,
        error_code: &'static str,
    },
    Validation(Vec<ValidationItem>),
}

/// An error response: status, body and any extra headers (WWW-Authenticate, Retry-After...).
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: Body,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    /// An ErrorResponse with the given status, machine code and message.
    pub fn new(status: StatusCode, error_code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            body: Body::Error {
                detail: detail.into(),
                error_code,
            },
            headers: Vec::new(),
        }
    }

    /// 400 with the given code and message.
    pub fn bad_request(error_code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error_code, detail)
    }

    /// 401 for a request without credentials (`WWW-Authenticate: Bearer`).
    pub fn not_authenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "not_authenticated",
            "Authentication credentials were not provided",
        )
        .with_header(header::WWW_AUTHENTICATE, "Bearer")
    }

    /// 401 for a bearer token that is not acceptable (RFC 6750 `invalid_token`).
    pub fn invalid_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "Invalid or expired token",
        )
        .with_header(header::WWW_AUTHENTICATE, r#"Bearer error="invalid_token""#)
    }

    /// 422 in the Django Ninja list form.
    pub fn validation(items: Vec<ValidationItem>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: Body::Validation(items),
            headers: Vec::new(),
        }
    }

    /// 500 for an unexpected failure; the cause is logged, never sent.
    pub fn internal(error: &anyhow::Error) -> Self {
        tracing::error!(error = format!("{error:#}"), "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Internal server error",
        )
    }

    /// Adds a response header (static values only; see [`ApiError::with_header_value`]).
    pub fn with_header(self, name: HeaderName, value: &'static str) -> Self {
        self.with_header_value(name, HeaderValue::from_static(value))
    }

    /// Adds a response header.
    pub fn with_header_value(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        Self::internal(&error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = match self.body {
            Body::Error { detail, error_code } => {
                json!({ "detail": detail, "error_code": error_code })
            }
            Body::Validation(items) => json!({ "detail": items }),
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        for (name, value) in self.headers {
            response.headers_mut().append(name, value);
        }
        response
    }
}

/// Machine code used for an error status produced outside a handler (404, 405, 413...).
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "not_authenticated",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        410 => "gone",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "validation_error",
        429 => "rate_limited",
        _ if status.is_server_error() => "internal_error",
        _ => "error",
    }
}
