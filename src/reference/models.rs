//! Wire models of responses (CONTRACT.md "Response models").
//!
//! UserResponse decisions: role "admin" for staff else "user"; roles `["user"]` (plus "admin"
//! for staff); languagePreference "en"; admin_approved true, admin_approved_at null;
//! date-times RFC 3339 UTC with milliseconds.

use serde::Serialize;
use serde_json::{Value, json};

use crate::reference::clock::to_rfc3339;
use crate::reference::store::users::User;

/// UserResponse (camelCase where the contract says so).
#[derive(Clone, Debug, Serialize)]
pub struct UserResponse {
    id: String,
    email: String,
    name: String,
    role: String,
    #[serde(rename = "emailVerified")]
    email_verified: bool,
    selected_plan: String,
    company: Option<String>,
    #[serde(rename = "languagePreference")]
    language_preference: String,
    #[serde(rename = "createdAt")]
    created_at: String,
    #[serde(rename = "updatedAt")]
    updated_at: String,
    is_superuser: bool,
    is_staff: bool,
    roles: Option<Vec<String>>,
    is_beta_user: bool,
    admin_approved: bool,
    admin_approved_at: Option<String>,
}

impl From<&User> for UserResponse {
    fn from(user: &User) -> Self {
        let mut roles = vec!["user".to_owned()];
        if user.is_staff {
            roles.push("admin".to_owned());
        }
        Self {
            id: user.id.clone(),
            email: user.email.clone(),
            name: user.name.clone(),
            role: if user.is_staff { "admin" } else { "user" }.to_owned(),
            email_verified: user.email_verified,
            selected_plan: user.selected_plan.clone(),
            company: user.company.clone(),
            language_preference: user.language_preference.clone(),
            created_at: to_rfc3339(user.created_at_ms),
            updated_at: to_rfc3339(user.updated_at_ms),
            is_superuser: user.is_superuser,
            is_staff: user.is_staff,
            roles: Some(roles),
            is_beta_user: user.is_beta_user,
            admin_approved: true,
            admin_approved_at: None,
        }
    }
}

/// LoginResponse (login and refresh).
#[derive(Clone, Debug, Serialize)]
pub struct LoginResponse {
    /// Access JWT.
    pub access_token: String,
    /// Opaque refresh token.
    pub refresh_token: String,
    /// Always "bearer".
    pub token_type: &'static str,
    /// Access token lifetime in seconds.
    pub expires_in: i64,
    /// The authenticated user.
    pub user: UserResponse,
}

/// A MessageResponse body `{"message": ...}`.
pub fn message(text: &str) -> Value {
    json!({ "message": text })
}
