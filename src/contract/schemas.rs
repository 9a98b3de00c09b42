//! The JSON Schemas of `schemas/`, compiled once per process.
//!
//! The files are embedded at compile time so that the binary validates the same models wherever
//! it runs. They reference each other by relative `$ref` (`"UserResponse.json"`) under one base
//! URI; a local [`jsonschema::Registry`] resolves those references, so validation never touches
//! the network.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jsonschema::{Registry, Validator};
use serde_json::Value;

use super::endpoints::find;

/// Base URI of every schema's `$id`.
pub const SCHEMA_BASE: &str = "https://schemas.spatialflow.io/auth/v1/";

macro_rules! schema_files {
    ($($name:literal),* $(,)?) => {
        /// Every schema file, by model name.
        pub(crate) const SCHEMA_FILES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/", $name, ".json")))),*
        ];
    };
}

schema_files!(
    "UserResponse",
    "LoginResponse",
    "ErrorResponse",
    "ValidationErrorResponse",
    "MessageResponse",
    "FeatureFlagsResponse",
    "HealthResponse",
    "ApiKeyResponse",
    "ApiKeyCreateResponse",
    "TestUserResponse",
    "ClockResponse",
    "LoginSchema",
    "RegisterSchema",
    "RefreshTokenSchema",
    "ChangePasswordSchema",
    "ConfirmPasswordResetSchema",
    "ForgotPasswordSchema",
    "ResendVerificationSchema",
    "ResetPasswordSchema",
    "CreateUserSchema",
    "ApiKeyCreateRequest",
    "SignupRequest",
    "ClockAdvanceRequest",
);

/// One way in which a JSON value breaks a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// JSON pointer to the offending part of the instance (`""` for the root).
    pub instance_path: String,
    /// JSON pointer into the schema, to the keyword that failed.
    pub schema_path: String,
    /// The offending value.
    pub value: Value,
    /// The failing keyword (`required`, `type`, `format`...).
    pub keyword: String,
    /// Human-readable explanation from the validator.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.instance_path.is_empty() {
            "/"
        } else {
            &self.instance_path
        };
        write!(f, "at {at}: {} (schema {})", self.message, self.schema_path)
    }
}

/// The compiled schemas, by model name.
pub struct SchemaSet {
    validators: BTreeMap<&'static str, Validator>,
    documents: BTreeMap<&'static str, Value>,
}

