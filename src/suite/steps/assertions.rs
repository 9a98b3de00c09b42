//! Generic assertions about the latest answer.

use cucumber::then;

use crate::suite::world::AuthWorld;
use crate::suite::world::checks::Told;

#[then(regex = r"^(?:she|he|they|someone) (?:is|are) told (.+)$")]
async fn is_told(w: &mut AuthWorld, told: Told) {
    w.expect_told(told);
}

#[then(regex = r#"^the answer matches the snapshot "([a-z0-9_]+)"$"#)]
async fn matches_snapshot(w: &mut AuthWorld, name: String) {
    w.expect_snapshot(&name);
}

#[then(regex = r"^the answer is marked as deprecated$")]
async fn is_deprecated(w: &mut AuthWorld) {
    w.expect_deprecated();
}

#[then(regex = r"^the answer says when to retry$")]
async fn says_when_to_retry(w: &mut AuthWorld) {
    w.expect_retry_after();
}

#[then(regex = r"^both answers are the same$")]
async fn answers_are_the_same(w: &mut AuthWorld) {
    w.expect_same_answers();
}

#[then(regex = r"^the answer is JSON$")]
async fn answer_is_json(w: &mut AuthWorld) {
    w.expect_json();
}

#[then(regex = r"^the answer reveals no password$")]
async fn reveals_no_password(w: &mut AuthWorld) {
    w.expect_no_secrets();
}

#[then(regex = r"^the answer asks for a bearer token$")]
async fn asks_for_bearer(w: &mut AuthWorld) {
    w.expect_bearer_challenge();
}

#[then(regex = r"^the answer may be neither cached nor sniffed$")]
async fn no_store_no_sniff(w: &mut AuthWorld) {
    w.expect_no_store_no_sniff();
}

#[then(regex = r"^the answer lists the allowed methods$")]
async fn lists_allowed_methods(w: &mut AuthWorld) {
    w.expect_allow_header();
}

#[then(regex = r"^the answer points to its successor$")]
async fn points_to_successor(w: &mut AuthWorld) {
    w.expect_successor_link();
}

#[then(regex = r"^the answer says when the endpoint will be removed$")]
async fn announces_sunset(w: &mut AuthWorld) {
    w.expect_sunset();
}
