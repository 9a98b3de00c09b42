//! How long refusals take: a refusal for an unknown email must not be told apart from one for
//! a wrong password by its time.

use serde_json::json;
use spatialflow_conformance::harness::Request;
use spatialflow_conformance::harness::checks::check_status;
use spatialflow_conformance::harness::fixtures::Persona;
use spatialflow_conformance::harness::timing::check_same_timing;

use super::{AuthWorld, paths, verify};

/// Pairs sent at once: enough to keep a slow server's round trips off the suite's critical path,
/// few enough not to queue far behind a server's hashing limit.
const PAIRS_AT_ONCE: usize = 5;

fn login(email: &str, password: &str) -> Request {
    Request::new("POST", paths::LOGIN).json(json!({"email": email, "password": password}))
}

impl AuthWorld {
    /// Logs in `attempts` times with `name`'s email and a wrong password and as many times with
    /// made-up addresses, a few pairs at a time so that both kinds meet the same load. A 429
    /// stops it: the server throttles logins, and the times are not compared (a warning says so).
    pub async fn time_refused_logins(&mut self, name: &str, attempts: usize) {
        let person = self.person(name).persona.clone();
        let wrong = format!("{}-wrong", person.password);
        let first = self.exchanges.len();
        let mut sent = 0;
        while sent < attempts {
            let pairs = PAIRS_AT_ONCE.min(attempts - sent);
            let requests = (0..pairs).flat_map(|_| {
                let stranger = Persona::generate();
                [
                    login(&person.email, &wrong),
                    login(&stranger.email, &stranger.password),
                ]
            });
            let client = &self.client;
            let answers = futures::future::join_all(requests.map(|r| client.send(r))).await;
            self.wire.mark_together(answers.len());
            for answer in answers {
                self.record(answer);
            }
            sent += pairs;
            self.timed_logins = first..self.exchanges.len();
            let timed = &self.exchanges[self.timed_logins.clone()];
            if timed.iter().any(|e| e.response.status == 429) {
                self.warnings.push(format!(
                    "login timing not compared: the server throttled the attempts (429) after \
                     {sent} of {attempts} pairs"
                ));
                return;
            }
        }
    }

    /// Compares the times of the refusals for `name`'s email with those for made-up addresses.
    pub fn expect_refusals_take_the_same_time(&mut self, name: &str) {
        let email = self.person(name).persona.email.clone();
        let timed = &self.exchanges[self.timed_logins.clone()];
        assert!(!timed.is_empty(), "no refused logins were timed");
        if timed.iter().any(|e| e.response.status == 429) {
            return; // throttled: the warning is already recorded
        }
        // Any refusal will do (the identical-answer scenario holds them to one status); 429 is
        // throttling, dealt with above.
        let refusals: Vec<u16> = (400..500).filter(|&s| s != 429).collect();
        let (mut known, mut unknown) = (Vec::new(), Vec::new());
        for exchange in timed {
            verify(check_status(exchange, &refusals));
            let for_her = exchange
                .request
                .json
                .as_ref()
                .and_then(|body| body.get("email"))
                .is_some_and(|e| e == email.as_str());
            if for_her {
                known.push(exchange.elapsed);
            } else {
                unknown.push(exchange.elapsed);
            }
        }
        verify(check_same_timing(
            ("wrong password", &known),
            ("unknown email", &unknown),
        ));
    }
}
