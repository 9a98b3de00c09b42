//! Automatic validation of every JSON response against the contract's schema for its endpoint
//! and status.

use crate::contract::SchemaSet;

use super::checks::{CheckResult, Failure};
use super::exchange::{Body, Exchange};
use super::redact::redact_json;

/// Validates the response of `exchange` against the schema that governs it, if any. A body
/// that is not JSON where a schema applies is a violation too.
pub fn check_response_schema(exchange: &Exchange) -> CheckResult {
    let schemas = SchemaSet::global();
    let request = &exchange.request;
    let status = exchange.response.status;
    let Some(schema) = schemas.response_schema(&request.method, &request.path, status) else {
        return Ok(());
    };
    let value = match &exchange.response.body {
        Body::Json(v) => v,
        Body::Empty => {
            return Err(Failure::new(
                "schema",
                format!("{schema} (body)"),
                "a JSON body",
                "an empty body",
            ));
        }
        Body::Text(_) => {
            return Err(Failure::new(
                "schema",
                format!("{schema} (body)"),
                "a JSON body",
                "a non-JSON body",
            ));
        }
    };
    let violations = schemas.validate(schema, value);
    if violations.is_empty() {
        return Ok(());
    }
    let details: Vec<String> = violations
        .iter()
        .map(|v| {
            format!(
                "instance {} (schema {}#{}): {} [value {}]",
                if v.instance_path.is_empty() {
                    "/"
                } else {
                    &v.instance_path
                },
                schema,
                v.schema_path,
                v.message,
                redact_json(&v.value)
            )
        })
        .collect();
    Err(Failure::new(
        "schema",
        format!("{} {} -> {status}", request.method, request.route()),
        format!("a body valid against {schema}"),
        details.join("\n            "),
    ))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::harness::exchange::{Request, Response};

    fn exchange(method: &str, path: &str, status: u16, body: Body) -> Exchange {
        Exchange {
            request: Request::new(method, path),
            response: Response {
                status,
                headers: vec![],
                body,
            },
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn a_valid_error_body_passes() {
        let e = exchange(
            "POST",
            "/api/v1/auth/login",
            400,
            Body::Json(json!({"detail": "Invalid email or password"})),
        );
        assert_eq!(check_response_schema(&e), Ok(()));
    }

    #[test]
    fn a_violation_names_instance_path_schema_path_and_value() {
        let e = exchange(
            "POST",
            "/api/v1/auth/refresh",
            200,
            Body::Json(
                json!({"access_token": "a", "refresh_token": "r", "token_type": "bearer", "expires_in": "soon", "user": {}}),
            ),
        );
        let failure = check_response_schema(&e).unwrap_err();
        assert_eq!(failure.check, "schema");
        assert!(failure.expected.contains("LoginResponse"), "{failure}");
        assert!(failure.actual.contains("instance /expires_in"), "{failure}");
        assert!(failure.actual.contains("\"soon\""), "{failure}");
        assert!(failure.actual.contains("LoginResponse#"), "{failure}");
    }

    #[test]
    fn an_error_status_needs_a_json_body() {
        let e = exchange("GET", "/api/v1/auth/me", 401, Body::Text("nope".into()));
        assert!(check_response_schema(&e).is_err());
    }

    #[test]
    fn secrets_in_offending_values_are_redacted() {
        let e = exchange(
            "POST",
            "/api/v1/auth/login",
            200,
            Body::Json(
                json!({"access_token": 42, "refresh_token": "r-secret-value", "token_type": "bearer", "expires_in": 900, "user": {}}),
            ),
        );
        let failure = check_response_schema(&e).unwrap_err();
        assert!(!failure.actual.contains("r-secret-value"), "{failure}");
    }
}
