//! Replays the requests of a recorded run with nothing but reqwest: the floor the harness is
//! compared with.

use std::time::{Duration, Instant};

use futures::StreamExt as _;

use crate::harness::{RecordedRun, RecordedScenario};

/// What a replay did.
#[derive(Debug, Clone, Copy)]
pub struct ReplayResult {
    /// Requests sent.
    pub requests: usize,
    /// Wall time of the whole replay.
    pub wall: Duration,
}

/// Sends every recorded request to `base_url`: each scenario's requests in order with its own
/// client and cookie jar (as the suite does), `concurrency` scenarios at a time, then the
/// `@serial` scenarios alone, as cucumber runs them.
pub async fn replay(run: &RecordedRun, base_url: &str, concurrency: usize) -> ReplayResult {
    let started = Instant::now();
    let (serial, concurrent): (Vec<&RecordedScenario>, Vec<&RecordedScenario>) =
        run.scenarios.iter().partition(|s| s.serial);
    futures::stream::iter(concurrent)
        .for_each_concurrent(concurrency.max(1), |scenario| {
            replay_scenario(scenario, base_url)
        })
        .await;
    for scenario in serial {
        replay_scenario(scenario, base_url).await;
    }
    ReplayResult {
        requests: run.scenarios.iter().map(|s| s.requests.len()).sum(),
        wall: started.elapsed(),
    }
}

async fn replay_scenario(scenario: &RecordedScenario, base_url: &str) {
    // Built as the suite builds its clients, so the comparison is of the work, not the setup.
    let client = crate::harness::client::client_builder(base_url)
        .cookie_store(true)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a plain reqwest client builds");
    for request in &scenario.requests {
        let method =
            reqwest::Method::from_bytes(request.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut builder = client.request(method, format!("{base_url}{}", request.path));
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(json) = &request.json {
            builder = builder.json(json);
        } else if let Some(raw) = &request.raw {
            builder = builder.body(raw.clone());
        }
        // Statuses differ from the recorded run where a request carried a token of that run;
        // the replay measures the cost of the traffic, not its verdict.
        if let Ok(response) = builder.send().await {
            let _ = response.bytes().await;
        }
    }
}
