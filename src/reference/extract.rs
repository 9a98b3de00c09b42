//! Request-body extraction with contract error bodies.
//!
//! Order of checks (each a decision where the contract is silent): a non-JSON Content-Type is
//! 415, a body over 1 MiB is 413, unparsable JSON is 400 (`malformed_json`), a JSON value that
//! breaks the request model (missing field, wrong type) is 422 in the Django Ninja list form.
//! Business rules (password length, email syntax) are 400s decided by the handlers.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::reference::error::{ApiError, ValidationItem};
use crate::reference::state::AppState;

/// JSON type a request field must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// An integer.
    Int,
    /// An array of strings.
    StrList,
}

/// One field of a request model.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// JSON key.
    pub name: &'static str,
    /// Expected JSON type.
    pub kind: FieldKind,
    /// Whether the key must be present and non-null.
    pub required: bool,
}

impl Field {
    /// A required field.
    pub const fn required(name: &'static str, kind: FieldKind) -> Self {
        Self {
            name,
            kind,
            required: true,
        }
    }

    /// An optional (nullable) field.
    pub const fn optional(name: &'static str, kind: FieldKind) -> Self {
        Self {
            name,
            kind,
            required: false,
        }
    }
}

/// A request model: its contract schema name and field list, used to produce 422 bodies.
pub trait RequestModel: DeserializeOwned {
    /// Name of the model in the contract (e.g. `LoginSchema`).
    const SCHEMA: &'static str;
    /// Fields with their types.
    const FIELDS: &'static [Field];
}

/// A JSON body checked against its request model; rejections are contract error bodies.
#[derive(Debug)]
pub struct ContractJson<T>(pub T);

impl<T: RequestModel + Send> FromRequest<AppState> for ContractJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        require_json_content_type(req.headers())?;
        let bytes = read_body(req, state).await?;
        let value = parse_json(&bytes)?;
        decode_model(value).map(ContractJson)
    }
}

/// Reads the whole body, mapping the 1 MiB limit to a 413 ErrorResponse.
pub async fn read_body(req: Request, state: &AppState) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "Request body is too large (limit 1 MiB)",
            )
        } else {
            ApiError::bad_request("bad_request", "Could not read the request body")
        }
    })
}

/// 415 unless the Content-Type is `application/json` or `*/*+json`.
pub fn require_json_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    if has_json_content_type(headers) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Content-Type must be application/json",
        ))
    }
}

/// Whether the request declares a JSON body.
pub fn has_json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses bytes as JSON; failure is a 400 `malformed_json`.
pub fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(bytes)
        .map_err(|_| ApiError::bad_request("malformed_json", "Request body is not valid JSON"))
}

/// Checks a JSON value against the model's fields (422 on failure), then deserializes it.
pub fn decode_model<T: RequestModel>(value: Value) -> Result<T, ApiError> {
    let items = check_fields(T::FIELDS, &value);
    if !items.is_empty() {
        tracing::debug!(schema = T::SCHEMA, "request body does not match its model");
        return Err(ApiError::validation(items));
    }
    serde_json::from_value(value).map_err(|error| {
        ApiError::validation(vec![ValidationItem {
            kind: "value_error".to_owned(),
            loc: vec![json!("body")],
            msg: error.to_string(),
        }])
    })
}

/// The 422 items for a JSON value against a field list (empty when it conforms).
pub fn check_fields(fields: &[Field], value: &Value) -> Vec<ValidationItem> {
    let Some(object) = value.as_object() else {
        return vec![ValidationItem {
            kind: "model_attributes_type".to_owned(),
            loc: vec![json!("body")],
            msg: "Input should be a valid dictionary or object to extract fields from".to_owned(),
        }];
    };
    let mut items = Vec::new();
    for field in fields {
        match object.get(field.name) {
            None if field.required => items.push(ValidationItem {
                kind: "missing".to_owned(),
                loc: vec![json!("body"), json!(field.name)],
                msg: "Field required".to_owned(),
            }),
            None => {}
            Some(Value::Null) if !field.required => {}
            Some(found) => items.extend(check_kind(field, found)),
        }
    }
    items
}

fn check_kind(field: &Field, found: &Value) -> Vec<ValidationItem> {
    let item = |loc: Vec<Value>, kind: &str, msg: &str| ValidationItem {
        kind: kind.to_owned(),
        loc,
        msg: msg.to_owned(),
    };
    let loc = vec![json!("body"), json!(field.name)];
    match field.kind {
        FieldKind::Str if !found.is_string() => {
            vec![item(loc, "string_type", "Input should be a valid string")]
        }
        FieldKind::Bool if !found.is_boolean() => {
            vec![item(loc, "bool_type", "Input should be a valid boolean")]
        }
        FieldKind::Int if !(found.is_i64() || found.is_u64()) => {
            vec![item(loc, "int_type", "Input should be a valid integer")]
        }
        FieldKind::StrList => match found.as_array() {
            None => vec![item(loc, "list_type", "Input should be a valid list")],
            Some(values) => values
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.is_string())
                .map(|(i, _)| {
                    let mut loc = loc.clone();
                    loc.push(json!(i));
                    item(loc, "string_type", "Input should be a valid string")
                })
                .collect(),
        },
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[Field] = &[
        Field::required("email", FieldKind::Str),
        Field::optional("permissions", FieldKind::StrList),
    ];

    #[test]
    fn missing_required_field_is_reported_in_ninja_form() {
        let items = check_fields(FIELDS, &json!({}));
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].kind, "missing");
        assert_eq!(items[0].loc, vec![json!("body"), json!("email")]);
        assert_eq!(items[0].msg, "Field required");
    }

    #[test]
    fn wrong_types_are_reported_with_their_location() {
        let items = check_fields(FIELDS, &json!({"email": 5, "permissions": ["a", 1]}));
        assert_eq!(items[0].kind, "string_type");
        assert_eq!(
            items[1].loc,
            vec![json!("body"), json!("permissions"), json!(1)]
        );
    }

    #[test]
    fn non_object_body_is_rejected() {
        let items = check_fields(FIELDS, &json!([1, 2]));
        assert_eq!(items[0].kind, "model_attributes_type");
    }

    #[test]
    fn null_optional_field_is_accepted() {
        assert!(check_fields(FIELDS, &json!({"email": "a@b.c", "permissions": null})).is_empty());
    }
}
