//! Login, refresh, logout and the authenticated reads.

use serde_json::json;
use spatialflow_conformance::harness::Request;
use spatialflow_conformance::harness::checks::{check_json_present, check_status};

use super::{AuthWorld, paths, verify};

/// A credential that must not authenticate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadCredential {
    /// Nothing at all.
    Missing,
    /// Not a JWT.
    Malformed,
    /// The person's JWT with its signature altered.
    Tampered,
    /// A JWT with `alg: none`.
    Unsigned,
    /// The person's refresh token sent as a bearer token.
    RefreshToken,
    /// The person's API key sent as a bearer token.
    ApiKey,
}

impl std::str::FromStr for BadCredential {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim_start_matches("with ");
        Ok(match s {
            "without credentials" | "no credentials" => Self::Missing,
            "a malformed token" => Self::Malformed,
            "a tampered token" => Self::Tampered,
            "an unsigned token" => Self::Unsigned,
            "her refresh token" | "his refresh token" | "a refresh token" => Self::RefreshToken,
            "her API key" | "his API key" | "an API key" => Self::ApiKey,
            other => return Err(format!("unknown credential {other:?}")),
        })
    }
}

/// Which of a person's refresh tokens a check is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenSelection {
    /// The one issued before the latest.
    Previous,
    /// The latest.
    Latest,
    /// Every one issued in the scenario.
    All,
}

/// An operation that needs a signed-in user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protected {
    /// GET /me
    WhoAmI,
    /// GET /test-auth
    CheckAccessToken,
    /// GET /feature-flags
    FeatureFlags,
    /// POST /logout
    Logout,
    /// POST /change-password
    ChangePassword,
    /// POST /resend-verification
    ResendVerification,
}

impl std::str::FromStr for Protected {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s
            .replace(" her ", " their ")
            .replace(" his ", " their ")
            .replace("who she is", "who they are")
            .replace("who he is", "who they are");
        Ok(match s.as_str() {
            "ask who they are" => Self::WhoAmI,
            "check their access token" => Self::CheckAccessToken,
            "read their feature flags" => Self::FeatureFlags,
            "log out" => Self::Logout,
            "change their password" => Self::ChangePassword,
            "ask for a new verification email" => Self::ResendVerification,
            other => return Err(format!("unknown protected operation {other:?}")),
        })
    }
}

impl Protected {
    fn request(self, password: &str) -> Request {
        match self {
            Self::WhoAmI => Request::new("GET", paths::ME),
            Self::CheckAccessToken => Request::new("GET", paths::TEST_AUTH),
            Self::FeatureFlags => Request::new("GET", paths::FEATURE_FLAGS),
            Self::Logout => Request::new("POST", paths::LOGOUT),
            Self::ChangePassword => Request::new("POST", paths::CHANGE_PASSWORD).json(
                json!({"current_password": password, "new_password": format!("{password}-new")}),
            ),
            Self::ResendVerification => Request::new("POST", paths::RESEND_VERIFICATION),
        }
    }
}

impl AuthWorld {
    /// Logs `name` in with the current password and keeps the session.
    pub async fn log_in(&mut self, name: &str) {
        let password = self.person(name).persona.password.clone();
        self.post_login(name, Some(password)).await;
        self.keep_session(name);
    }

    /// Logs `name` in and insists that it worked (setup).
    pub async fn ensure_logged_in(&mut self, name: &str) {
        self.log_in(name).await;
        verify(check_status(self.last(), &[200]));
        verify(check_json_present(self.last(), "/access_token"));
    }

    /// Logs in with a password other than the person's.
    pub async fn log_in_with_wrong_password(&mut self, name: &str) {
        let wrong = format!("{}-wrong", self.person(name).persona.password);
        self.post_login(name, Some(wrong)).await;
    }

    /// Logs in with an email nobody registered.
    pub async fn log_in_as_stranger(&mut self) {
        let stranger = spatialflow_conformance::harness::fixtures::Persona::generate();
        self.send(
            Request::new("POST", paths::LOGIN)
                .json(json!({"email": stranger.email, "password": stranger.password})),
        )
        .await;
    }

    /// Logs in leaving the password out of the request.
    pub async fn log_in_without_password(&mut self, name: &str) {
        self.post_login(name, None).await;
    }

    /// Performs `op` as `name` with the person's access token.
    pub async fn call_protected(&mut self, name: &str, op: Protected) {
        let token = self.access_token(name);
        let password = self.person(name).persona.password.clone();
        self.send(op.request(&password).bearer(&token)).await;
    }

    /// Performs `op` presenting `credential` instead of a valid access token.
    pub async fn call_protected_with(
        &mut self,
        name: &str,
        op: Protected,
        credential: BadCredential,
    ) {
        let password = self.person(name).persona.password.clone();
        let request = op.request(&password);
        let request = match credential {
            BadCredential::Missing => request,
            BadCredential::Malformed => request.bearer("not-a-jwt"),
            BadCredential::Tampered => {
                let token = self.access_token(name);
                request.bearer(&tamper(&token))
            }
            BadCredential::Unsigned => {
                let token = self.access_token(name);
                request.bearer(&unsign(&token))
            }
            BadCredential::RefreshToken => {
                let token = self
                    .person(name)
                    .refresh_tokens
                    .last()
                    .cloned()
                    .expect("logged in");
                request.bearer(&token)
            }
            BadCredential::ApiKey => {
                let key = self.person(name).api_key.clone().expect("an API key");
                request.bearer(&key)
            }
        };
        self.send(request).await;
    }

