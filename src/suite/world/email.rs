//! Flows that go through the mailbox: password reset and email verification.

use serde_json::json;
use spatialflow_conformance::harness::Request;
use spatialflow_conformance::harness::checks::{check_json_equals, check_status};
use spatialflow_conformance::harness::fixtures::{Persona, SHORT_PASSWORD, generate_password};

use super::{AuthWorld, paths, verify};

/// Which endpoint requests a reset email.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetRoute {
    /// `forgot-password`.
    Original,
    /// `password-reset`, its alias.
    Alias,
}

impl ResetRoute {
    fn path(self) -> &'static str {
        match self {
            Self::Original => paths::FORGOT_PASSWORD,
            Self::Alias => paths::PASSWORD_RESET_ALIAS,
        }
    }
}

/// Which kind of email a step waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    /// "Reset your SpatialFlow password".
    Reset,
    /// "Verify your SpatialFlow email address".
    Verification,
}

impl std::str::FromStr for MailKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "password reset" => Ok(Self::Reset),
            "verification" => Ok(Self::Verification),
            other => Err(format!("unknown email kind {other:?}")),
        }
    }
}

impl MailKind {
    fn subject(self) -> &'static str {
        match self {
            Self::Reset => "reset",
            Self::Verification => "verify",
        }
    }
}

/// The two documented forms of the verification link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyForm {
    /// `verify-email?token=...`
    Query,
    /// `verify-email/{token}`
    Path,
}

impl std::str::FromStr for VerifyForm {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "query" => Ok(Self::Query),
            "path" => Ok(Self::Path),
            other => Err(format!("unknown verification form {other:?}")),
        }
    }
}

impl AuthWorld {
    /// Asks for a reset email for `email` through `route`.
    pub async fn request_reset_for(&mut self, email: &str, route: ResetRoute) {
        self.send(Request::new("POST", route.path()).json(json!({"email": email})))
            .await;
    }

    /// Asks for a reset email for the person.
    pub async fn request_reset(&mut self, name: &str, route: ResetRoute) {
        let email = self.person(name).persona.email.clone();
        self.request_reset_for(&email, route).await;
    }

    /// Asks for a reset email for an address nobody registered.
    pub async fn request_reset_for_stranger(&mut self, route: ResetRoute) {
        let email = Persona::generate().email;
        self.request_reset_for(&email, route).await;
    }

    /// Marks every email the person has received so far as seen, so that "receives an email"
    /// only accepts one that a later request caused (an unverified account's sign-up email would
    /// otherwise pass for a resent one). Nothing to do on a target without a mailbox.
    pub async fn forget_mail_so_far(&mut self, name: &str) {
        if !self.ctx.capabilities.mailbox {
            return;
        }
        let email = self.person(name).persona.email.clone();
        let ids = match self.mailbox.ids_for(&email).await {
            Ok(ids) => ids,
            Err(err) => panic!("{err:#}"),
        };
        self.person(name).seen_mail.extend(ids);
    }

    /// Waits for a new email of `kind` to the person and keeps its token.
    pub async fn receive_email(&mut self, name: &str, kind: MailKind) {
        let person = self.person(name).clone();
        let message = match self
            .mailbox
            .wait_for(&person.persona.email, kind.subject(), &person.seen_mail)
            .await
        {
            Ok(m) => m,
            Err(err) => panic!("{err:#}"),
        };
        let token = message
            .token()
            .expect("the email carries a link with a token");
        Self::secret(&token);
        let person = self.person(name);
        person.seen_mail.push(message.id);
        person.emailed_token = Some(token);
    }

    /// Confirms a reset with `token` and `password`; on success the person's password follows.
    pub async fn confirm_reset(&mut self, name: &str, token: String, password: Option<String>) {
        let new = password.unwrap_or_else(generate_password);
        Self::secret(&new);
        self.send(
            Request::new("POST", paths::CONFIRM_RESET)
                .json(json!({"token": token, "password": new})),
        )
        .await;
        if self.last().response.status == 200 {
            let person = self.person(name);
            person.old_password = Some(std::mem::replace(&mut person.persona.password, new));
        }
    }

    /// Confirms a reset with the emailed token and a fresh password.
    pub async fn confirm_reset_with_emailed_token(&mut self, name: &str) {
        let token = self
            .person(name)
            .emailed_token
            .clone()
            .expect("a reset email first");
        self.confirm_reset(name, token, None).await;
    }

    /// Confirms a reset with the emailed token and a too short password.
    pub async fn confirm_reset_with_short_password(&mut self, name: &str) {
        let token = self
            .person(name)
            .emailed_token
            .clone()
            .expect("a reset email first");
        self.confirm_reset(name, token, Some(SHORT_PASSWORD.to_owned()))
            .await;
    }

    /// Confirms a reset with a token nobody issued.
    pub async fn confirm_reset_with_made_up_token(&mut self, name: &str) {
        let token = format!("made-up-{}", uuid::Uuid::new_v4().simple());
        self.confirm_reset(name, token, None).await;
    }

    /// Asks for a verification email as the signed-in person.
    pub async fn resend_verification(&mut self, name: &str) {
        let token = self.access_token(name);
        self.send(Request::new("POST", paths::RESEND_VERIFICATION).bearer(&token))
            .await;
    }

    /// Asks for a verification email for `email`, unauthenticated.
    pub async fn resend_verification_email_for(&mut self, email: &str) {
        self.send(
            Request::new("POST", paths::RESEND_VERIFICATION_EMAIL).json(json!({"email": email})),
        )
        .await;
    }

    /// Asks `times` times for a verification email to the person's address, each answered 200.
    pub async fn resend_verification_email_times(&mut self, name: &str, times: usize) {
        let email = self.person(name).persona.email.clone();
        for _ in 0..times {
            self.resend_verification_email_for(&email).await;
            verify(check_status(self.last(), &[200]));
        }
    }

    /// Verifies the person's email with `token` in the given form.
    pub async fn verify_email_with(&mut self, token: &str, form: VerifyForm) {
        let path = match form {
            VerifyForm::Query => format!("{}?token={token}", paths::VERIFY_EMAIL),
            VerifyForm::Path => format!("{}/{token}", paths::VERIFY_EMAIL),
        };
        self.send(Request::new("GET", path)).await;
    }

    /// Verifies with the emailed token.
    pub async fn verify_email(&mut self, name: &str, form: VerifyForm) {
        let token = self
            .person(name)
            .emailed_token
            .clone()
            .expect("a verification email first");
        self.verify_email_with(&token, form).await;
    }

    /// Checks `/me` reports the person's email as verified.
    pub async fn expect_email_verified(&mut self, name: &str) {
        self.ensure_logged_in(name).await;
        self.call_protected(name, super::session::Protected::WhoAmI)
            .await;
        verify(check_json_equals(
            self.last(),
            "/emailVerified",
            &json!(true),
        ));
    }
}
