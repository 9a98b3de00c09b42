//! Bounded load run against the standalone reference server (issue 6, point 3).
//!
//! `cargo bench --bench load` spawns `spatialflow-conformance serve` (release build, a fresh
//! database file, loopback port chosen by the OS) and drives a mixed workload from many
//! concurrent connections for a fixed time: login 10 %, `GET /me` 40 %, refresh 20 %,
//! `GET /feature-flags` 30 %. It prints requests per second, p50 and p99 latency (overall and
//! per operation), the error count and the 5xx count, and exits non-zero on any error or 5xx.
//!
//! Traffic goes only to 127.0.0.1. Knobs (environment, with defaults):
//! `LOAD_SECONDS` (20), `LOAD_CONNECTIONS` (32), `LOAD_USERS` (16),
//! `LOAD_HASH_PROFILE` (`default`: the argon2id cost a real deployment uses; `fast` for
//! comparison only).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

const PASSWORD: &str = "Load-Test-Passw0rd!";

/// The operations of the mix, with their share in percent.
const MIX: &[(Op, u32)] = &[
    (Op::Login, 10),
    (Op::Me, 40),
    (Op::Refresh, 20),
    (Op::FeatureFlags, 30),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Login,
    Me,
    Refresh,
    FeatureFlags,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Login => "login",
            Op::Me => "me",
            Op::Refresh => "refresh",
            Op::FeatureFlags => "feature-flags",
        }
    }
}

/// Settings read from the environment.
#[derive(Debug)]
struct Settings {
    seconds: u64,
    connections: usize,
    users: usize,
    hash_profile: String,
}

impl Settings {
    fn from_env() -> anyhow::Result<Self> {
        fn var<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T> {
            match std::env::var(name) {
                Ok(value) => value
                    .parse()
                    .map_err(|_| anyhow::anyhow!("{name}={value} is not valid")),
                Err(_) => Ok(default),
            }
        }
        Ok(Self {
            seconds: var("LOAD_SECONDS", 20)?,
            connections: var("LOAD_CONNECTIONS", 32)?,
            users: var("LOAD_USERS", 16)?,
            hash_profile: var("LOAD_HASH_PROFILE", "default".to_owned())?,
        })
    }
}

