//! Steps about sessions: login, refresh, logout and authenticated reads.

use cucumber::{given, then, when};

use crate::suite::world::AuthWorld;
use crate::suite::world::session::{BadCredential, Protected, TokenSelection};

#[given(regex = r"^([A-Z][a-z]+) is logged in$")]
async fn is_logged_in(w: &mut AuthWorld, name: String) {
    w.ensure_logged_in(&name).await;
}

#[given(regex = r"^([A-Z][a-z]+) has logged in twice$")]
async fn has_logged_in_twice(w: &mut AuthWorld, name: String) {
    w.ensure_logged_in(&name).await;
    w.ensure_logged_in(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) logs in with (?:her|his|their) password$")]
async fn logs_in(w: &mut AuthWorld, name: String) {
    w.log_in(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) logs in with a wrong password$")]
async fn logs_in_wrong_password(w: &mut AuthWorld, name: String) {
    w.log_in_with_wrong_password(&name).await;
}

#[when(regex = r"^([A-Z][a-z]+) logs in without a password$")]
async fn logs_in_without_password(w: &mut AuthWorld, name: String) {
    w.log_in_without_password(&name).await;
}

#[when(regex = r"^someone logs in with an unknown email address$")]
async fn stranger_logs_in(w: &mut AuthWorld) {
    w.log_in_as_stranger().await;
}

#[when(regex = r"^([A-Z][a-z]+) asks who (?:she|he|they) (?:is|are)$")]
async fn asks_who_she_is(w: &mut AuthWorld, name: String) {
    w.call_protected(&name, Protected::WhoAmI).await;
}

#[when(regex = r"^([A-Z][a-z]+) checks (?:her|his|their) access token$")]
async fn checks_access_token(w: &mut AuthWorld, name: String) {
    w.call_protected(&name, Protected::CheckAccessToken).await;
}

#[when(regex = r"^([A-Z][a-z]+) reads (?:her|his|their) feature flags$")]
async fn reads_feature_flags(w: &mut AuthWorld, name: String) {
    w.call_protected(&name, Protected::FeatureFlags).await;
}

#[when(regex = r"^([A-Z][a-z]+) logs out$")]
async fn logs_out(w: &mut AuthWorld, name: String) {
    w.log_out(&name).await;
}

#[when(
    regex = r"^([A-Z][a-z]+) tries to (.+?) (without credentials|with a malformed token|with a tampered token|with an unsigned token|with (?:her|his|their) refresh token|with (?:her|his|their) API key)$"
)]
async fn tries_with_bad_credential(
    w: &mut AuthWorld,
    name: String,
    op: Protected,
    credential: BadCredential,
) {
    w.call_protected_with(&name, op, credential).await;
}

#[when(
    regex = r"^([A-Z][a-z]+) refreshes (?:her|his|their) session with (?:her|his|their) refresh token$"
)]
async fn refreshes_with_body(w: &mut AuthWorld, name: String) {
    w.refresh_with_body(&name).await;
}

#[when(
    regex = r"^([A-Z][a-z]+) refreshes (?:her|his|their) session using only (?:her|his|their) cookie$"
)]
async fn refreshes_from_cookie(w: &mut AuthWorld, name: String) {
    w.refresh_from_cookie(&name).await;
}

#[when(
    regex = r"^([A-Z][a-z]+) refreshes (?:her|his|their) session with (?:her|his|their) previous refresh token$"
)]
async fn refreshes_with_previous(w: &mut AuthWorld, name: String) {
    w.refresh_with_previous(&name).await;
}

#[when(
    regex = r"^([A-Z][a-z]+) refreshes (?:her|his|their) session with (?:her|his|their) access token$"
)]
async fn refreshes_with_access_token(w: &mut AuthWorld, name: String) {
    w.refresh_with_access_token(&name).await;
}

#[when(regex = r"^someone refreshes a session with a made-up refresh token$")]
async fn refreshes_made_up(w: &mut AuthWorld) {
    w.refresh_with_made_up_token().await;
}

