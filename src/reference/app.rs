//! The router: every resource router merged in one place, plus the cross-cutting rules.
//!
//! Cross-cutting decisions: request bodies are limited to 1 MiB (413 ErrorResponse, at once
//! for a declared Content-Length over the limit, on every route);
//! unknown routes are 404 and wrong methods 405 (axum keeps the `Allow` header), both with an
//! ErrorResponse body; any error response that is not JSON yet (framework rejections) is
//! rewritten to an ErrorResponse so every error has one shape; every response carries
//! `X-Content-Type-Options: nosniff` and `Cache-Control: no-store` (they may carry tokens or
//! user data, and nothing here is cacheable).

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use crate::reference::error::{ApiError, code_for_status};
use crate::reference::faults;
use crate::reference::mail::mailpit;
use crate::reference::routes;
use crate::reference::state::AppState;

/// Largest accepted request body.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The whole server as a router (socket-less tests call it with `oneshot`).
pub fn app(state: AppState) -> Router {
    let mut router = routes::router();
    if state.config.test_api {
        router = router
            .merge(routes::test_control::router())
            .merge(mailpit::router());
    }
    if !state.config.latency.is_zero() {
        let latency = state.config.latency;
        router = router.layer(middleware::from_fn(
            move |req: Request, next: Next| async move {
                let response = next.run(req).await;
                tokio::time::sleep(latency).await;
                response
            },
        ));
    }
    let fault = state.config.fault;
    let router = router
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(refuse_declared_oversize))
        .layer(middleware::from_fn(apply_response_rules))
        .with_state(state);
    faults::wire::wrap(router, fault)
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "Not found")
}

/// 413 before routing for a request that declares a body over the limit, on every route,
/// so no handler (not even one that ignores bodies) lets a client push it. Bodies of unknown
/// length are cut off by [`DefaultBodyLimit`] while they stream, after at most 1 MiB.
async fn refuse_declared_oversize(req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > BODY_LIMIT as u64) {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "Request body is too large (limit 1 MiB)",
        )
        .into_response();
    }
    next.run(req).await
}

async fn apply_response_rules(req: Request, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let started = std::time::Instant::now();
    let response = next.run(req).await;
    tracing::info!(
        target: "spatialflow_reference::access",
        %method,
        path,
        status = response.status().as_u16(),
        elapsed_ms = started.elapsed().as_millis() as u64,
    );
    let mut response = if response.status().is_client_error() || response.status().is_server_error()
    {
        ensure_json_error(response)
    } else {
        response
    };
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Rewrites a non-JSON error body into an ErrorResponse, keeping status and other headers.
fn ensure_json_error(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let status = parts.status;
    let detail = match status {
        StatusCode::METHOD_NOT_ALLOWED => "Method not allowed".to_owned(),
        StatusCode::PAYLOAD_TOO_LARGE => "Request body is too large (limit 1 MiB)".to_owned(),
        _ => status.canonical_reason().unwrap_or("Error").to_owned(),
    };
    let fresh = ApiError::new(status, code_for_status(status), detail).into_response();
    let (fresh_parts, body): (_, Body) = fresh.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    if let Some(content_type) = fresh_parts.headers.get(header::CONTENT_TYPE) {
        parts
            .headers
            .insert(header::CONTENT_TYPE, content_type.clone());
    }
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use tower::ServiceExt as _;

    use super::*;
    use crate::reference::ReferenceConfig;

    async fn time_health(config: ReferenceConfig) -> (StatusCode, Duration) {
        let router = app(AppState::open(config).unwrap());
        let started = Instant::now();
        let request = Request::get("/api/v1/auth/health")
            .body(Body::empty())
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        (response.status(), started.elapsed())
    }

    #[tokio::test]
    async fn a_configured_latency_delays_every_answer() {
        let config = ReferenceConfig {
            latency: Duration::from_millis(40),
            ..ReferenceConfig::embedded()
        };
        let (status, elapsed) = time_health(config).await;
        assert_eq!(status, StatusCode::OK);
        assert!(elapsed >= Duration::from_millis(40), "{elapsed:?}");
    }
}
