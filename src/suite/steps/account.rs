//! Steps about accounts: who exists, registration, passwords, API keys.

use cucumber::{given, then, when};

use crate::suite::world::AuthWorld;
use crate::suite::world::account::KeyPresentation;

#[given(regex = r"^([A-Z][a-z]+) has a verified account$")]
async fn has_verified_account(w: &mut AuthWorld, name: String) {
    w.given_verified_account(&name).await;
}

#[given(regex = r"^([A-Z][a-z]+) has an unverified account$")]
async fn has_unverified_account(w: &mut AuthWorld, name: String) {
    w.create_test_user(&name, false).await;
    w.forget_mail_so_far(&name).await;
}

#[given(regex = r"^([A-Z][a-z]+) has never registered$")]
async fn has_never_registered(w: &mut AuthWorld, name: String) {
    w.person(&name);
}

#[given(regex = r"^([A-Z][a-z]+) has an API key$")]
async fn has_api_key(w: &mut AuthWorld, name: String) {
    w.given_api_key(&name).await;
}

#[given(regex = r"^([A-Z][a-z]+)'s account has been deactivated$")]
async fn has_been_deactivated(w: &mut AuthWorld, name: String) {
    w.deactivate(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+)'s account is deactivated$")]
async fn is_deactivated(w: &mut AuthWorld, name: String) {
    w.deactivate(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) registers$")]
async fn registers(w: &mut AuthWorld, name: String) {
    w.register(&name, None, None).await;
}

#[when(regex = r"^([A-Z][a-z]+) registers with a too short password$")]
async fn registers_short_password(w: &mut AuthWorld, name: String) {
    w.register_with_short_password(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) registers with an invalid email address$")]
async fn registers_invalid_email(w: &mut AuthWorld, name: String) {
    w.register_with_invalid_email(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) registers without giving a name$")]
async fn registers_without_name(w: &mut AuthWorld, name: String) {
    w.register_without_name(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) changes (?:her|his|their) password$")]
async fn changes_password(w: &mut AuthWorld, name: String) {
    w.change_password(&name, None, None).await;
}

#[when(
    regex = r"^([A-Z][a-z]+) changes (?:her|his|their) password giving a wrong current password$"
)]
async fn changes_password_wrong_current(w: &mut AuthWorld, name: String) {
    w.change_password_with_wrong_current(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) changes (?:her|his|their) password to a too short one$")]
async fn changes_password_short(w: &mut AuthWorld, name: String) {
    w.change_password_to_short(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) checks (?:her|his|their) API key$")]
async fn checks_api_key(w: &mut AuthWorld, name: String) {
    w.check_api_key(&name, KeyPresentation::Header).await;
}

#[when(
    regex = r"^([A-Z][a-z]+) checks (?:her|his|their) API key (in the query string|without the sf_ prefix)$"
)]
async fn checks_api_key_oddly(w: &mut AuthWorld, name: String, how: KeyPresentation) {
    w.check_api_key(&name, how).await;
}

#[when(regex = r"^([A-Z][a-z]+) checks an API key (with an access token instead)$")]
async fn checks_api_key_with_jwt(w: &mut AuthWorld, name: String, how: KeyPresentation) {
    w.check_api_key(&name, how).await;
}

#[when(regex = r"^someone checks an API key (without sending one|with a made-up key)$")]
async fn stranger_checks_api_key(w: &mut AuthWorld, how: KeyPresentation) {
    w.check_api_key("someone", how).await;
}

#[when(regex = r"^someone checks the service health$")]
async fn checks_health(w: &mut AuthWorld) {
    w.check_health().await;
}

#[then(regex = r"^the answer shows ([A-Za-z]+?)(?:'s)? profile$")]
async fn shows_profile(w: &mut AuthWorld, name: String) {
    w.expect_profile_of(&name);
}

#[when(regex = r"^([A-Z][a-z]+) registers with a 64-character unicode password$")]
async fn registers_long_unicode_password(w: &mut AuthWorld, name: String) {
    w.register_with_long_unicode_password(&name).await;
}
