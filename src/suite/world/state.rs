//! The World's state: the scenario's client, people and recorded exchanges.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::paths;
use cucumber::World;
use serde_json::json;
use spatialflow_conformance::harness::checks::describe;
use spatialflow_conformance::harness::cookies::SetCookie;
use spatialflow_conformance::harness::fixtures::Persona;
use spatialflow_conformance::harness::mailbox::Mailbox;
use spatialflow_conformance::harness::redact::{Secrets, redact};
use spatialflow_conformance::harness::schema::check_response_schema;
use spatialflow_conformance::harness::wire::{WireLog, WireRecord};
use spatialflow_conformance::harness::{
    ApiClient, CheckResult, Exchange, Request, RunContext, SuiteWorld,
};

/// Someone a scenario talks about.
#[derive(Debug, Clone)]
pub struct Person {
    /// Name, email and current password.
    pub persona: Persona,
    /// The password before the last change, if any.
    pub old_password: Option<String>,
    /// Whether this is the shared QA account (never mutated).
    pub qa_account: bool,
    /// Latest access token.
    pub access_token: Option<String>,
    /// Every refresh token issued to this person in the scenario, oldest first.
    pub refresh_tokens: Vec<String>,
    /// Cookies set by the latest login.
    pub session_cookies: Vec<SetCookie>,
    /// An `sf_` API key.
    pub api_key: Option<String>,
    /// Token from the latest email (reset or verification link).
    pub emailed_token: Option<String>,
    /// IDs of emails already consumed.
    pub seen_mail: Vec<String>,
}

impl Person {
    fn new(persona: Persona) -> Self {
        Self {
            persona,
            old_password: None,
            qa_account: false,
            access_token: None,
            refresh_tokens: Vec::new(),
            session_cookies: Vec::new(),
            api_key: None,
            emailed_token: None,
            seen_mail: Vec::new(),
        }
    }
}

/// The cucumber World of the conformance suite.
#[derive(World)]
#[world(init = Self::new)]
pub struct AuthWorld {
    /// Run-level context (target, capabilities, strictness).
    pub ctx: Arc<RunContext>,
    /// This scenario's client and cookie jar.
    pub client: ApiClient,
    /// The mailbox adapter.
    pub mailbox: Mailbox,
    /// People by name.
    pub people: BTreeMap<String, Person>,
    /// The person most recently named ("she" in the next step).
    pub current: Option<String>,
    /// Every exchange, in order.
    pub exchanges: Vec<Exchange>,
    /// Non-failing remarks (snapshot differences against a foreign target).
    pub warnings: Vec<String>,
    /// Which of `exchanges` were timed refusals (see `time_refused_logins`).
    pub timed_logins: std::ops::Range<usize>,
    /// Every exchange with the API and the mailbox, for `bench`'s replay (off unless recording).
    pub wire: WireLog,
    /// When the scenario started.
    pub started: std::time::Instant,
}

/// cucumber prints the World with `-vv` when a step fails: everything goes through redaction.
impl std::fmt::Debug for AuthWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[derive(Debug)]
        #[allow(dead_code)] // read only through Debug
        struct View<'a> {
            target: &'a str,
            people: &'a BTreeMap<String, Person>,
            current: &'a Option<String>,
            exchanges: Vec<String>,
            warnings: &'a [String],
        }
        let view = View {
            target: &self.ctx.base_url,
            people: &self.people,
            current: &self.current,
            exchanges: self.exchanges.iter().map(describe).collect(),
            warnings: &self.warnings,
        };
        f.write_str(&redact(&format!("{view:#?}")))
    }
}

impl SuiteWorld for AuthWorld {
    fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }

    fn started(&self) -> std::time::Instant {
        self.started
    }

    fn wire(&self) -> Vec<WireRecord> {
        self.wire.records()
    }
}

