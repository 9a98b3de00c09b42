//! What the target offers beyond the contract, probed once before the run. A scenario tagged
//! with a capability the target lacks is skipped with the reason, never failed or passed.

use serde_json::json;

use super::config::Settings;
use super::exchange::Request;
use super::mailbox::Mailbox;
use super::wire::{Service, WireLog, WireRecord};

/// An out-of-band capability a scenario may need, named by its tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capability {
    /// `@e2e-api`: disposable users from `POST /api/v1/test/create-user`.
    E2eApi,
    /// `@account`: some verified account (the E2E API or a QA account from the environment).
    Account,
    /// `@api-key`: an API key (created through the account API, or from the environment).
    ApiKey,
    /// `@mailbox`: the emails the server sends, through a Mailpit API.
    Mailbox,
    /// `@clock`: a server clock the suite can move forward.
    Clock,
    /// `@deactivation`: accounts can be deactivated (an extension of the reference's test API).
    Deactivation,
}

impl Capability {
    /// Every capability.
    pub const ALL: [Capability; 6] = [
        Capability::E2eApi,
        Capability::Account,
        Capability::ApiKey,
        Capability::Mailbox,
        Capability::Clock,
        Capability::Deactivation,
    ];

    /// The tag (without `@`) that asks for it.
    pub fn tag(self) -> &'static str {
        match self {
            Capability::E2eApi => "e2e-api",
            Capability::Account => "account",
            Capability::ApiKey => "api-key",
            Capability::Mailbox => "mailbox",
            Capability::Clock => "clock",
            Capability::Deactivation => "deactivation",
        }
    }

    /// Why a scenario that needs it is skipped when it is missing.
    pub fn missing_reason(self) -> &'static str {
        match self {
            Capability::E2eApi => "the target has no E2E test API (POST /api/v1/test/create-user)",
            Capability::Account => {
                "no verified account: the target has no E2E test API and SPATIALFLOW_USER_EMAIL/SPATIALFLOW_USER_PASSWORD are unset"
            }
            Capability::ApiKey => {
                "no API key: no E2E test API to create one on a disposable user, and SPATIALFLOW_API_KEY is unset"
            }
            Capability::Mailbox => "no Mailpit API answers at SPATIALFLOW_MAILBOX_URL",
            Capability::Clock => "the target offers no test clock (GET /api/v1/test/clock)",
            Capability::Deactivation => {
                "the target offers no way to deactivate an account (POST /api/v1/test/deactivate-user, an extension of the reference's test API)"
            }
        }
    }
}

/// The capabilities a target has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// Disposable users can be created.
    pub e2e_api: bool,
    /// A QA account is configured.
    pub qa_account: bool,
    /// An API key is configured.
    pub api_key_env: bool,
    /// The mailbox API answers.
    pub mailbox: bool,
    /// The test clock answers.
    pub clock: bool,
    /// Accounts can be deactivated.
    pub deactivation: bool,
}

impl std::fmt::Display for Capabilities {
    /// `e2e-api, account, api-key, mailbox, clock, deactivation` (what the target offers), then
    /// what it lacks.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (has, lacks): (Vec<Capability>, Vec<Capability>) =
            Capability::ALL.iter().partition(|c| self.has(**c));
        let names =
            |list: &[Capability]| list.iter().map(|c| c.tag()).collect::<Vec<_>>().join(", ");
        match (has.is_empty(), lacks.is_empty()) {
            (_, true) => write!(f, "{}", names(&has)),
            (true, false) => write!(f, "none (lacks {})", names(&lacks)),
            (false, false) => write!(f, "{} (lacks {})", names(&has), names(&lacks)),
        }
    }
}

impl Capabilities {
    /// Everything (the embedded reference has all of it).
    pub fn all() -> Self {
        Self {
            e2e_api: true,
            qa_account: false,
            api_key_env: false,
            mailbox: true,
            clock: true,
            deactivation: true,
        }
    }

    /// Whether `capability` is available.
    pub fn has(&self, capability: Capability) -> bool {
        match capability {
            Capability::E2eApi => self.e2e_api,
            Capability::Account => self.e2e_api || self.qa_account,
            // Keys are created only on disposable users: the QA account is never changed.
            Capability::ApiKey => self.e2e_api || self.api_key_env,
            Capability::Mailbox => self.mailbox,
            Capability::Clock => self.clock,
            Capability::Deactivation => self.deactivation,
        }
    }

