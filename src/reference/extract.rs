//! Request-body extraction with contract error bodies.
//!
//! Order of checks (each a decision where the contract is silent): a non-JSON Content-Type is
//! 415, a body over 1 MiB is 413, unparsable JSON is 400 (`malformed_json`), a JSON value that
//! breaks the request model's JSON Schema in the contract (`contract::SchemaSet`) is 422 in
//! the Django Ninja list form.
//! Business rules (password length, email syntax) are 400s decided by the handlers.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::contract::{SchemaSet, Violation};
use crate::reference::error::{ApiError, ValidationItem};
use crate::reference::faults::behaviour as faults;
use crate::reference::state::AppState;

/// A request model: the name of its JSON Schema in the contract (`schemas/NAME.json`).
pub trait RequestModel: DeserializeOwned {
    /// Name of the model in the contract (e.g. `LoginSchema`).
    const SCHEMA: &'static str;
}

/// A JSON body checked against its request model; rejections are contract error bodies.
#[derive(Debug)]
pub struct ContractJson<T>(pub T);

impl<T: RequestModel + Send> FromRequest<AppState> for ContractJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        faults::check_content_type(state, req.headers())?;
        let bytes = read_body(req, state).await?;
        let value = parse_json(&bytes).map_err(|e| faults::malformed_json(state, e))?;
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