#[when(regex = r"^someone refreshes a session without any refresh token$")]
async fn refreshes_with_nothing(w: &mut AuthWorld) {
    w.refresh_with_nothing().await;
}

#[then(regex = r"^(?:she|he|they) receives? a new session$")]
async fn receives_session(w: &mut AuthWorld) {
    w.expect_session();
}

#[then(regex = r"^the session belongs to ([A-Z][a-z]+)$")]
async fn session_belongs_to(w: &mut AuthWorld, name: String) {
    w.expect_session_user(&name);
}

#[then(regex = r"^the session is also set in HttpOnly cookies$")]
async fn session_in_cookies(w: &mut AuthWorld) {
    w.expect_http_only_cookies();
}

#[then(regex = r"^the session cookies are Secure and SameSite$")]
async fn cookies_hardened(w: &mut AuthWorld) {
    w.expect_hardened_cookies();
}

#[then(regex = r"^(her|his|their) session cookies are cleared$")]
async fn cookies_cleared(w: &mut AuthWorld, who: String) {
    w.expect_cookies_cleared(&who);
}

#[then(regex = r"^(her|his|their) (?:new )?access token works$")]
async fn access_token_works(w: &mut AuthWorld, who: String) {
    w.expect_access_token_works(&who, true).await;
}

#[then(regex = r"^(her|his|their) access token no longer works$")]
async fn access_token_dead(w: &mut AuthWorld, who: String) {
    w.expect_access_token_works(&who, false).await;
}

#[then(regex = r"^(her|his|their) previous refresh token no longer works$")]
async fn previous_refresh_dead(w: &mut AuthWorld, who: String) {
    w.expect_refresh_tokens_dead(&who, TokenSelection::Previous)
        .await;
}

#[then(regex = r"^none of (her|his|their) refresh tokens works? any more$")]
async fn all_refresh_dead(w: &mut AuthWorld, who: String) {
    w.expect_refresh_tokens_dead(&who, TokenSelection::All)
        .await;
}

#[then(regex = r"^(she|he|they) can log in with (?:her|his|their) (?:new )?password$")]
async fn can_log_in(w: &mut AuthWorld, who: String) {
    w.ensure_logged_in(&who).await;
}

#[then(regex = r"^(she|he|they) can still log in with (?:her|his|their) password$")]
async fn can_still_log_in(w: &mut AuthWorld, who: String) {
    w.ensure_logged_in(&who).await;
}

#[then(regex = r"^(she|he|they) can no longer log in with (?:her|his|their) old password$")]
async fn old_password_dead(w: &mut AuthWorld, who: String) {
    w.expect_old_password_refused(&who).await;
}

#[then(regex = r"^(her|his|their) latest refresh token no longer works$")]
async fn latest_refresh_dead(w: &mut AuthWorld, who: String) {
    w.expect_refresh_tokens_dead(&who, TokenSelection::Latest)
        .await;
}

#[when(
    regex = r"^([A-Z][a-z]+) refreshes (?:her|his|their) session using only (?:her|his|their) cookie from another site$"
)]
async fn refreshes_cross_site(w: &mut AuthWorld, name: String) {
    w.refresh_from_cookie_cross_site(&name).await;
}

#[then(regex = r"^(her|his|their) two sessions have different tokens$")]
async fn sessions_distinct(w: &mut AuthWorld, who: String) {
    w.expect_distinct_sessions(&who);
}

#[when(
    regex = r"^([A-Z][a-z]+) and strangers log in with wrong passwords ([0-9]+) times each, side by side$"
)]
async fn timed_refusals(w: &mut AuthWorld, name: String, attempts: usize) {
    w.time_refused_logins(&name, attempts).await;
}

#[then(regex = r"^refusing ([A-Za-z]+?) takes as long as refusing a stranger$")]
async fn refusals_take_the_same_time(w: &mut AuthWorld, name: String) {
    w.expect_refusals_take_the_same_time(&name);
}
