//! Replays the exchanges of a recorded run with nothing but reqwest: the floor the harness is
//! compared with.
//!
//! A literal replay would send the recorded run's tokens, which the fresh reference has never
//! issued: most requests would get a quick 401 instead of doing the work they did in the run,
//! and the floor would be too low. So the loop does what any scripted HTTP client does (Hurl's
//! captures): values that came back in a response (tokens, message IDs, cookies) replace the
//! recorded run's values in the requests that follow. How many answers then match the recorded
//! statuses is reported, so the floor's faithfulness can be checked rather than assumed.

use std::time::{Duration, Instant};

use futures::StreamExt as _;
use serde_json::Value;

use super::captures::Captures;
use crate::harness::cookies::SetCookie;
use crate::harness::wire::{Service, WireRecord};
use crate::harness::{RecordedRun, RecordedScenario};

/// What a replay did.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct ReplayResult {
    /// Exchanges sent to the API.
    pub api_requests: usize,
    /// Exchanges sent to the mailbox.
    pub mailbox_requests: usize,
    /// Exchanges whose status was the one recorded.
    pub as_recorded: usize,
    /// Wall time of the whole replay.
    pub wall: Duration,
}

/// Arguments of the hidden `replay` command.
#[derive(Debug, Clone, clap::Args)]
pub struct ReplayArgs {
    /// The recording `verify --record-requests` wrote.
    #[arg(long)]
    pub recording: std::path::PathBuf,
    /// Scenarios replayed at a time.
    #[arg(long, default_value_t = 64)]
    pub concurrency: u16,
}

/// `replay`: one replay on a fresh embedded reference, in a process as fresh as the run's (lazy
/// initialisation and a cold heap then cost both sides alike); prints a [`ReplayResult`] as
/// JSON. The reference is up before the clock starts, as it is for the run.
pub async fn run_replay(args: &ReplayArgs) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let text = std::fs::read_to_string(&args.recording)
        .with_context(|| format!("Failed to read {}", args.recording.display()))?;
    let recorded: RecordedRun =
        serde_json::from_str(&text).context("Failed to parse the recording")?;
    let server =
        crate::reference::EmbeddedServer::start(crate::reference::ReferenceConfig::embedded())?;
    let mailbox = format!("{}/_mailpit", server.base_url());
    let result = replay(
        &recorded,
        server.base_url(),
        &mailbox,
        usize::from(args.concurrency),
    )
    .await;
    crate::say!("{}", serde_json::to_string(&result)?);
    Ok(())
}

/// Where to replay, and the connection pools to do it with (one per service, as the suite has).
struct Target<'a> {
    api: reqwest::Client,
    api_url: &'a str,
    mailbox: reqwest::Client,
    mailbox_url: &'a str,
}

/// Sends every recorded exchange: the start-up probes round by round, then the `@serial`
/// scenarios one at a time, then the others `concurrency` at a time, as the run did; within a
/// scenario in order.
pub async fn replay(
    run: &RecordedRun,
    api_url: &str,
    mailbox_url: &str,
    concurrency: usize,
) -> ReplayResult {
    // Built as the suite builds its pools, so the comparison is of the work, not the setup.
    let pool = |url: &str| {
        crate::harness::client::client_builder(url)
            .timeout(Duration::from_secs(10))
            .build()
            .expect("a plain reqwest client builds")
    };
    let target = Target {
        api: pool(api_url),
        api_url,
        mailbox: pool(mailbox_url),
        mailbox_url,
    };
    let started = Instant::now();
    let mut as_recorded = 0;
    for round in &run.start_up {
        let round: Vec<&WireRecord> = round.iter().collect();
        as_recorded += send_together(&round, &target, &mut Captures::default()).await;
    }
    let (serial, concurrent): (Vec<&RecordedScenario>, Vec<&RecordedScenario>) =
        run.scenarios.iter().partition(|s| s.serial);
    for scenario in serial {
        as_recorded += replay_scenario(scenario, &target).await;
    }
    as_recorded += futures::stream::iter(concurrent)
        .map(|scenario| replay_scenario(scenario, &target))
        .buffer_unordered(concurrency.max(1))
        .fold(0, |sum, matched| async move { sum + matched })
        .await;
    let wall = started.elapsed();
    let count = |service| {
        run.start_up
            .iter()
            .flatten()
            .chain(run.scenarios.iter().flat_map(|s| &s.exchanges))
            .filter(|e| e.service == service)
            .count()
    };
    ReplayResult {
        api_requests: count(Service::Api),
        mailbox_requests: count(Service::Mailbox),
        as_recorded,
        wall,
    }
}

