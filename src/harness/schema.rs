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
