//! The OpenAPI 3.1 document of the reference server, built from [`ENDPOINTS`] and `schemas/`.
//!
//! OpenAPI 3.1 speaks JSON Schema 2020-12, so the model files go into `components/schemas`
//! unchanged except for their references: `"UserResponse.json"` becomes
//! `"#/components/schemas/UserResponse"`, and the per-file `$id`/`$schema` are dropped.
//!
//! Besides the statuses of [`ENDPOINTS`], the document states what every operation that takes a
//! JSON body really answers before its handler runs (found by fuzzing it with Schemathesis):
//! 400 for a body that is not JSON, 413 for a body over 1 MiB, 415 for a non-JSON Content-Type,
//! 422 for a body that breaks its model, all with the contract's error models. Deprecated
//! operations carry `deprecated: true`, and the one operation that answers text (Mailpit's
//! `DELETE messages`, `ok`) says `text/plain`.

use serde_json::{Map, Value, json};

use super::endpoints::{Auth, ENDPOINTS, Endpoint, Group};
use super::schemas::SchemaSet;

/// Which operations the document describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The contract's endpoints and their neighbours: what a production-like server serves.
    Public,
    /// Also the test-control surface (clock, outbox), served with the test API on.
    WithTestApi,
}

/// The OpenAPI 3.1 document for the operations of `surface`.
pub fn document(surface: Surface) -> Value {
    let mut paths = Map::new();
    let served = ENDPOINTS
        .iter()
        .filter(|e| surface == Surface::WithTestApi || e.group != Group::TestControl);
    for endpoint in served {
        let item = paths
            .entry(endpoint.path)
            .or_insert_with(|| Value::Object(Map::new()));
        item[endpoint.method.to_ascii_lowercase()] = operation(endpoint);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "SpatialFlow Authentication API (reference implementation)",
            "version": "1.0.0",
            "description": "The contract of AuthenticationApi.md and CONTRACT.md, served by the \
                spatialflow-conformance reference server."
        },
        "paths": paths,
        "components": {
            "schemas": components(),
            "securitySchemes": {
                "JWTBearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "APIKeyBearer": {"type": "apiKey", "in": "header", "name": "X-API-KEY"}
            }
        }
    })
}

fn operation(endpoint: &Endpoint) -> Value {
    let mut op = json!({
        "operationId": endpoint.operation_id,
        "summary": endpoint.summary,
        "tags": [tag(endpoint.group)],
        "responses": responses(endpoint),
    });
    if DEPRECATED.contains(&endpoint.operation_id) {
        op["deprecated"] = json!(true);
    }
    match endpoint.auth {
        Auth::None => {}
        Auth::Jwt => op["security"] = json!([{"JWTBearer": []}]),
        Auth::ApiKey => op["security"] = json!([{"APIKeyBearer": []}]),
        Auth::JwtOrApiKey => op["security"] = json!([{"JWTBearer": []}, {"APIKeyBearer": []}]),
    }
    if let Some(schema) = endpoint.request_schema {
        op["requestBody"] = json!({
            "required": !endpoint.body_optional,
            "content": {"application/json": {"schema": reference(schema)}}
        });
    }
    let mut parameters = Vec::new();
    if let Some(name) = endpoint.query_param {
        parameters.push(
            json!({"name": name, "in": "query", "required": true, "schema": {"type": "string"}}),
        );
    }
    for segment in endpoint.path.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            parameters.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
        }
    }
    if !parameters.is_empty() {
        op["parameters"] = Value::Array(parameters);
    }
    op
}

/// Operations the contract deprecates (AuthenticationApi.md: register and reset-password).
const DEPRECATED: &[&str] = &[
    "apps_authentication_api_register",
    "apps_authentication_api_reset_password",
];

/// Responses whose body is plain text rather than JSON: (operation id, status).
/// Mailpit answers `DELETE /api/v1/messages` with `ok` as `text/plain`, and the reference
/// mimics it so the suite's mailbox adapter sees one behaviour.
const TEXT_RESPONSES: &[(&str, u16)] = &[("mailpit_delete_messages", 200)];

/// Errors every JSON-body operation gives before its handler runs (`reference::extract`):
/// unparsable JSON, a body over 1 MiB, a Content-Type that is not JSON.
const BODY_ERRORS: &[u16] = &[400, 413, 415];