impl std::fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaSet")
            .field("models", &self.validators.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl SchemaSet {
    /// The schemas, compiled on first use and shared by the whole process.
    pub fn global() -> &'static SchemaSet {
        static SET: OnceLock<SchemaSet> = OnceLock::new();
        SET.get_or_init(|| {
            SchemaSet::compile().expect("the embedded schemas/ files are valid JSON Schema")
        })
    }

    /// Compiles every embedded schema with format validation on (it is off by default for
    /// draft 2020-12).
    pub fn compile() -> Result<SchemaSet, String> {
        let mut documents = BTreeMap::new();
        for (name, text) in SCHEMA_FILES {
            let document: Value =
                serde_json::from_str(text).map_err(|e| format!("schemas/{name}.json: {e}"))?;
            documents.insert(*name, document);
        }
        let mut builder = Registry::new();
        for (name, document) in &documents {
            builder = builder
                .add(format!("{SCHEMA_BASE}{name}.json"), document.clone())
                .map_err(|e| format!("schemas/{name}.json: {e}"))?;
        }
        let registry = builder.prepare().map_err(|e| e.to_string())?;
        let mut validators = BTreeMap::new();
        for (name, document) in &documents {
            let validator = jsonschema::draft202012::options()
                .should_validate_formats(true)
                .with_registry(&registry)
                .build(document)
                .map_err(|e| format!("schemas/{name}.json: {e}"))?;
            validators.insert(*name, validator);
        }
        Ok(SchemaSet {
            validators,
            documents,
        })
    }

    /// The model names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.validators.keys().copied()
    }

    /// The schema document of a model, as written in `schemas/`.
    pub fn document(&self, name: &str) -> Option<&Value> {
        self.documents.get(name)
    }

    /// Validates `value` against the model `schema`; an empty list means valid.
    ///
    /// # Panics
    /// When `schema` is not a model of `schemas/`: that is a bug of the caller, not of the input.
    pub fn validate(&self, schema: &str, value: &Value) -> Vec<Violation> {
        let validator = self
            .validators
            .get(schema)
            .unwrap_or_else(|| panic!("no schema named {schema} in schemas/"));
        // Almost every answer is valid, and asking that first skips collecting error details.
        if validator.is_valid(value) {
            return Vec::new();
        }
        validator
            .iter_errors(value)
            .map(|error| Violation {
                instance_path: error.instance_path().as_str().to_owned(),
                schema_path: error.schema_path().as_str().to_owned(),
                value: error.instance().clone().into_owned(),
                keyword: error.kind().keyword().to_owned(),
                message: error.to_string(),
            })
            .collect()
    }

    /// The model that governs a response: the one documented for the endpoint and status; for an
    /// undocumented error status, the contract's error shape (`ValidationErrorResponse` for 422,
    /// `ErrorResponse` otherwise, since CONTRACT.md makes it the error body of every endpoint).
    /// `None` means the body has no JSON model to meet.
    pub fn response_schema(&self, method: &str, path: &str, status: u16) -> Option<&'static str> {
        let documented = find(method, path).and_then(|e| e.documented_schema(status));
        match documented {
            Some(schema) => schema,
            None if status == 422 => Some("ValidationErrorResponse"),
            None if status >= 400 => Some("ErrorResponse"),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> Value {
        json!({
            "id": "42", "email": "ada@example.com", "name": "Ada", "role": "user",
            "emailVerified": true, "selected_plan": "free", "company": null,
            "languagePreference": "en", "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-01T00:00:00+00:00", "is_superuser": false, "is_staff": false,
            "roles": ["user"]
        })
    }

    #[test]
    fn every_embedded_schema_compiles() {
        let set = SchemaSet::global();
        assert_eq!(set.names().count(), SCHEMA_FILES.len());
    }

    #[test]
    fn a_complete_user_is_valid() {
        assert_eq!(
            SchemaSet::global().validate("UserResponse", &user()),
            vec![]
        );
    }

    #[test]
    fn a_snake_case_key_is_reported_missing_with_its_paths() {
        let mut body = user();
        let value = body["emailVerified"].take();
        body.as_object_mut().unwrap().remove("emailVerified");
        body["email_verified"] = value;
        let violations = SchemaSet::global().validate("UserResponse", &body);
        assert_eq!(violations.len(), 1);
        assert_eq!(violations[0].keyword, "required");
        assert_eq!(violations[0].schema_path, "/required");
        assert!(violations[0].message.contains("emailVerified"));
    }

    #[test]
    fn the_nested_user_of_a_login_response_is_checked_through_its_ref() {
        let mut user = user();
        user["createdAt"] = json!("yesterday");
        let body = json!({
            "access_token": "a", "refresh_token": "r", "token_type": "bearer",
            "expires_in": 900, "user": user
        });
        let violations = SchemaSet::global().validate("LoginResponse", &body);
        assert_eq!(violations.len(), 1, "{violations:?}");
        assert_eq!(violations[0].instance_path, "/user/createdAt");
        assert_eq!(violations[0].keyword, "format");
        assert_eq!(violations[0].value, json!("yesterday"));
    }

    #[test]
    fn a_created_api_key_must_start_with_sf() {
        let key = json!({
            "id": 1, "name": "Default", "key_prefix": "sf_abc", "permissions": [],
            "is_active": true, "usage_count": 0, "rate_limit_per_hour": 1000,
            "created_at": "2026-01-01T00:00:00Z", "key": "pk_live"
        });
        let body = json!({"message": "created", "api_key": key});
        let violations = SchemaSet::global().validate("ApiKeyCreateResponse", &body);
        assert_eq!(violations.len(), 1, "{violations:?}");
        assert_eq!(violations[0].instance_path, "/api_key/key");
    }

    #[test]
    fn response_schemas_follow_the_documented_status_then_the_error_shape() {
        let set = SchemaSet::global();
        assert_eq!(
            set.response_schema("POST", "/api/v1/auth/login", 200),
            Some("LoginResponse")
        );
        assert_eq!(
            set.response_schema("POST", "/api/v1/auth/login", 422),
            Some("ValidationErrorResponse")
        );
        assert_eq!(
            set.response_schema("GET", "/api/v1/auth/me", 500),
            Some("ErrorResponse")
        );
        assert_eq!(
            set.response_schema("GET", "/nowhere", 404),
            Some("ErrorResponse")
        );
        assert_eq!(set.response_schema("GET", "/api/v1/auth/health", 200), None);
        assert_eq!(set.response_schema("GET", "/nowhere", 200), None);
    }

    #[test]
    fn error_responses_need_a_string_detail() {
        let set = SchemaSet::global();
        assert!(
            set.validate("ErrorResponse", &json!({"detail": "no"}))
                .is_empty()
        );
        assert!(
            !set.validate("ErrorResponse", &json!({"error": "no"}))
                .is_empty()
        );
        assert!(
            !set.validate("ErrorResponse", &json!({"detail": ["no"]}))
                .is_empty()
        );
    }
}
