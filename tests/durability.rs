//! Durability of the standalone server with a database file (issue 6, point 4).
//!
//! Each test spawns the real binary (`spatialflow-conformance serve --test-api`, fast password
//! hashing, a private database file, a loopback port chosen by the OS), stops it (a restart
//! here is always `kill -9`: nothing gets a chance to flush on the way out) and starts it
//! again on the same file. What must survive: users, password changes, refresh-token
//! rotations and revocations, used one-time tokens, API keys, the JWT signing key and the
//! rate-limit counters. Concurrency (one account per email, one successful refresh per token)
//! is checked here through the file-backed process over real sockets; the in-memory router
//! tests in `src/reference/tests/` check the same rules socket-less.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "Durable-Passw0rd!";

/// A private directory for the database file, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "spatialflow-durability-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn db(&self) -> PathBuf {
        self.0.join("reference.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The spawned `serve` process and a client for it; killed (SIGKILL) when dropped.
struct Serve {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Serve {
    fn start(db: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_spatialflow-conformance"))
            .args(["serve", "--test-api", "--hash-profile", "fast"])
            .args(["--addr", "127.0.0.1:0"])
            .arg("--db")
            .arg(db)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the serve binary starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        // Keep draining: a closed pipe would make the server's next println! fail.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_owned();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        Self { child, base, http }
    }

    /// `kill -9`: no graceful shutdown, no chance to flush anything.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        read(response).await
    }

    async fn post_bearer(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        read(response).await
    }

    async fn get(&self, path: &str, header: Option<(&str, &str)>) -> (StatusCode, Value) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some((name, value)) = header {
            request = request.header(name, value);
        }
        read(
            request
                .send()
                .await
                .unwrap_or_else(|e| panic!("GET {path}: {e}")),
        )
        .await
    }

    async fn signup(&self, email: &str) -> StatusCode {
        self.post(
            "/api/v1/public/signup",
            json!({"email": email, "password": PASSWORD}),
        )
        .await
        .0
    }

    async fn login(&self, email: &str, password: &str) -> (StatusCode, Value) {
        self.post(
            "/api/v1/auth/login",
            json!({"email": email, "password": password}),
        )
        .await
    }

    async fn refresh(&self, token: &str) -> (StatusCode, Value) {
        self.post("/api/v1/auth/refresh", json!({"refresh_token": token}))
            .await
    }

    /// The `token=` value of the newest mail to `to` with `subject` in its subject.
    async fn mailed_token(&self, to: &str, subject: &str) -> String {
        let query = format!("to:{to} subject:\"{subject}\"");
        let encoded: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
        let (_, list) = self
            .get(&format!("/_mailpit/api/v1/search?query={encoded}"), None)
            .await;
        let id = list["messages"][0]["ID"]
            .as_str()
            .unwrap_or_else(|| panic!("no {subject:?} mail to {to}: {list}"));
        let (_, message) = self
            .get(&format!("/_mailpit/api/v1/message/{id}"), None)
            .await;
        let text = message["Text"].as_str().unwrap();
        let start = text.find("token=").unwrap() + "token=".len();
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn read(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

fn field(body: &Value, name: &str) -> String {
    body[name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {body}"))
        .to_owned()
}

/// SQLite's own verdict on the file a killed server left behind.
fn assert_database_intact(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(verdict, "ok");
}

#[tokio::test]
async fn accounts_tokens_keys_and_counters_survive_a_kill_9_restart() {
    let dir = TempDir::new("restart");
    let server = Serve::start(&dir.db());

    // Ann signs up, verifies her address, changes her password, then resets it.
    assert_eq!(server.signup("ann@example.com").await, StatusCode::CREATED);
    let verification = server
        .mailed_token("ann@example.com", "Verify your SpatialFlow")
        .await;
    let verified = server
        .get(
            &format!("/api/v1/auth/verify-email?token={verification}"),
            None,
        )
        .await;
    assert_eq!(verified.0, StatusCode::OK);
    let (_, session) = server.login("ann@example.com", PASSWORD).await;
    let changed = server
        .post_bearer(
            "/api/v1/auth/change-password",
            &field(&session, "access_token"),
            json!({"current_password": PASSWORD, "new_password": "Changed-Passw0rd!"}),
        )
        .await;
    assert_eq!(changed.0, StatusCode::OK, "{}", changed.1);
    server
        .post(
            "/api/v1/auth/forgot-password",
            json!({"email": "ann@example.com"}),
        )
        .await;
    let reset = server
        .mailed_token("ann@example.com", "Reset your SpatialFlow")
        .await;
    let confirmed = server
        .post(
            "/api/v1/auth/password-reset/confirm",
            json!({"token": reset, "password": "Reset-Passw0rd!"}),
        )
        .await;
    assert_eq!(confirmed.0, StatusCode::OK, "{}", confirmed.1);

    // A refresh-token chain: first used (rotated), second current. Bob logs out (revoked).
    let (_, session) = server.login("ann@example.com", "Reset-Passw0rd!").await;
    let (first_refresh, access) = (
        field(&session, "refresh_token"),
        field(&session, "access_token"),
    );
    let (status, rotated) = server.refresh(&first_refresh).await;
    assert_eq!(status, StatusCode::OK);
    let current_refresh = field(&rotated, "refresh_token");
    assert_eq!(server.signup("bob@example.com").await, StatusCode::CREATED);
    let (_, bob) = server.login("bob@example.com", PASSWORD).await;
    let logout = server
        .post_bearer(
            "/api/v1/auth/logout",
            &field(&bob, "access_token"),
            json!({}),
        )
        .await;
    assert_eq!(logout.0, StatusCode::OK);

    // An API key, and a resend limit used up (3 per hour).
    let (status, key) = server
        .post_bearer("/api/v1/account/api-keys", &access, json!({"name": "ci"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let api_key = key["api_key"]["key"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        let (status, _) = server
            .post(
                "/api/v1/auth/resend-verification-email",
                json!({"email": "limited@example.com"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }

    server.kill();
    assert_database_intact(&dir.db());
    let server = Serve::start(&dir.db());

    for (password, expected) in [
        (PASSWORD, StatusCode::BAD_REQUEST),
        ("Changed-Passw0rd!", StatusCode::BAD_REQUEST),
        ("Reset-Passw0rd!", StatusCode::OK),
    ] {
        let (status, _) = server.login("ann@example.com", password).await;
        assert_eq!(status, expected, "login with {password} after the restart");
    }
    let (status, me) = server
        .get(
            "/api/v1/auth/me",
            Some(("Authorization", format!("Bearer {access}").as_str())),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "an access token from before: {me}");
    assert_eq!(me["emailVerified"], true);
    let (status, _) = server
        .get("/api/v1/auth/test-api-key", Some(("X-API-KEY", &api_key)))
        .await;
    assert_eq!(status, StatusCode::OK, "the API key");
    let (status, _) = server.refresh(&current_refresh).await;
    assert_eq!(status, StatusCode::OK, "the current refresh token");
    let (status, _) = server.refresh(&first_refresh).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a used refresh token");
    let (status, _) = server.refresh(&field(&bob, "refresh_token")).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a logged-out refresh token"
    );
    let (status, _) = server
        .get(
            &format!("/api/v1/auth/verify-email?token={verification}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a used verification token");
    let (status, _) = server
        .post(
            "/api/v1/auth/password-reset/confirm",
            json!({"token": reset, "password": "Again-Passw0rd!"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a used reset token");
    let (status, _) = server
        .post(
            "/api/v1/auth/resend-verification-email",
            json!({"email": "Limited@Example.com "}),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the resend counter");
}

/// What the load workers saw acknowledged before the kill.
#[derive(Default)]
struct Acknowledged {
    /// (email, password) of accounts whose signup and password change were both answered.
    accounts: Vec<(String, String)>,
    /// Refresh tokens whose rotation was answered (so they are used).
    used_refresh_tokens: Vec<String>,
}

/// One worker of the load: sign up, log in, change the password, log in again, rotate the
/// refresh token; repeat until a request fails (the kill). Only answered steps are recorded.
async fn load_worker(
    base: String,
    http: reqwest::Client,
    w: usize,
    seen: Arc<Mutex<Acknowledged>>,
) {
    let post = |path: &str, token: Option<&str>, body: Value| {
        let mut request = http.post(format!("{base}{path}")).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move {
            let response = request.send().await.ok()?;
            let status = response.status();
            let body: Value = response.json().await.ok()?;
            Some((status, body))
        }
    };
    for i in 0.. {
        let email = format!("load-{w}-{i}@example.com");
        let new_password = format!("New-Passw0rd-{w}-{i}!");
        let credentials = json!({"email": email, "password": PASSWORD});
        let Some((StatusCode::CREATED, _)) =
            post("/api/v1/public/signup", None, credentials.clone()).await
        else {
            return;
        };
        let Some((StatusCode::OK, session)) = post("/api/v1/auth/login", None, credentials).await
        else {
            return;
        };
        let change = json!({"current_password": PASSWORD, "new_password": new_password});
        let access = field(&session, "access_token");
        let Some((StatusCode::OK, _)) =
            post("/api/v1/auth/change-password", Some(&access), change).await
        else {
            return;
        };
        seen.lock()
            .unwrap()
            .accounts
            .push((email.clone(), new_password.clone()));
        let credentials = json!({"email": email, "password": new_password});
        let Some((StatusCode::OK, session)) = post("/api/v1/auth/login", None, credentials).await
        else {
            return;
        };
        let token = field(&session, "refresh_token");
        let Some((StatusCode::OK, _)) = post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": token}),
        )
        .await
        else {
            return;
        };
        seen.lock().unwrap().used_refresh_tokens.push(token);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_during_load() {
    let dir = TempDir::new("kill9");
    let server = Serve::start(&dir.db());
    let seen = Arc::new(Mutex::new(Acknowledged::default()));
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (base, http) = (server.base.clone(), server.http.clone());
            tokio::spawn(load_worker(base, http, w, seen.clone()))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill();
    for worker in workers {
        tokio::time::timeout(Duration::from_secs(15), worker)
            .await
            .expect("every worker stops once the server is gone")
            .unwrap();
    }
    assert_database_intact(&dir.db());

    let server = Serve::start(&dir.db());
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    eprintln!(
        "acknowledged before kill -9: {} accounts with a changed password, {} rotations",
        seen.accounts.len(),
        seen.used_refresh_tokens.len()
    );
    assert!(
        seen.accounts.len() >= 8 && !seen.used_refresh_tokens.is_empty(),
        "too little load before the kill: {} accounts, {} rotations",
        seen.accounts.len(),
        seen.used_refresh_tokens.len()
    );
    for (email, password) in &seen.accounts {
        let (status, body) = server.login(email, password).await;
        assert_eq!(status, StatusCode::OK, "{email} after kill -9: {body}");
        let (status, _) = server.login(email, PASSWORD).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{email}'s old password");
    }
    for token in &seen.used_refresh_tokens {
        let (status, _) = server.refresh(token).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "a used refresh token came back"
        );
    }
    let (status, _) = server.get("/api/v1/auth/health", None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_signups_of_one_email_create_one_account_in_the_file_database() {
    let dir = TempDir::new("signups");
    let server = Serve::start(&dir.db());
    let spellings = ["same@example.com", "Same@Example.com", " SAME@example.COM "];
    let attempts = (0..24).map(|i| server.signup(spellings[i % spellings.len()]));
    let statuses = futures::future::join_all(attempts).await;
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::BAD_REQUEST),
        "{statuses:?}"
    );
    server.kill();
    let server = Serve::start(&dir.db());
    assert_eq!(
        server.signup("same@example.com").await,
        StatusCode::BAD_REQUEST
    );
    let (status, _) = server.login("SAME@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_refreshes_of_one_token_succeed_once_in_the_file_database() {
    let dir = TempDir::new("refreshes");
    let server = Serve::start(&dir.db());
    assert_eq!(server.signup("ann@example.com").await, StatusCode::CREATED);
    let (_, session) = server.login("ann@example.com", PASSWORD).await;
    let token = field(&session, "refresh_token");
    let attempts = (0..16).map(|_| server.refresh(&token));
    let outcomes = futures::future::join_all(attempts).await;
    let statuses: Vec<_> = outcomes.iter().map(|(s, _)| *s).collect();
    let winners: Vec<_> = outcomes
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .collect();
    assert_eq!(winners.len(), 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    server.kill();
    let server = Serve::start(&dir.db());
    let (status, _) = server.refresh(&token).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the raced token after a restart"
    );
}

#[tokio::test]
async fn serve_keeps_serving_and_stops_cleanly_when_its_stdout_is_closed() {
    // Found here: `serve` printed into a closed pipe (its second line, or "Stopped." at
    // Ctrl-C) and panicked.
    let dir = TempDir::new("stdout");
    let mut child = Command::new(env!("CARGO_BIN_EXE_spatialflow-conformance"))
        .args(["serve", "--test-api", "--hash-profile", "fast"])
        .args(["--addr", "127.0.0.1:0"])
        .arg("--db")
        .arg(dir.db())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap()
        .to_owned();
    let health = reqwest::get(format!("{base}/api/v1/auth/health")).await;
    assert_eq!(health.unwrap().status(), StatusCode::OK);
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "serve ignored Ctrl-C");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "serve ended with {status} after Ctrl-C");
}