fn responses(endpoint: &Endpoint) -> Value {
    let mut responses = Map::new();
    for (status, schema) in endpoint.responses {
        let body = if TEXT_RESPONSES.contains(&(endpoint.operation_id, *status)) {
            json!({"text/plain": {"schema": {"type": "string"}}})
        } else {
            let schema = schema.map(reference).unwrap_or_else(|| json!({}));
            json!({"application/json": {"schema": schema}})
        };
        responses.insert(
            status.to_string(),
            json!({"description": reason(*status), "content": body}),
        );
    }
    if endpoint.request_schema.is_some() {
        for status in BODY_ERRORS {
            responses.entry(status.to_string()).or_insert_with(|| {
                json!({
                    "description": reason(*status),
                    "content": {"application/json": {"schema": reference("ErrorResponse")}}
                })
            });
        }
    }
    // Django Ninja answers 422 for a body or parameter that does not fit its schema.
    if endpoint.request_schema.is_some() || endpoint.query_param.is_some() {
        responses.entry("422").or_insert_with(|| {
            json!({
                "description": "Request validation failed",
                "content": {"application/json": {"schema": reference("ValidationErrorResponse")}}
            })
        });
    }
    Value::Object(responses)
}

fn tag(group: Group) -> &'static str {
    match group {
        Group::Auth => "Authentication",
        Group::Neighbour => "Neighbouring endpoints",
        Group::TestControl => "Test control (reference server only)",
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        _ => "Response",
    }
}

fn reference(schema: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{schema}")})
}

fn components() -> Value {
    let set = SchemaSet::global();
    let mut components = Map::new();
    for name in set.names() {
        let mut document = set.document(name).cloned().unwrap_or_default();
        if let Some(object) = document.as_object_mut() {
            object.remove("$id");
            object.remove("$schema");
        }
        rewrite_refs(&mut document);
        components.insert(name.to_owned(), document);
    }
    Value::Object(components)
}

/// Turns file references (`"X.json"`) into component references, at any depth.
fn rewrite_refs(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                if key == "$ref" {
                    if let Some(file) = child.as_str().and_then(|s| s.strip_suffix(".json")) {
                        *child = json!(format!("#/components/schemas/{file}"));
                    }
                } else {
                    rewrite_refs(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(o) => {
                for (k, v) in o {
                    if k == "$ref" {
                        out.push(v.as_str().unwrap().to_owned());
                    } else {
                        all_refs(v, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| all_refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_reference_points_at_a_component() {
        let doc = document(Surface::WithTestApi);
        let mut refs = Vec::new();
        all_refs(&doc, &mut refs);
        assert!(!refs.is_empty());
        for r in refs {
            let name = r.strip_prefix("#/components/schemas/").expect(&r);
            assert!(doc["components"]["schemas"].get(name).is_some(), "{r}");
        }
    }

    #[test]
    fn the_public_surface_hides_the_test_api() {
        let doc = document(Surface::Public);
        assert!(doc["paths"].get("/api/v1/test/clock").is_none());
        assert!(doc["paths"].get("/api/v1/auth/login").is_some());
        let with = document(Surface::WithTestApi);
        assert!(with["paths"].get("/api/v1/test/clock/advance").is_some());
    }

    #[test]
    fn login_uses_the_shared_models() {
        let doc = document(Surface::Public);
        let login = &doc["paths"]["/api/v1/auth/login"]["post"];
        assert_eq!(
            login["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/LoginResponse"
        );
        assert_eq!(
            doc["components"]["schemas"]["LoginResponse"]["properties"]["user"]["$ref"],
            "#/components/schemas/UserResponse"
        );
        let me = &doc["paths"]["/api/v1/auth/me"]["get"];
        assert_eq!(me["security"][0]["JWTBearer"], json!([]));
    }

    #[test]
    fn body_operations_document_the_errors_given_before_the_handler() {
        let doc = document(Surface::WithTestApi);
        let login = &doc["paths"]["/api/v1/auth/login"]["post"]["responses"];
        for status in ["400", "413", "415", "422"] {
            assert!(login.get(status).is_some(), "login lacks {status}");
        }
        let me = &doc["paths"]["/api/v1/auth/me"]["get"]["responses"];
        assert!(me.get("415").is_none());
    }

    #[test]
    fn mailpit_delete_is_text_and_deprecated_operations_say_so() {
        let doc = document(Surface::WithTestApi);
        let delete = &doc["paths"]["/_mailpit/api/v1/messages"]["delete"]["responses"]["200"];
        assert!(delete["content"].get("text/plain").is_some());
        assert!(delete["content"].get("application/json").is_none());
        assert_eq!(
            doc["paths"]["/api/v1/auth/register"]["post"]["deprecated"],
            true
        );
        assert!(
            doc["paths"]["/api/v1/auth/login"]["post"]
                .get("deprecated")
                .is_none()
        );
    }
}
