//! Accounts: test users, registration, password changes and API keys.

use serde_json::json;
use spatialflow_conformance::harness::Request;
use spatialflow_conformance::harness::checks::check_status;
use spatialflow_conformance::harness::fixtures::SHORT_PASSWORD;

use super::{AuthWorld, paths, verify};

/// How a request to check an API key is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyPresentation {
    /// The person's key in `X-API-KEY`.
    Header,
    /// No key at all.
    Missing,
    /// An `sf_` key nobody issued.
    MadeUp,
    /// A key without the `sf_` prefix.
    WithoutPrefix,
    /// The person's key in the query string only.
    InQuery,
    /// The person's access token instead of a key.
    AccessToken,
}

impl std::str::FromStr for KeyPresentation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "" => Self::Header,
            "without sending one" => Self::Missing,
            "with a made-up key" => Self::MadeUp,
            "without the sf_ prefix" => Self::WithoutPrefix,
            "in the query string" => Self::InQuery,
            "with an access token instead" => Self::AccessToken,
            other => return Err(format!("unknown key presentation {other:?}")),
        })
    }
}

impl AuthWorld {
    /// Gives `name` a verified account: a disposable one from the E2E API when the target has
    /// it, else the QA account from the environment (never mutated).
    pub async fn given_verified_account(&mut self, name: &str) {
        if self.ctx.capabilities.e2e_api {
            self.create_test_user(name, true).await;
            return;
        }
        let qa = self
            .ctx
            .settings
            .qa_account
            .clone()
            .expect("scenario needs @account");
        assert!(
            !self.people.values().any(|p| p.qa_account),
            "only one QA account exists: a scenario with two verified people needs @e2e-api"
        );
        Self::secret(&qa.password);
        let person = self.person(name);
        person.persona.email = qa.email;
        person.persona.password = qa.password;
        person.qa_account = true;
    }

    /// Creates a user through the E2E API.
    pub async fn create_test_user(&mut self, name: &str, verified: bool) {
        let persona = self.person(name).persona.clone();
        let (first, last) = persona
            .name
            .split_once(' ')
            .unwrap_or((&persona.name, "User"));
        let body = json!({
            "email": persona.email, "password": persona.password,
            "first_name": first, "last_name": last, "email_verified": verified,
        });
        self.send(Request::new("POST", paths::CREATE_TEST_USER).json(body))
            .await;
        verify(check_status(self.last(), &[200, 201]));
    }

    /// Deactivates `name`'s account through the test API (setup: it must work).
    pub async fn deactivate(&mut self, name: &str) {
        self.ensure_disposable(name);
        let email = self.person(name).persona.email.clone();
        self.send(Request::new("POST", paths::DEACTIVATE_TEST_USER).json(json!({"email": email})))
            .await;
        verify(check_status(self.last(), &[200]));
    }

    /// Asserts the person may be changed (not the shared QA account).
    pub fn ensure_disposable(&mut self, name: &str) {
        assert!(
            !self.person(name).qa_account,
            "this scenario changes the account: it needs @e2e-api, not the QA account"
        );
    }

    /// Gives `name` an API key: created through the account API, or from the environment.
    pub async fn given_api_key(&mut self, name: &str) {
        if let Some(key) = self.ctx.settings.api_key.clone()
            && !self.ctx.capabilities.e2e_api
        {
            Self::secret(&key);
            self.person(name).api_key = Some(key);
            return;
        }
        if self.person(name).access_token.is_none() {
            self.ensure_logged_in(name).await;
        }
        let token = self.access_token(name);
        self.send(
            Request::new("POST", paths::API_KEYS)
                .bearer(&token)
                .json(json!({"name": "conformance"})),
        )
        .await;
        verify(check_status(self.last(), &[201]));
        let key = self
            .last()
            .response
            .json_str("/api_key/key")
            .expect("the created key")
            .to_owned();
        self.person(name).api_key = Some(key);
    }

