//! No secret leaks from a conformance run, even a failing one.
//!
//! The test puts a recording proxy between `verify` and the reference server. The proxy notes
//! every secret that crosses it (passwords sent, access and refresh tokens, API keys, emailed
//! reset and verification tokens, cookie values) and sabotages a few answers so that many
//! scenarios fail and their evidence (request and response, headers and bodies) is written out.
//! Then no recorded secret may appear in stdout, stderr, the JUnit, the JSON or the reports.
//! The secrets come from the wire, not from the harness, so a harness that forgets to register
//! a secret with its redactor is caught too.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::Value;
use spatialflow_conformance::reference::{EmbeddedServer, ReferenceConfig};

/// Secrets seen on the wire, by kind (the kind only helps the failure message).
#[derive(Default)]
struct Seen {
    secrets: BTreeSet<(String, &'static str)>,
}

impl Seen {
    fn add(&mut self, kind: &'static str, value: &str) {
        let value = value.trim();
        // Short values (booleans, "bearer") are not secrets and would match everywhere.
        if value.len() >= 8 {
            self.secrets.insert((value.to_owned(), kind));
            // A JWT's signature alone is a secret too: a writer could print it without the rest.
            if let Some(signature) = value
                .rsplit('.')
                .next()
                .filter(|s| value.matches('.').count() == 2 && s.len() >= 16)
            {
                self.secrets.insert((signature.to_owned(), "JWT signature"));
            }
        }
    }

    fn kinds(&self) -> BTreeSet<&'static str> {
        self.secrets.iter().map(|(_, kind)| *kind).collect()
    }
}

#[derive(Clone)]
struct Proxy {
    upstream: String,
    client: reqwest::Client,
    seen: Arc<Mutex<Seen>>,
}

const SECRET_FIELDS: &[(&str, &str)] = &[
    ("password", "password"),
    ("current_password", "password"),
    ("new_password", "password"),
    ("access_token", "access token"),
    ("refresh_token", "refresh token"),
    ("token", "emailed token"),
    ("key", "API key"),
];

fn collect_json(seen: &mut Seen, value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (SECRET_FIELDS.iter().find(|(k, _)| k == key), child) {
                    (Some((_, kind)), Value::String(s)) => seen.add(kind, s),
                    _ => collect_json(seen, child),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_json(seen, v)),
        Value::String(text) => {
            // Emails carry their tokens in links.
            for part in text.split("token=").skip(1) {
                let token: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                seen.add("emailed token", &token);
            }
        }
        _ => {}
    }
}