impl AuthWorld {
    async fn new() -> anyhow::Result<Self> {
        let ctx = RunContext::current()
            .ok_or_else(|| anyhow::anyhow!("the runner installed no run context"))?;
        let wire = WireLog::new(ctx.record_wire);
        let client = ApiClient::new(&ctx.pool, &ctx.base_url, wire.clone())?;
        let mailbox = ctx.mailbox.logging_into(wire.clone());
        Ok(Self {
            ctx,
            client,
            mailbox,
            people: BTreeMap::new(),
            current: None,
            exchanges: Vec::new(),
            warnings: Vec::new(),
            timed_logins: 0..0,
            wire,
            started: std::time::Instant::now(),
        })
    }

    /// Sends a request, validates the response against its schema and records it.
    pub async fn send(&mut self, request: Request) -> &Exchange {
        let answer = self.client.send(request).await;
        self.record(answer)
    }

    /// Validates an answer against its schema and records it; a request that got no answer
    /// fails the step.
    pub fn record(&mut self, answer: anyhow::Result<Exchange>) -> &Exchange {
        let exchange = match answer {
            Ok(exchange) => exchange,
            Err(err) => panic!(
                "{}",
                spatialflow_conformance::harness::redact::redact(&format!("{err:#}"))
            ),
        };
        verify(check_response_schema(&exchange));
        self.exchanges.push(exchange);
        self.exchanges.last().expect("just pushed")
    }

    /// The latest exchange.
    pub fn last(&self) -> &Exchange {
        self.exchanges
            .last()
            .expect("a step must send a request before anything is checked")
    }

    /// The exchange before the latest.
    pub fn previous(&self) -> &Exchange {
        let n = self.exchanges.len();
        assert!(n >= 2, "two requests are needed to compare answers");
        &self.exchanges[n - 2]
    }

    /// The person called `name`, introduced on first mention; pronouns mean the current one.
    pub fn person(&mut self, name: &str) -> &mut Person {
        let key = self.resolve(name);
        self.current = Some(key.clone());
        self.people
            .entry(key)
            .or_insert_with(|| Person::new(Persona::generate()))
    }

    fn resolve(&self, name: &str) -> String {
        match name.to_ascii_lowercase().as_str() {
            "she" | "he" | "they" | "her" | "his" | "their" => self
                .current
                .clone()
                .expect("a pronoun needs someone named earlier in the scenario"),
            _ => name.to_owned(),
        }
    }

    /// Logs `name` in with `password` and records the exchange (no assertion).
    pub async fn post_login(&mut self, name: &str, password: Option<String>) -> &Exchange {
        let email = self.person(name).persona.email.clone();
        let body = match password {
            Some(p) => json!({"email": email, "password": p}),
            None => json!({"email": email}),
        };
        self.send(Request::new("POST", paths::LOGIN).json(body))
            .await
    }

    /// Keeps the tokens and cookies a successful login or refresh handed to `name`.
    pub fn keep_session(&mut self, name: &str) {
        let exchange = self.last().clone();
        if exchange.response.status != 200 {
            return;
        }
        let access = exchange
            .response
            .json_str("/access_token")
            .map(str::to_owned);
        let refresh = exchange
            .response
            .json_str("/refresh_token")
            .map(str::to_owned);
        let cookies = spatialflow_conformance::harness::cookies::set_cookies(&exchange.response);
        let person = self.person(name);
        if let Some(a) = access {
            person.access_token = Some(a);
        }
        if let Some(r) = refresh {
            person.refresh_tokens.push(r);
        }
        if !cookies.is_empty() && exchange.request.route() == paths::LOGIN {
            person.session_cookies = cookies;
        }
    }

    /// The access token of `name`; the person must be logged in.
    pub fn access_token(&mut self, name: &str) -> String {
        self.person(name)
            .access_token
            .clone()
            .expect("the person must be logged in first")
    }

    /// Registers a secret for redaction.
    pub fn secret(value: &str) {
        Secrets::global().register(value);
    }

    /// Values every body must be free of: passwords of the scenario's people.
    pub fn passwords(&self) -> Vec<String> {
        self.people
            .values()
            .flat_map(|p| std::iter::once(p.persona.password.clone()).chain(p.old_password.clone()))
            .collect()
    }
}

/// Turns a check result into a step outcome.
pub fn verify(result: CheckResult) {
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