    /// Registers `name` through the deprecated endpoint with `password`.
    pub async fn register(&mut self, name: &str, email: Option<String>, password: Option<String>) {
        let persona = self.person(name).persona.clone();
        let body = json!({
            "email": email.unwrap_or(persona.email),
            "password": password.unwrap_or(persona.password),
            "name": persona.name,
        });
        self.send(Request::new("POST", paths::REGISTER).json(body))
            .await;
    }

    /// Registers with a password one character too short.
    pub async fn register_with_short_password(&mut self, name: &str) {
        self.register(name, None, Some(SHORT_PASSWORD.to_owned()))
            .await;
    }

    /// Registers with a 64-character password of non-ASCII letters.
    pub async fn register_with_long_unicode_password(&mut self, name: &str) {
        let password: String = "Pässwörd-ümlaut-日本語-ключ-🔑"
            .chars()
            .cycle()
            .take(64)
            .collect();
        Self::secret(&password);
        self.person(name).persona.password = password.clone();
        self.register(name, None, Some(password)).await;
    }

    /// Registers with an email address that is not one.
    pub async fn register_with_invalid_email(&mut self, name: &str) {
        self.register(name, Some("not-an-email".to_owned()), None)
            .await;
    }

    /// Registers leaving the required name out.
    pub async fn register_without_name(&mut self, name: &str) {
        let persona = self.person(name).persona.clone();
        self.send(
            Request::new("POST", paths::REGISTER)
                .json(json!({"email": persona.email, "password": persona.password})),
        )
        .await;
    }

    /// Changes the password of `name` from `current` to `new`; on success the person's
    /// password follows.
    pub async fn change_password(
        &mut self,
        name: &str,
        current: Option<String>,
        new: Option<String>,
    ) {
        self.ensure_disposable(name);
        let token = self.access_token(name);
        let persona = self.person(name).persona.clone();
        let new = new.unwrap_or_else(spatialflow_conformance::harness::fixtures::generate_password);
        Self::secret(&new);
        let body = json!({"current_password": current.unwrap_or(persona.password.clone()), "new_password": new});
        self.send(
            Request::new("POST", paths::CHANGE_PASSWORD)
                .bearer(&token)
                .json(body),
        )
        .await;
        if self.last().response.status == 200 {
            let person = self.person(name);
            person.old_password = Some(std::mem::replace(&mut person.persona.password, new));
        }
    }

    /// Changes the password giving a wrong current one.
    pub async fn change_password_with_wrong_current(&mut self, name: &str) {
        let wrong = format!("{}-wrong", self.person(name).persona.password);
        self.change_password(name, Some(wrong), None).await;
    }

    /// Changes the password to one that is too short.
    pub async fn change_password_to_short(&mut self, name: &str) {
        self.change_password(name, None, Some(SHORT_PASSWORD.to_owned()))
            .await;
    }

    /// Calls the API-key check endpoint presenting a key as described.
    pub async fn check_api_key(&mut self, name: &str, how: KeyPresentation) {
        let request = Request::new("GET", paths::TEST_API_KEY);
        let request = match how {
            KeyPresentation::Header => {
                let key = self.person(name).api_key.clone().expect("an API key");
                request.header("X-API-KEY", key)
            }
            KeyPresentation::Missing => request,
            KeyPresentation::MadeUp => {
                request.header("X-API-KEY", format!("sf_{}", uuid::Uuid::new_v4().simple()))
            }
            KeyPresentation::WithoutPrefix => {
                let key = self.person(name).api_key.clone().expect("an API key");
                request.header("X-API-KEY", key.trim_start_matches("sf_").to_owned())
            }
            KeyPresentation::InQuery => {
                let key = self.person(name).api_key.clone().expect("an API key");
                Request::new("GET", format!("{}?api_key={key}", paths::TEST_API_KEY))
            }
            KeyPresentation::AccessToken => {
                let token = self.access_token(name);
                request.bearer(&token)
            }
        };
        self.send(request).await;
    }

    /// Calls the health check.
    pub async fn check_health(&mut self) {
        self.send(Request::new("GET", paths::HEALTH)).await;
    }
}