    /// Refreshes with the person's latest refresh token in the body.
    pub async fn refresh_with_body(&mut self, name: &str) {
        let token = self
            .person(name)
            .refresh_tokens
            .last()
            .cloned()
            .expect("logged in");
        self.send(Request::new("POST", paths::REFRESH).json(json!({"refresh_token": token})))
            .await;
        self.keep_session(name);
    }

    /// Refreshes with no body: the refresh token travels only in the login cookie. The jar
    /// sends it when it holds it; otherwise the cookie captured from login is sent explicitly.
    pub async fn refresh_from_cookie(&mut self, name: &str) {
        let cookies = self.person(name).session_cookies.clone();
        assert!(!cookies.is_empty(), "login set no cookies to refresh from");
        let request = Request::new("POST", paths::REFRESH);
        let request = if self.client.jar_cookies().is_some() {
            request
        } else {
            let pairs: Vec<String> = cookies.iter().map(|c| c.pair()).collect();
            request.header("Cookie", pairs.join("; "))
        };
        self.send(request).await;
        self.keep_session(name);
    }

    /// Refreshes with the refresh token issued before the latest one.
    pub async fn refresh_with_previous(&mut self, name: &str) {
        let tokens = self.person(name).refresh_tokens.clone();
        assert!(tokens.len() >= 2, "a rotation must have happened first");
        let token = tokens[tokens.len() - 2].clone();
        self.send(Request::new("POST", paths::REFRESH).json(json!({"refresh_token": token})))
            .await;
    }

    /// Refreshes with a token the server never issued.
    pub async fn refresh_with_made_up_token(&mut self) {
        let token = format!("made-up-{}", uuid::Uuid::new_v4().simple());
        self.send(Request::new("POST", paths::REFRESH).json(json!({"refresh_token": token})))
            .await;
    }

    /// Refreshes presenting the access token as a refresh token.
    pub async fn refresh_with_access_token(&mut self, name: &str) {
        let token = self.access_token(name);
        self.send(Request::new("POST", paths::REFRESH).json(json!({"refresh_token": token})))
            .await;
    }

    /// Refreshes with neither body nor cookie (a fresh client).
    pub async fn refresh_with_nothing(&mut self) {
        let fresh = self.client.with_fresh_jar();
        let previous = std::mem::replace(&mut self.client, fresh);
        self.send(Request::new("POST", paths::REFRESH)).await;
        self.client = previous;
    }

    /// Logs out with the person's access token.
    pub async fn log_out(&mut self, name: &str) {
        self.call_protected(name, Protected::Logout).await;
    }

    /// Checks each refresh token the person ever had is refused; stops at the first that works.
    pub async fn expect_refresh_tokens_dead(&mut self, name: &str, which: TokenSelection) {
        let tokens = self.person(name).refresh_tokens.clone();
        let tokens: Vec<String> = match which {
            TokenSelection::Previous => tokens.iter().rev().skip(1).take(1).cloned().collect(),
            TokenSelection::Latest => tokens.last().cloned().into_iter().collect(),
            TokenSelection::All => tokens,
        };
        assert!(!tokens.is_empty(), "no refresh token to try");
        for token in tokens {
            self.send(Request::new("POST", paths::REFRESH).json(json!({"refresh_token": token})))
                .await;
            verify(check_status(self.last(), &[401]));
        }
    }

    /// Refreshes from the cookie alone, as a page on another site would make the browser do.
    pub async fn refresh_from_cookie_cross_site(&mut self, name: &str) {
        let cookies = self.person(name).session_cookies.clone();
        assert!(!cookies.is_empty(), "login set no cookies to refresh from");
        let pairs: Vec<String> = cookies.iter().map(|c| c.pair()).collect();
        let request = Request::new("POST", paths::REFRESH).header("Origin", "https://evil.example");
        let request = if self.client.jar_cookies().is_some() {
            request
        } else {
            request.header("Cookie", pairs.join("; "))
        };
        self.send(request).await;
    }

    /// Checks the person's logins produced pairwise different access and refresh tokens.
    pub fn expect_distinct_sessions(&mut self, name: &str) {
        let refresh = self.person(name).refresh_tokens.clone();
        assert!(refresh.len() >= 2, "two logins are needed");
        let mut unique = refresh.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            refresh.len(),
            "fresh tokens check failed at /refresh_token\n  expected: a new refresh token per login\n  actual:   a token was issued twice"
        );
    }

    /// Checks the password from before the last change is refused.
    pub async fn expect_old_password_refused(&mut self, name: &str) {
        let old = self
            .person(name)
            .old_password
            .clone()
            .expect("the password must have changed");
        self.post_login(name, Some(old)).await;
        verify(check_status(self.last(), &[400, 401]));
    }

    /// Checks the latest access token authenticates a read.
    pub async fn expect_access_token_works(&mut self, name: &str, works: bool) {
        self.call_protected(name, Protected::WhoAmI).await;
        verify(check_status(
            self.last(),
            if works { &[200] } else { &[401] },
        ));
    }
}

/// The token with its signature's last characters changed.
fn tamper(token: &str) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    if let Some(last) = chars.iter_mut().rev().nth(2) {
        *last = if *last == 'A' { 'B' } else { 'A' };
    }
    chars.into_iter().collect()
}

/// The token's claims re-sent under `alg: none` with an empty signature.
fn unsign(token: &str) -> String {
    use base64::Engine as _;
    let header =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let claims = token.split('.').nth(1).unwrap_or_default();
    format!("{header}.{claims}.")
}
