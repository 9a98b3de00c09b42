//! Steps about the HTTP surface: retired endpoints, malformed input, unknown routes, the clock.

use cucumber::{given, when};

use crate::suite::world::AuthWorld;
use crate::suite::world::http::RetiredBody;

#[when(
    regex = r"^someone uses the retired password reset with (a complete request|an empty request|a malformed request)$"
)]
async fn uses_retired_reset(w: &mut AuthWorld, body: RetiredBody) {
    w.use_retired_reset(body).await;
}

#[when(regex = r"^someone sends a login that is not valid JSON$")]
async fn sends_malformed_login(w: &mut AuthWorld) {
    w.send_malformed_login().await;
}

#[when(regex = r"^someone calls an endpoint that does not exist$")]
async fn calls_unknown_route(w: &mut AuthWorld) {
    w.call_unknown_route().await;
}

#[when(regex = r"^someone uses the wrong method to log in$")]
async fn wrong_method(w: &mut AuthWorld) {
    w.call_login_with_wrong_method().await;
}

#[given(regex = r"^the server clock has moved forward by ([0-9]+) (minutes|hours)$")]
async fn clock_has_moved(w: &mut AuthWorld, amount: u64, unit: String) {
    w.advance_clock(amount * if unit == "hours" { 3600 } else { 60 })
        .await;
}

#[when(regex = r"^the server clock moves forward by ([0-9]+) (minutes|hours)$")]
async fn clock_moves(w: &mut AuthWorld, amount: u64, unit: String) {
    w.advance_clock(amount * if unit == "hours" { 3600 } else { 60 })
        .await;
}

#[when(regex = r"^someone sends a login as form data$")]
async fn sends_form_login(w: &mut AuthWorld) {
    w.send_form_login().await;
}