    /// The reason a scenario with `tags` cannot run here, or `None` when it can.
    pub fn unmet<'a>(&self, tags: impl IntoIterator<Item = &'a str>) -> Option<String> {
        let tags: Vec<&str> = tags
            .into_iter()
            .map(|t| t.trim_start_matches('@'))
            .collect();
        let reasons: Vec<String> = Capability::ALL
            .iter()
            .filter(|c| tags.contains(&c.tag()) && !self.has(**c))
            .map(|c| format!("@{}: {}", c.tag(), c.missing_reason()))
            .collect();
        (!reasons.is_empty()).then(|| reasons.join("; "))
    }

    /// Probes a target once; the exchanges go to `log` (for `bench`'s replay, when recording).
    pub async fn probe(
        client: &reqwest::Client,
        base_url: &str,
        mailbox: &Mailbox,
        settings: &Settings,
        log: &WireLog,
    ) -> Self {
        // An empty body makes an existing endpoint answer 400/422 without changing anything.
        let e2e_request = Request::new("POST", "/api/v1/test/create-user").json(json!({}));
        let deactivation_request =
            Request::new("POST", "/api/v1/test/deactivate-user").json(json!({}));
        let clock_request = Request::new("GET", "/api/v1/test/clock");
        let send = |request: &Request| {
            let builder = client.request(
                reqwest::Method::from_bytes(request.method.as_bytes()).expect("a valid method"),
                format!("{base_url}{}", request.path),
            );
            match &request.json {
                Some(body) => builder.json(body).send(),
                None => builder.send(),
            }
        };
        // Independent round trips: against a distant target, asking at once saves all but one.
        let mailbox = mailbox.logging_into(log.clone());
        let (e2e_answer, deactivation_answer, clock_answer, mailbox) = futures::join!(
            send(&e2e_request),
            send(&deactivation_request),
            send(&clock_request),
            mailbox.probe()
        );
        for (request, answer) in [
            (e2e_request, &e2e_answer),
            (deactivation_request, &deactivation_answer),
            (clock_request, &clock_answer),
        ] {
            if let Ok(response) = answer {
                log.push(|| WireRecord::bare(Service::Api, request, response.status().as_u16()));
            }
        }
        // Present: the endpoint refused the empty body (not "no such endpoint", not a crash).
        let refuses_empty_body = |answer: &reqwest::Result<reqwest::Response>| match answer {
            Ok(r) => !matches!(r.status().as_u16(), 404 | 405 | 501) && r.status().as_u16() < 500,
            Err(_) => false,
        };
        let e2e_api = refuses_empty_body(&e2e_answer);
        let deactivation = refuses_empty_body(&deactivation_answer);
        let clock = matches!(clock_answer, Ok(r) if r.status().as_u16() == 200);
        Self {
            e2e_api,
            qa_account: settings.qa_account.is_some(),
            api_key_env: settings.api_key.is_some(),
            mailbox,
            clock,
            deactivation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_read_as_what_the_target_offers_and_lacks() {
        assert_eq!(
            Capabilities::all().to_string(),
            "e2e-api, account, api-key, mailbox, clock, deactivation"
        );
        let bare = Capabilities::default();
        assert_eq!(
            bare.to_string(),
            "none (lacks e2e-api, account, api-key, mailbox, clock, deactivation)"
        );
    }

    #[test]
    fn nothing_is_unmet_when_everything_is_there() {
        assert_eq!(
            Capabilities::all().unmet(["@mailbox", "@clock", "must"]),
            None
        );
    }

    #[test]
    fn missing_capabilities_give_reasons() {
        let caps = Capabilities {
            qa_account: true,
            ..Capabilities::default()
        };
        assert_eq!(caps.unmet(["account", "must"]), None);
        let reason = caps.unmet(["e2e-api", "clock"]).unwrap();
        assert!(
            reason.contains("@e2e-api") && reason.contains("@clock"),
            "{reason}"
        );
    }

    #[test]
    fn api_key_from_environment_is_enough() {
        let caps = Capabilities {
            api_key_env: true,
            ..Capabilities::default()
        };
        assert!(caps.has(Capability::ApiKey));
        assert!(!caps.has(Capability::Account));
    }
}
