//! Steps about flows that go through the mailbox: password reset and email verification.

use cucumber::{given, then, when};

use crate::suite::world::AuthWorld;
use crate::suite::world::email::{MailKind, ResetRoute, VerifyForm};

#[when(regex = r"^([A-Z][a-z]+) asks for a password reset$")]
async fn asks_reset(w: &mut AuthWorld, name: String) {
    w.request_reset(&name, ResetRoute::Original).await;
}

#[when(regex = r"^([A-Z][a-z]+) asks for a password reset through the alias$")]
async fn asks_reset_alias(w: &mut AuthWorld, name: String) {
    w.request_reset(&name, ResetRoute::Alias).await;
}

#[when(regex = r"^someone asks for a password reset for an unknown address$")]
async fn asks_reset_unknown(w: &mut AuthWorld) {
    w.request_reset_for_stranger(ResetRoute::Original).await;
}

#[when(regex = r"^someone asks for a password reset through the alias for an unknown address$")]
async fn asks_reset_alias_unknown(w: &mut AuthWorld) {
    w.request_reset_for_stranger(ResetRoute::Alias).await;
}

#[when(regex = r"^someone asks for a password reset for an invalid email address$")]
async fn asks_reset_invalid(w: &mut AuthWorld) {
    w.request_reset_for("not-an-email", ResetRoute::Original)
        .await;
}

#[when(
    regex = r"^someone asks for a password reset through the alias for an invalid email address$"
)]
async fn asks_reset_alias_invalid(w: &mut AuthWorld) {
    w.request_reset_for("not-an-email", ResetRoute::Alias).await;
}

#[given(regex = r"^([A-Z][a-z]+) has received a (password reset|verification) email$")]
async fn has_received_email(w: &mut AuthWorld, name: String, kind: MailKind) {
    w.receive_email(&name, kind).await;
}

#[then(regex = r"^([A-Z][a-z]+) receives a (password reset|verification) email$")]
async fn receives_email(w: &mut AuthWorld, name: String, kind: MailKind) {
    w.receive_email(&name, kind).await;
}

#[when(regex = r"^([A-Z][a-z]+) sets a new password with the emailed token$")]
async fn sets_password_with_token(w: &mut AuthWorld, name: String) {
    w.confirm_reset_with_emailed_token(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) sets another new password with the same token$")]
async fn sets_password_with_same_token(w: &mut AuthWorld, name: String) {
    w.confirm_reset_with_emailed_token(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) sets a too short password with the emailed token$")]
async fn sets_short_password_with_token(w: &mut AuthWorld, name: String) {
    w.confirm_reset_with_short_password(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) sets a new password with a made-up token$")]
async fn sets_password_with_made_up_token(w: &mut AuthWorld, name: String) {
    w.confirm_reset_with_made_up_token(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) asks for a new verification email$")]
async fn asks_verification(w: &mut AuthWorld, name: String) {
    w.resend_verification(&name).await;
}

#[when(regex = r"^someone asks for a new verification email for ([A-Z][a-z]+)'s address$")]
async fn asks_verification_for(w: &mut AuthWorld, name: String) {
    let email = w.person(&name).persona.email.clone();
    w.resend_verification_email_for(&email).await;
}

#[when(
    regex = r"^someone asks for a new verification email for ([A-Z][a-z]+)'s address in upper case$"
)]
async fn asks_verification_for_upper(w: &mut AuthWorld, name: String) {
    let email = w.person(&name).persona.email.to_uppercase();
    w.resend_verification_email_for(&email).await;
}

#[when(regex = r"^someone asks for a new verification email for an unknown address$")]
async fn asks_verification_unknown(w: &mut AuthWorld) {
    let email = w.person("Nobody").persona.email.clone();
    w.resend_verification_email_for(&email).await;
}

#[when(regex = r"^someone asks for a new verification email for an invalid email address$")]
async fn asks_verification_invalid(w: &mut AuthWorld) {
    w.resend_verification_email_for("not-an-email").await;
}

#[given(
    regex = r"^someone has asked for a new verification email for ([A-Z][a-z]+)'s address ([0-9]+) times$"
)]
async fn has_asked_verification_times(w: &mut AuthWorld, name: String, times: usize) {
    w.resend_verification_email_times(&name, times).await;
}

#[when(
    regex = r"^([A-Z][a-z]+) verifies (?:her|his|their) email with the emailed token in the (query|path) form$"
)]
async fn verifies_email(w: &mut AuthWorld, name: String, form: VerifyForm) {
    w.verify_email(&name, form).await;
}

#[when(regex = r"^someone verifies an email with a made-up token in the (query|path) form$")]
async fn verifies_made_up(w: &mut AuthWorld, form: VerifyForm) {
    w.verify_email_with(&format!("made-up-{}", uuid::Uuid::new_v4().simple()), form)
        .await;
}

#[then(regex = r"^([A-Za-z]+?)(?:'s)? email address is verified$")]
async fn email_is_verified(w: &mut AuthWorld, name: String) {
    w.expect_email_verified(&name).await;
}

#[given(regex = r"^([A-Z][a-z]+) has asked for a password reset$")]
async fn has_asked_reset(w: &mut AuthWorld, name: String) {
    w.request_reset(&name, ResetRoute::Original).await;
}

#[given(regex = r"^someone has asked for a new verification email for ([A-Z][a-z]+)'s address$")]
async fn has_asked_verification_for(w: &mut AuthWorld, name: String) {
    w.resend_verification_email_times(&name, 1).await;
}