/// Replays one scenario; returns how many answers had the recorded status. Exchanges the step
/// sent side by side (one batch) go out together again.
async fn replay_scenario(scenario: &RecordedScenario, target: &Target<'_>) -> usize {
    let mut captures = Captures::default();
    let mut as_recorded = 0;
    let mut records = scenario.exchanges.iter().peekable();
    while let Some(first) = records.next() {
        let mut together = vec![first];
        while let Some(next) = records.next_if(|r| r.batch.is_some() && r.batch == first.batch) {
            together.push(next);
        }
        as_recorded += send_together(&together, target, &mut captures).await;
    }
    as_recorded
}

/// Sends `records` at once with the values captured so far substituted, then learns from each
/// answer; returns how many answers had the recorded status.
async fn send_together(
    records: &[&WireRecord],
    target: &Target<'_>,
    captures: &mut Captures,
) -> usize {
    let answers = futures::future::join_all(
        records
            .iter()
            .map(|recorded| send(recorded, target, captures)),
    )
    .await;
    let mut as_recorded = 0;
    for (recorded, answer) in records.iter().zip(answers) {
        if let Some(answer) = answer {
            learn(captures, recorded, &answer);
            as_recorded += usize::from(answer.status == recorded.status);
        }
    }
    as_recorded
}

/// What came back for one replayed exchange.
struct Answer {
    status: u16,
    /// The body, parsed only when the recorded answer had one (a later request may reuse it).
    body: Option<Value>,
    set_cookies: Vec<String>,
}

/// Sends one recorded exchange with the captured values substituted; `None` when no answer
/// came back.
async fn send(recorded: &WireRecord, target: &Target<'_>, captures: &Captures) -> Option<Answer> {
    let (client, base) = match recorded.service {
        Service::Api => (&target.api, target.api_url),
        Service::Mailbox => (&target.mailbox, target.mailbox_url),
    };
    let request = &recorded.request;
    let method =
        reqwest::Method::from_bytes(request.method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let path = captures.apply(&request.path);
    let mut builder = client.request(method, format!("{base}{path}"));
    for (name, value) in &request.headers {
        builder = builder.header(name, captures.apply(value));
    }
    if let Some(json) = &request.json {
        builder = builder.json(&captures.apply_json(json));
    } else if let Some(raw) = &request.raw {
        if !request.has_header("content-type") {
            builder = builder.header("content-type", "application/json");
        }
        builder = builder.body(captures.apply(raw));
    }
    let response = builder.send().await.ok()?;
    let status = response.status().as_u16();
    let set_cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    let bytes = response.bytes().await.ok()?;
    let body = recorded.body.as_ref().map(|_| {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    });
    Some(Answer {
        status,
        body,
        set_cookies,
    })
}

/// Pairs what came back now with what came back in the recorded run.
fn learn(captures: &mut Captures, recorded: &WireRecord, answer: &Answer) {
    if let (Some(old), Some(live)) = (&recorded.body, &answer.body) {
        captures.learn_json(old, live);
    }
    for old in recorded
        .set_cookies
        .iter()
        .filter_map(|c| SetCookie::parse(c))
    {
        let live = answer
            .set_cookies
            .iter()
            .filter_map(|c| SetCookie::parse(c))
            .find(|c| c.name == old.name);
        if let Some(live) = live {
            captures.learn(&old.value, &live.value);
        }
    }
}