/// Checks a JSON value against the model's contract schema (422 on failure), then
/// deserializes it.
pub fn decode_model<T: RequestModel>(mut value: Value) -> Result<T, ApiError> {
    let items = contract_items(T::SCHEMA, &value);
    normalise_integral_numbers(&mut value);
    if !items.is_empty() {
        tracing::debug!(
            schema = T::SCHEMA,
            "request body breaks its contract schema"
        );
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

/// Rewrites numbers with a zero fraction (`100001.0`) as integers, at any depth.
///
/// JSON Schema counts them as integers (2020-12, "type": "integer"), so a body that passed the
/// contract schema must not fail serde's `i64` afterwards (found by Schemathesis on
/// `POST /api/v1/test/clock/advance`). Integer fields in the models are bounded well inside
/// `i64`, so the conversion is exact wherever it matters.
fn normalise_integral_numbers(value: &mut Value) {
    match value {
        Value::Number(number) if !number.is_i64() && !number.is_u64() => {
            if let Some(float) = number.as_f64()
                && float.fract() == 0.0
                && float.abs() < 9.0e15
            {
                *value = Value::from(float as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalise_integral_numbers),
        Value::Object(fields) => fields.values_mut().for_each(normalise_integral_numbers),
        _ => {}
    }
}

/// The 422 items for `value` against the contract model `schema` (empty when it conforms).
///
/// Violations map to pydantic's vocabulary: `required` -> one `missing` item per absent field,
/// `type` -> `string_type`, `int_type`..., length and range keywords -> `string_too_long`,
/// `greater_than_equal`...; anything else -> `value_error` with the validator's message.
pub fn contract_items(schema: &str, value: &Value) -> Vec<ValidationItem> {
    let set = SchemaSet::global();
    let document = set.document(schema).cloned().unwrap_or(Value::Null);
    let mut items: Vec<ValidationItem> = Vec::new();
    for violation in set.validate(schema, value) {
        for item in items_for(&violation, &document, value) {
            if !items.contains(&item) {
                items.push(item);
            }
        }
    }
    items
}

fn loc_of(instance_path: &str) -> Vec<Value> {
    let mut loc = vec![json!("body")];
    for segment in instance_path.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        match segment.parse::<u64>() {
            Ok(index) => loc.push(json!(index)),
            Err(_) => loc.push(json!(segment)),
        }
    }
    loc
}

fn items_for(violation: &Violation, document: &Value, value: &Value) -> Vec<ValidationItem> {
    let keyword_value = document.pointer(&violation.schema_path);
    let item = |loc: Vec<Value>, kind: &str, msg: String| ValidationItem {
        kind: kind.to_owned(),
        loc,
        msg,
    };
    let loc = loc_of(&violation.instance_path);
    match violation.keyword.as_str() {
        "required" => {
            let instance = value.pointer(&violation.instance_path);
            let required = keyword_value.and_then(Value::as_array);
            let missing: Vec<&str> = required
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|name| instance.and_then(|i| i.get(*name)).is_none())
                .collect();
            missing
                .into_iter()
                .map(|name| {
                    let mut loc = loc.clone();
                    loc.push(json!(name));
                    item(loc, "missing", "Field required".to_owned())
                })
                .collect()
        }
        "type" => {
            let expected = match keyword_value {
                Some(Value::String(t)) => t.as_str(),
                Some(Value::Array(types)) => types
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|t| *t != "null")
                    .unwrap_or("null"),
                _ => "",
            };
            let (kind, msg) = match expected {
                "string" => ("string_type", "Input should be a valid string"),
                "boolean" => ("bool_type", "Input should be a valid boolean"),
                "integer" => ("int_type", "Input should be a valid integer"),
                "number" => ("float_type", "Input should be a valid number"),
                "array" => ("list_type", "Input should be a valid list"),
                "object" if violation.instance_path.is_empty() => (
                    "model_attributes_type",
                    "Input should be a valid dictionary or object to extract fields from",
                ),
                "object" => ("dict_type", "Input should be a valid dictionary"),
                _ => ("value_error", "Input has the wrong type"),
            };
            vec![item(loc, kind, msg.to_owned())]
        }
        "maxLength" | "minLength" | "minimum" | "maximum" => {
            let limit = keyword_value.cloned().unwrap_or(Value::Null);
            let (kind, msg) = match violation.keyword.as_str() {
                "maxLength" => (
                    "string_too_long",
                    format!("String should have at most {limit} characters"),
                ),
                "minLength" => (
                    "string_too_short",
                    format!("String should have at least {limit} characters"),
                ),
                "minimum" => (
                    "greater_than_equal",
                    format!("Input should be greater than or equal to {limit}"),
                ),
                _ => (
                    "less_than_equal",
                    format!("Input should be less than or equal to {limit}"),
                ),
            };
            vec![item(loc, kind, msg)]
        }
        _ => vec![item(loc, "value_error", violation.message.clone())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_required_field_is_reported_in_ninja_form() {
        let items = contract_items("LoginSchema", &json!({"email": "a@b.co"}));
        assert_eq!(
            items,
            vec![ValidationItem {
                kind: "missing".to_owned(),
                loc: vec![json!("body"), json!("password")],
                msg: "Field required".to_owned(),
            }]
        );
    }

    #[test]
    fn every_missing_field_gets_its_own_item() {
        let items = contract_items("LoginSchema", &json!({}));
        let locs: Vec<_> = items.iter().map(|i| i.loc[1].clone()).collect();
        assert_eq!(locs, vec![json!("email"), json!("password")]);
    }

    #[test]
    fn wrong_types_are_reported_with_their_location() {
        let items = contract_items(
            "ApiKeyCreateRequest",
            &json!({"name": 5, "permissions": ["a", 1]}),
        );
        assert!(
            items
                .iter()
                .any(|i| i.kind == "string_type" && i.loc == vec![json!("body"), json!("name")])
        );
        assert!(
            items
                .iter()
                .any(|i| i.loc == vec![json!("body"), json!("permissions"), json!(1)])
        );
    }

    #[test]
    fn too_long_name_is_string_too_long() {
        let items = contract_items("ApiKeyCreateRequest", &json!({"name": "x".repeat(101)}));
        assert_eq!(items[0].kind, "string_too_long");
    }

    #[test]
    fn non_object_body_is_rejected() {
        let items = contract_items("LoginSchema", &json!([1, 2]));
        assert_eq!(items[0].kind, "model_attributes_type");
        assert_eq!(items[0].loc, vec![json!("body")]);
    }

    #[test]
    fn integral_floats_decode_as_integers() {
        #[derive(Debug, serde::Deserialize)]
        struct Advance {
            seconds: i64,
        }
        impl RequestModel for Advance {
            const SCHEMA: &'static str = "ClockAdvanceRequest";
        }
        let decoded: Advance = decode_model(json!({"seconds": 100001.0})).unwrap();
        assert_eq!(decoded.seconds, 100_001);
        let refused = decode_model::<Advance>(json!({"seconds": 1.5})).unwrap_err();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn valid_body_gives_no_items() {
        assert!(
            contract_items("LoginSchema", &json!({"email": "a@b.co", "password": "x"})).is_empty()
        );
    }
}