fn collect_headers(seen: &mut Seen, headers: &HeaderMap) {
    for (name, value) in headers {
        let Ok(value) = value.to_str() else { continue };
        match name.as_str() {
            "authorization" => seen.add("bearer credential", value.trim_start_matches("Bearer ")),
            "x-api-key" => seen.add("API key", value),
            "set-cookie" | "cookie" => {
                for pair in value.split(';') {
                    if let Some((_, v)) = pair.split_once('=') {
                        seen.add("cookie value", v);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Answers the proxy breaks on purpose, so that scenarios fail with secrets in their evidence.
fn sabotage(method: &str, path: &str, status: StatusCode, headers: &mut HeaderMap) -> StatusCode {
    match (method, path) {
        // Tokens in the body of a failed refresh, the refresh token in its request.
        ("POST", "/api/v1/auth/refresh") if status.is_success() => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
        // Both passwords in the request of a failed password change.
        ("POST", "/api/v1/auth/change-password") if status.is_success() => StatusCode::BAD_GATEWAY,
        // The reset token and the new password in the request.
        ("POST", "/api/v1/auth/password-reset/confirm") if status.is_success() => {
            StatusCode::CONFLICT
        }
        // The created key's secret in the body.
        ("POST", "/api/v1/account/api-keys") => StatusCode::INTERNAL_SERVER_ERROR,
        // Login cookies without HttpOnly: cookie scenarios fail with the Set-Cookie headers
        // (token values) as evidence, while login itself still works for the other scenarios.
        ("POST", "/api/v1/auth/login") => {
            let cookies: Vec<HeaderValue> = headers
                .get_all(header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .filter_map(|v| HeaderValue::from_str(&v.replace("; HttpOnly", "")).ok())
                .collect();
            headers.remove(header::SET_COOKIE);
            for cookie in cookies {
                headers.append(header::SET_COOKIE, cookie);
            }
            status
        }
        _ => status,
    }
}

async fn forward(State(proxy): State<Proxy>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 4 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let path = parts.uri.path().to_owned();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    {
        let mut seen = proxy.seen.lock().unwrap();
        collect_headers(&mut seen, &parts.headers);
        if let Ok(json) = serde_json::from_slice::<Value>(&body) {
            collect_json(&mut seen, &json);
        }
        // Path-form verification tokens.
        if let Some(token) = path.strip_prefix("/api/v1/auth/verify-email/") {
            seen.add("emailed token", token);
        }
        if let Some(query) = parts.uri.query() {
            for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
                if key == "token" {
                    seen.add("emailed token", &value);
                }
            }
        }
    }
    let mut upstream = proxy
        .client
        .request(
            parts.method.clone(),
            format!("{}{path_and_query}", proxy.upstream),
        )
        .body(body);
    for (name, value) in &parts.headers {
        if !matches!(
            name.as_str(),
            "host" | "content-length" | "transfer-encoding" | "connection"
        ) {
            upstream = upstream.header(name, value);
        }
    }
    let answer = match upstream.send().await {
        Ok(answer) => answer,
        Err(err) => {
            return Response::builder()
                .status(StatusCode::BAD_GATEWAY)
                .body(Body::from(format!("proxy: {err}")))
                .unwrap();
        }
    };
    let status = answer.status();
    let mut headers = answer.headers().clone();
    let body = answer.bytes().await.unwrap_or_default();
    {
        let mut seen = proxy.seen.lock().unwrap();
        collect_headers(&mut seen, &headers);
        if let Ok(json) = serde_json::from_slice::<Value>(&body) {
            collect_json(&mut seen, &json);
        }
    }
    let status = sabotage(parts.method.as_str(), &path, status, &mut headers);
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::TRANSFER_ENCODING);
    let mut response = Response::builder()
        .status(status)
        .body(Body::from(body))
        .unwrap();
    *response.headers_mut() = headers;
    response
}

fn start_proxy(upstream: String) -> (SocketAddr, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let proxy = Proxy {
        upstream,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        seen: seen.clone(),
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let app = axum::Router::new().fallback(forward).with_state(proxy);
            axum::serve(listener, app).await.unwrap();
        });
    });
    (rx.recv().unwrap(), seen)
}

#[test]
fn a_failing_run_leaks_no_secret_into_any_output() {
    let reference = EmbeddedServer::start(ReferenceConfig::embedded()).unwrap();
    let (proxy, seen) = start_proxy(reference.base_url().to_owned());
    let base = format!("http://{proxy}");
    let dir = std::env::temp_dir().join(format!("sfc-no-leaks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let mut outputs: Vec<(String, String)> = Vec::new();
    for (run, report) in [("md", "report.md"), ("html", "report.html")] {
        let junit = dir.join(format!("{run}-junit.xml"));
        let json = dir.join(format!("{run}-results.json"));
        let report = dir.join(report);
        let output = Command::new(env!("CARGO_BIN_EXE_spatialflow-conformance"))
            .args(["verify", "--strict", "--base-url", &base])
            .args(["--mailbox-url", &format!("{base}/_mailpit")])
            .arg("--junit")
            .arg(&junit)
            .arg("--json")
            .arg(&json)
            .arg("--report")
            .arg(&report)
            .env_remove("SPATIALFLOW_BASE_URL")
            .env_remove("SPATIALFLOW_API_KEY")
            .env_remove("SPATIALFLOW_USER_PASSWORD")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert_eq!(
            output.status.code(),
            Some(1),
            "the sabotaged run must fail:\n{stdout}"
        );
        outputs.push((format!("{run} stdout"), stdout));
        outputs.push((
            format!("{run} stderr"),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
        for path in [junit, json, report] {
            outputs.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }

    let seen = seen.lock().unwrap();
    // The test means something only if the run really handled every kind of secret.
    let kinds = seen.kinds();
    for kind in [
        "password",
        "access token",
        "refresh token",
        "emailed token",
        "API key",
        "bearer credential",
        "cookie value",
        "JWT signature",
    ] {
        assert!(
            kinds.contains(kind),
            "no {kind} crossed the proxy: {kinds:?}"
        );
    }
    // ...and failures with evidence were written out.
    let (_, report) = outputs
        .iter()
        .find(|(name, _)| name.ends_with("report.md"))
        .unwrap();
    assert!(report.contains("## Failures and warnings"), "{report}");
    assert!(
        report.contains("[redacted]") || report.contains("[REDACTED]"),
        "{report}"
    );

    let mut leaks = Vec::new();
    for (secret, kind) in &seen.secrets {
        for (name, text) in &outputs {
            if text.contains(secret.as_str()) {
                leaks.push(format!(
                    "a {kind} ({} chars) appears in {name}",
                    secret.len()
                ));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "{} leaks of {} secrets:\n{}",
        leaks.len(),
        seen.secrets.len(),
        leaks.join("\n")
    );
    std::fs::remove_dir_all(&dir).ok();
}