/// The spawned server; killed when dropped.
struct Server {
    child: Child,
    base_url: String,
    _dir: TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A private temporary directory, removed when dropped.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn start_server(hash_profile: &str) -> anyhow::Result<Server> {
    let dir = std::env::temp_dir().join(format!("spatialflow-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let dir = TempDir(dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_spatialflow-conformance"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--hash-profile",
            hash_profile,
        ])
        .arg("--db")
        .arg(dir.0.join("load.db"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("Failed to spawn the server")?;
    let mut stdout = BufReader::new(child.stdout.take().context("no stdout")?);
    let mut line = String::new();
    stdout.read_line(&mut line)?;
    // Keep draining: a closed pipe would make the server's next println! fail.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let base_url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .with_context(|| format!("no URL in the server's first line {line:?}"))?
        .to_owned();
    Ok(Server {
        child,
        base_url,
        _dir: dir,
    })
}

/// One request's outcome.
struct Sample {
    op: Op,
    latency: Duration,
    status: Option<u16>,
}

/// A client's session: its own connection pool (one connection) and tokens.
struct Session {
    http: reqwest::Client,
    base: String,
    email: String,
    access: String,
    refresh: String,
}

impl Session {
    async fn new(base: &str, email: String) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(1)
            .build()?;
        let mut session = Self {
            http,
            base: base.to_owned(),
            email,
            access: String::new(),
            refresh: String::new(),
        };
        let status = session.run(Op::Login).await?;
        if status != 200 {
            bail!("initial login of {} answered {status}", session.email);
        }
        Ok(session)
    }

    /// Performs `op`; returns the status (transport failures are errors).
    async fn run(&mut self, op: Op) -> anyhow::Result<u16> {
        let url = |path: &str| format!("{}{path}", self.base);
        let response = match op {
            Op::Login => {
                self.http
                    .post(url("/api/v1/auth/login"))
                    .json(&json!({"email": self.email, "password": PASSWORD}))
                    .send()
                    .await?
            }
            Op::Refresh => {
                self.http
                    .post(url("/api/v1/auth/refresh"))
                    .json(&json!({"refresh_token": self.refresh}))
                    .send()
                    .await?
            }
            Op::Me => {
                self.http
                    .get(url("/api/v1/auth/me"))
                    .bearer_auth(&self.access)
                    .send()
                    .await?
            }
            Op::FeatureFlags => {
                self.http
                    .get(url("/api/v1/auth/feature-flags"))
                    .bearer_auth(&self.access)
                    .send()
                    .await?
            }
        };
        let status = response.status().as_u16();
        let body: Value = response.json().await?;
        if status == 200 && matches!(op, Op::Login | Op::Refresh) {
            self.access = body["access_token"].as_str().unwrap_or_default().to_owned();
            self.refresh = body["refresh_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
        }
        Ok(status)
    }
}

/// Picks an operation from the mix with a small deterministic generator per worker.
fn pick(state: &mut u64) -> Op {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    let total: u32 = MIX.iter().map(|(_, share)| share).sum();
    let mut roll = (*state % u64::from(total)) as u32;
    for (op, share) in MIX {
        if roll < *share {
            return *op;
        }
        roll -= share;
    }
    MIX[0].0
}

async fn worker(mut session: Session, seed: u64, until: Instant) -> Vec<Sample> {
    let mut samples = Vec::new();
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while Instant::now() < until {
        let op = pick(&mut state);
        let started = Instant::now();
        let status = session.run(op).await.ok();
        samples.push(Sample {
            op,
            latency: started.elapsed(),
            status,
        });
    }
    samples
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; there is nothing to select.
    let settings = Settings::from_env()?;
    let server = start_server(&settings.hash_profile)?;
    let base = server.base_url.clone();
    println!(
        "load: {} s, {} connections, {} users, hash profile {}, server {base}",
        settings.seconds, settings.connections, settings.users, settings.hash_profile
    );
    let http = reqwest::Client::new();
    for i in 0..settings.users {
        let response = http
            .post(format!("{base}/api/v1/public/signup"))
            .json(&json!({"email": format!("load{i}@example.com"), "password": PASSWORD}))
            .send()
            .await?;
        if response.status() != 201 {
            bail!("signup {i} answered {}", response.status());
        }
    }
    let mut sessions = Vec::new();
    for c in 0..settings.connections {
        let email = format!("load{}@example.com", c % settings.users);
        sessions.push(Session::new(&base, email).await?);
    }
    let started = Instant::now();
    let until = started + Duration::from_secs(settings.seconds);
    let workers: Vec<_> = sessions
        .into_iter()
        .enumerate()
        .map(|(i, session)| tokio::spawn(worker(session, i as u64 + 1, until)))
        .collect();
    let mut samples = Vec::new();
    for handle in workers {
        samples.extend(handle.await?);
    }
    let elapsed = started.elapsed();

    let errors = samples.iter().filter(|s| s.status != Some(200)).count();
    let server_errors = samples
        .iter()
        .filter(|s| s.status.is_some_and(|code| code >= 500))
        .count();
    let mut by_op: BTreeMap<Op, Vec<Duration>> = BTreeMap::new();
    for sample in &samples {
        by_op.entry(sample.op).or_default().push(sample.latency);
    }
    let mut all: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
    all.sort();
    println!(
        "{:<14} {:>9} {:>9} {:>10} {:>10}",
        "operation", "requests", "rps", "p50 ms", "p99 ms"
    );
    for (op, mut latencies) in by_op {
        latencies.sort();
        println!(
            "{:<14} {:>9} {:>9.1} {:>10.2} {:>10.2}",
            op.name(),
            latencies.len(),
            latencies.len() as f64 / elapsed.as_secs_f64(),
            ms(percentile(&latencies, 50.0)),
            ms(percentile(&latencies, 99.0)),
        );
    }
    println!(
        "{:<14} {:>9} {:>9.1} {:>10.2} {:>10.2}",
        "all",
        all.len(),
        all.len() as f64 / elapsed.as_secs_f64(),
        ms(percentile(&all, 50.0)),
        ms(percentile(&all, 99.0)),
    );
    println!("errors: {errors}, 5xx: {server_errors}");
    drop(server);
    if errors > 0 || server_errors > 0 {
        bail!("{errors} errors ({server_errors} of them 5xx) under load");
    }
    Ok(())
}
