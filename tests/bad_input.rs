//! Bad-input corpus against the reference server (issue 6, point 2).
//!
//! Every operation of `contract::ENDPOINTS` gets each class of hostile input over a real socket
//! (an in-process [`EmbeddedServer`], spoken to byte by byte so that nothing is "fixed" by a
//! client library). The rules, checked for every request:
//! - an input the operation reads (its body, its credentials) is refused with a 4xx whose body
//!   is the contract's error model (`SchemaSet::response_schema`, validated);
//! - an input the operation does not read (a body sent to `GET /health`) may be ignored, but
//!   the answer is still no 5xx and still meets the schema of its status;
//! - never a 5xx, a hang (10 s per request) or a connection dropped without a response;
//! - afterwards the server still answers normally (health and a login).
//!
//! One test per input class; the table of inputs is in each test.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use spatialflow_conformance::contract::{Auth, ENDPOINTS, Endpoint, SchemaSet};
use spatialflow_conformance::reference::{EmbeddedServer, ReferenceConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Time allowed for one exchange, from connecting to the last byte of the response.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Password of the corpus users.
const PASSWORD: &str = "Corpus-Passw0rd!";

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 exchange

/// A request as bytes on the wire: the head is written as given, the body after it.
#[derive(Clone, Debug)]
struct RawRequest {
    method: &'static str,
    target: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Body,
}

/// How the body goes out.
#[derive(Clone, Debug)]
enum Body {
    /// With a `Content-Length` of its real size (none for an empty body without a type).
    Fixed(Vec<u8>),
    /// A `Content-Length` that announces `declared` bytes; only `sent` are written.
    Declared { declared: usize, sent: Vec<u8> },
    /// `Transfer-Encoding: chunked`, `total` bytes of `x` in 64 KiB chunks.
    Streamed { total: usize },
}

/// What came back.
#[derive(Debug)]
struct RawResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Body bytes the client had written when the response head arrived (streamed bodies).
    written_before_response: usize,
    elapsed: Duration,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl RawRequest {
    fn new(method: &'static str, target: impl Into<String>) -> Self {
        Self {
            method,
            target: target.into(),
            headers: Vec::new(),
            body: Body::Fixed(Vec::new()),
        }
    }

    fn header(mut self, name: &str, value: impl Into<Vec<u8>>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    fn json(self, body: impl Into<Vec<u8>>) -> Self {
        self.header("Content-Type", "application/json")
            .body(Body::Fixed(body.into()))
    }

    fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    fn head(&self, addr: &str) -> Vec<u8> {
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: {addr}\r\n",
            self.method, self.target
        )
        .into_bytes();
        for (name, value) in &self.headers {
            head.extend_from_slice(name.as_bytes());
            head.extend_from_slice(b": ");
            head.extend_from_slice(value);
            head.extend_from_slice(b"\r\n");
        }
        match &self.body {
            Body::Fixed(bytes) if bytes.is_empty() && self.method == "GET" => {}
            Body::Fixed(bytes) => {
                head.extend_from_slice(format!("Content-Length: {}\r\n", bytes.len()).as_bytes())
            }
            Body::Declared { declared, .. } => {
                head.extend_from_slice(format!("Content-Length: {declared}\r\n").as_bytes())
            }
            Body::Streamed { .. } => head.extend_from_slice(b"Transfer-Encoding: chunked\r\n"),
        }
        head.extend_from_slice(b"Connection: close\r\n\r\n");
        head
    }

    /// Sends the request and reads the response; an error is a hang, a refused connection or a
    /// connection closed before a complete response.
    async fn send(&self, addr: &str) -> Result<RawResponse, String> {
        let started = Instant::now();
        let exchange = async {
            let stream = TcpStream::connect(addr)
                .await
                .map_err(|e| format!("connect: {e}"))?;
            let (mut reader, mut writer) = stream.into_split();
            let written = Arc::new(AtomicUsize::new(0));
            let head = self.head(addr);
            let body = self.body.clone();
            let counter = written.clone();
            // The writer runs apart from the reader: a server that answers early (413) must be
            // heard while the client is still sending. Write errors after that are expected.
            let writer_task = tokio::spawn(async move {
                writer.write_all(&head).await?;
                match body {
                    Body::Fixed(bytes) | Body::Declared { sent: bytes, .. } => {
                        writer.write_all(&bytes).await?;
                        counter.fetch_add(bytes.len(), Ordering::SeqCst);
                    }
                    Body::Streamed { total } => {
                        let chunk = vec![b'x'; 64 * 1024];
                        let frame =
                            [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
                        let mut sent = 0;
                        while sent < total {
                            writer.write_all(&frame).await?;
                            sent += chunk.len();
                            counter.fetch_add(chunk.len(), Ordering::SeqCst);
                        }
                        writer.write_all(b"0\r\n\r\n").await?;
                    }
                }
                writer.flush().await?;
                std::io::Result::Ok(writer)
            });
            let response = read_response(&mut reader, &written).await;
            writer_task.abort();
            response
        };
        let mut response = tokio::time::timeout(REQUEST_TIMEOUT, exchange)
            .await
            .map_err(|_| format!("no complete response within {REQUEST_TIMEOUT:?}"))??;
        response.elapsed = started.elapsed();
        Ok(response)
    }
}

async fn read_response(
    reader: &mut tokio::net::tcp::OwnedReadHalf,
    written: &AtomicUsize,
) -> Result<RawResponse, String> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let n = reader
            .read(&mut chunk)
            .await
            .map_err(|e| format!("connection dropped before a response: {e}"))?;
        if n == 0 {
            return Err(format!(
                "connection closed before a complete response head ({} bytes read)",
                buffer.len()
            ));
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let written_before_response = written.load(Ordering::SeqCst);
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = buffer[head_end + 4..].to_vec();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok());
    loop {
        if length.is_some_and(|l| body.len() >= l) {
            break;
        }
        match reader.read(&mut chunk).await {
            Ok(0) if length.is_none() => break,
            Ok(0) => return Err(format!("connection closed after {} body bytes", body.len())),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(format!("connection dropped mid-body: {e}")),
        }
    }
    Ok(RawResponse {
        status,
        headers,
        body,
        written_before_response,
        elapsed: Duration::ZERO,
    })
}

// ---------------------------------------------------------------------------------------------
// The server under test and its users

/// An embedded server with two signed-up users: one whose access token the protected
/// operations get, one that only logout gets (logout revokes every earlier access token).
struct Target {
    server: EmbeddedServer,
    addr: String,
    http: reqwest::Client,
    token: String,
}

impl Target {
    async fn start() -> Self {
        let server = EmbeddedServer::start(ReferenceConfig::embedded()).expect("server starts");
        let addr = server.addr().to_string();
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()
            .unwrap();
        let mut target = Self {
            server,
            addr,
            http,
            token: String::new(),
        };
        for email in ["corpus@example.com", "leaver@example.com"] {
            let signup = target
                .post(
                    "/api/v1/public/signup",
                    json!({"email": email, "password": PASSWORD}),
                )
                .await;
            assert_eq!(signup.status(), 201, "signup of {email}");
        }
        target.token = target.login("corpus@example.com").await;
        target
    }

    /// A JSON answer of the reference's Mailpit-compatible outbox API (`path` after `/_mailpit`).
    async fn mailbox(&self, path: &str) -> Value {
        self.http
            .get(format!("{}/_mailpit{path}", self.server.base_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.server.base_url()))
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    async fn login(&self, email: &str) -> String {
        let response = self
            .post(
                "/api/v1/auth/login",
                json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), 200, "login of {email}");
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// The credentials header that gets `endpoint` past authentication, if it needs one.
    async fn credentials(&self, endpoint: &Endpoint) -> Option<(String, Vec<u8>)> {
        let bearer =
            |token: &str| Some(("Authorization".to_owned(), format!("Bearer {token}").into()));
        match endpoint.auth {
            Auth::None => None,
            _ if endpoint.operation_id == "apps_authentication_api_logout" => {
                bearer(&self.login("leaver@example.com").await)
            }
            Auth::Jwt | Auth::JwtOrApiKey => bearer(&self.token),
            Auth::ApiKey => {
                let response = self
                    .http
                    .post(format!(
                        "{}/api/v1/account/api-keys",
                        self.server.base_url()
                    ))
                    .bearer_auth(&self.token)
                    .send()
                    .await
                    .unwrap();
                let body: Value = response.json().await.unwrap();
                let key = body["api_key"]["key"].as_str().unwrap().to_owned();
                Some(("X-API-KEY".to_owned(), key.into_bytes()))
            }
        }
    }

    /// Health answers and a user can still log in.
    async fn assert_still_serves(&self) {
        let health = self
            .http
            .get(format!("{}/api/v1/auth/health", self.server.base_url()))
            .send()
            .await
            .expect("health answers");
        assert_eq!(health.status(), 200, "health after the corpus");
        self.login("corpus@example.com").await;
    }
}

// ---------------------------------------------------------------------------------------------
// Targets and verdicts

/// A concrete target for `endpoint`: path parameters and the required query parameter filled.
fn target_of(endpoint: &Endpoint) -> String {
    let path = endpoint
        .path
        .replace("{token}", "not-a-token")
        .replace("{ID}", "not-an-id");
    match endpoint.query_param {
        Some(name) => format!("{path}?{name}=corpus"),
        None => path,
    }
}

/// Whether the operation reads a request body.
fn takes_body(endpoint: &Endpoint) -> bool {
    endpoint.request_schema.is_some()
}

/// What a request must get back.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// A 4xx with the contract's error body.
    Refused,
    /// Anything but a 5xx, with a body that meets the schema of its status.
    Tolerated,
}

/// Checks one response; `Err` says what was wrong and where.
fn judge(endpoint: &Endpoint, expect: Expect, response: &RawResponse) -> Result<(), String> {
    let status = response.status;
    if status >= 500 {
        return Err(format!("server error {status}"));
    }
    if expect == Expect::Refused && !(400..500).contains(&status) {
        return Err(format!("expected a 4xx, got {status}"));
    }
    let Some(schema) = SchemaSet::global().response_schema(endpoint.method, endpoint.path, status)
    else {
        return Ok(());
    };
    let content_type = response.header("content-type").unwrap_or_default();
    if !content_type.starts_with("application/json") {
        return Err(format!(
            "{status} with Content-Type {content_type:?}, expected JSON"
        ));
    }
    let body: Value = serde_json::from_slice(&response.body)
        .map_err(|e| format!("{status} body is not JSON ({e})"))?;
    let violations = SchemaSet::global().validate(schema, &body);
    if let Some(first) = violations.first() {
        return Err(format!("{status} body breaks {schema}: {first} in {body}"));
    }
    Ok(())
}

/// Sends every case to its endpoint and fails with the list of every broken rule.
async fn run_cases(target: &Target, cases: Vec<(&'static Endpoint, &str, Expect, RawRequest)>) {
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for (endpoint, label, expect, request) in &cases {
        let outcome = match request.send(&target.addr).await {
            Ok(response) => judge(endpoint, *expect, &response),
            Err(error) => Err(error),
        };
        if let Err(error) = outcome {
            failures.push(format!("{} [{label}]: {error}", endpoint.label()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} requests broke the rules:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    target.assert_still_serves().await;
}

/// One case per (endpoint, body) pair: the body goes with a JSON Content-Type and the
/// endpoint's credentials; operations with a body must refuse it, the others may ignore it.
async fn body_cases(
    target: &Target,
    bodies: &[(&'static str, Vec<u8>)],
) -> Vec<(&'static Endpoint, &'static str, Expect, RawRequest)> {
    let mut cases = Vec::new();
    for endpoint in ENDPOINTS {
        let expect = if takes_body(endpoint) {
            Expect::Refused
        } else {
            Expect::Tolerated
        };
        for (label, body) in bodies {
            let mut request = RawRequest::new(endpoint.method, target_of(endpoint));
            if let Some((name, value)) = target.credentials(endpoint).await {
                request = request.header(&name, value);
            }
            cases.push((endpoint, *label, expect, request.json(body.clone())));
        }
    }
    cases
}

/// A body for `endpoint` whose every field (of its request model) is `payload`.
fn body_with_every_field(endpoint: &Endpoint, payload: &str) -> Vec<u8> {
    let mut body = Map::new();
    let names = endpoint
        .request_schema
        .and_then(|schema| SchemaSet::global().document(schema))
        .and_then(|doc| doc["properties"].as_object())
        .map(|properties| properties.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_else(|| vec!["email".to_owned()]);
    for name in names {
        body.insert(name, json!(payload));
    }
    serde_json::to_vec(&Value::Object(body)).unwrap()
}

/// Longest payload put into a URL: past 64 KiB the `http` crate refuses the URI and hyper
/// answers 414 itself, with no body (see `urls_beyond_the_http_layer_limit_close_cleanly`).
const URL_PAYLOAD_CHARS: usize = 8_000;

/// One case per (endpoint, payload): every field of the body carries the payload, and so do
/// the path parameter and the query parameter where the endpoint has them (cut to
/// [`URL_PAYLOAD_CHARS`]). `body_expect` is what operations with a body must answer: `Refused`,
/// or `Tolerated` for a payload that is legitimate data (`o'brien@example.com`).
async fn payload_cases(
    target: &Target,
    payloads: &[(&'static str, String, Expect)],
) -> Vec<(&'static Endpoint, &'static str, Expect, RawRequest)> {
    let mut cases = Vec::new();
    for endpoint in ENDPOINTS {
        for (label, payload, body_expect) in payloads {
            let in_url: String = payload.chars().take(URL_PAYLOAD_CHARS).collect();
            let encoded =
                url::form_urlencoded::byte_serialize(in_url.as_bytes()).collect::<String>();
            let mut path = endpoint
                .path
                .replace("{token}", &encoded)
                .replace("{ID}", &encoded);
            if let Some(name) = endpoint.query_param {
                path = format!("{path}?{name}={encoded}");
            }
            let expect = if endpoint.path.contains("verify-email") || endpoint.path.contains("{ID}")
            {
                Expect::Refused // no such token or message
            } else if takes_body(endpoint) {
                *body_expect
            } else {
                Expect::Tolerated
            };
            let mut request = RawRequest::new(endpoint.method, path);
            if let Some((name, value)) = target.credentials(endpoint).await {
                request = request.header(&name, value);
            }
            let request = if takes_body(endpoint) {
                request.json(body_with_every_field(endpoint, payload))
            } else {
                request
            };
            cases.push((endpoint, *label, expect, request));
        }
    }
    cases
}

/// One case per (endpoint, header value): protected operations must answer 401 to it (the
/// only credentials sent are the hostile ones); open operations may ignore it.
fn header_cases(
    name: &str,
    values: &[(&'static str, Vec<u8>)],
) -> Vec<(&'static Endpoint, &'static str, Expect, RawRequest)> {
    let mut cases = Vec::new();
    for endpoint in ENDPOINTS {
        let expect = match endpoint.auth {
            Auth::None => Expect::Tolerated,
            _ => Expect::Refused,
        };
        for (label, value) in values {
            let request =
                RawRequest::new(endpoint.method, target_of(endpoint)).header(name, value.clone());
            cases.push((endpoint, *label, expect, request));
        }
    }
    cases
}

/// A payload every operation with a body must refuse.
fn refused(label: &'static str, payload: impl Into<String>) -> (&'static str, String, Expect) {
    (label, payload.into(), Expect::Refused)
}

/// `depth` levels of `open`, then `inner`, then the closers.
fn nested(depth: usize, open: &str, inner: &str, close: &str) -> Vec<u8> {
    [open.repeat(depth), inner.to_owned(), close.repeat(depth)]
        .concat()
        .into_bytes()
}

// ---------------------------------------------------------------------------------------------
// One test per input class

#[tokio::test]
async fn malformed_json_is_refused() {
    let target = Target::start().await;
    let bodies = vec![
        (
            "truncated object",
            br#"{"email": "a@example.com", "password": "#.to_vec(),
        ),
        ("single quotes", br#"{'email': 'a@example.com'}"#.to_vec()),
        ("trailing comma", br#"{"email": "a@example.com",}"#.to_vec()),
        ("bare word", b"undefined".to_vec()),
        ("two documents", br#"{"a": 1}{"b": 2}"#.to_vec()),
        ("unterminated string", br#"{"email": "a@exa"#.to_vec()),
        ("lone surrogate escape", br#"{"email": "\ud800"}"#.to_vec()),
    ];
    let cases = body_cases(&target, &bodies).await;
    run_cases(&target, cases).await;
}

#[tokio::test]
async fn wrong_or_missing_content_type_is_refused() {
    let target = Target::start().await;
    let types: &[(&str, Option<&str>)] = &[
        ("no Content-Type", None),
        ("text/plain", Some("text/plain")),
        ("form", Some("application/x-www-form-urlencoded")),
        ("multipart", Some("multipart/form-data; boundary=x")),
        ("xml", Some("application/xml")),
        ("garbage type", Some("json")),
    ];
    let mut cases = Vec::new();
    for endpoint in ENDPOINTS.iter().filter(|e| takes_body(e)) {
        for (label, content_type) in types {
            let mut request = RawRequest::new(endpoint.method, target_of(endpoint))
                .body(Body::Fixed(br#"{"email": "a@example.com"}"#.to_vec()));
            if let Some(content_type) = content_type {
                request = request.header("Content-Type", *content_type);
            }
            if let Some((name, value)) = target.credentials(endpoint).await {
                request = request.header(&name, value);
            }
            cases.push((endpoint, *label, Expect::Refused, request));
        }
    }
    run_cases(&target, cases).await;
}

#[tokio::test]
async fn empty_bodies_are_refused_unless_the_body_is_optional() {
    let target = Target::start().await;
    let mut cases = body_cases(
        &target,
        &[("empty", Vec::new()), ("whitespace", b"  \r\n ".to_vec())],
    )
    .await;
    for (endpoint, _, expect, _) in &mut cases {
        if endpoint.body_optional {
            *expect = Expect::Tolerated; // api-keys: defaults; refresh: the cookie (none: 401)
        }
    }
    run_cases(&target, cases).await;
}

#[tokio::test]
async fn a_declared_body_over_one_mebibyte_is_413_on_every_route() {
    let target = Target::start().await;
    let mut cases = Vec::new();
    for endpoint in ENDPOINTS {
        let request = RawRequest::new(endpoint.method, target_of(endpoint))
            .header("Content-Type", "application/json")
            .body(Body::Declared {
                declared: 2 * 1024 * 1024,
                sent: vec![b' '; 2 * 1024 * 1024],
            });
        cases.push((endpoint, "2 MiB", Expect::Refused, request));
    }
    for (endpoint, label, _, request) in &cases {
        let response = request.send(&target.addr).await.expect(label);
        assert_eq!(response.status, 413, "{}", endpoint.label());
    }
    run_cases(&target, cases).await;
}

#[tokio::test]
async fn a_streamed_50_mib_body_is_cut_off_with_413_without_being_read() {
    const TOTAL: usize = 50 * 1024 * 1024;
    let target = Target::start().await;
    for endpoint in ENDPOINTS.iter().filter(|e| takes_body(e)) {
        let mut request = RawRequest::new(endpoint.method, target_of(endpoint))
            .header("Content-Type", "application/json")
            .body(Body::Streamed { total: TOTAL });
        if let Some((name, value)) = target.credentials(endpoint).await {
            request = request.header(&name, value);
        }
        let response = request.send(&target.addr).await.unwrap_or_else(|e| {
            panic!("{}: {e}", endpoint.label());
        });
        let label = endpoint.label();
        if endpoint.operation_id == "apps_authentication_api_reset_password" {
            assert_eq!(
                response.status, 410,
                "{label}: gone before the body is read"
            );
        } else {
            assert_eq!(response.status, 413, "{label}");
        }
        judge(endpoint, Expect::Refused, &response).unwrap_or_else(|e| panic!("{label}: {e}"));
        eprintln!(
            "{label}: {} after {} KiB written, in {:?}",
            response.status,
            response.written_before_response / 1024,
            response.elapsed
        );
        // The server answered long before the client could push 50 MiB: it stopped reading
        // after the limit (what the client wrote beyond it sits in socket buffers).
        assert!(
            response.written_before_response < 16 * 1024 * 1024,
            "{label}: the client had written {} bytes before the 413",
            response.written_before_response
        );
        assert!(
            response.elapsed < Duration::from_secs(5),
            "{label}: {:?}",
            response.elapsed
        );
    }
    target.assert_still_serves().await;
}

#[tokio::test]
async fn json_nested_10000_deep_is_refused() {
    let target = Target::start().await;
    let bodies = vec![
        ("arrays 10,000 deep", nested(10_000, "[", "", "]")),
        (
            "objects 10,000 deep",
            nested(10_000, "{\"email\":", "1", "}"),
        ),
        ("unclosed arrays 10,000 deep", b"[".repeat(10_000)),
    ];
    let cases = body_cases(&target, &bodies).await;
    run_cases(&target, cases).await;
}

#[tokio::test]
async fn invalid_utf8_is_refused() {
    let target = Target::start().await;
    let bodies = vec![
        (
            "invalid bytes in a string",
            b"{\"email\": \"\xff\xfe@example.com\", \"password\": \"\xc3\x28\"}".to_vec(),
        ),
        (
            "overlong encoding",
            b"{\"email\": \"\xc0\xafa@example.com\"}".to_vec(),
        ),
        (
            "utf-16 body",
            "{\"email\": \"a@example.com\"}"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect(),
        ),
        (
            "latin-1 body",
            b"{\"email\": \"caf\xe9@example.com\"}".to_vec(),
        ),
    ];
    let mut cases = body_cases(&target, &bodies).await;
    // Percent-encoded invalid UTF-8 in path and query parameters.
    for endpoint in ENDPOINTS
        .iter()
        .filter(|e| e.path.contains('{') || e.query_param.is_some())
    {
        let mut path = endpoint
            .path
            .replace("{token}", "%FF%FE")
            .replace("{ID}", "%FF%FE");
        if let Some(name) = endpoint.query_param {
            path = format!("{path}?{name}=%C3%28");
        }
        let expect = if endpoint.path.contains("verify-email") || endpoint.path.contains("{ID}") {
            Expect::Refused
        } else {
            Expect::Tolerated // a Mailpit search for odd bytes simply finds nothing
        };
        cases.push((
            endpoint,
            "percent-encoded invalid UTF-8",
            expect,
            RawRequest::new(endpoint.method, path),
        ));
    }
    run_cases(&target, cases).await;
}

#[tokio::test]
async fn strings_of_100000_characters_are_refused() {
    let target = Target::start().await;
    let payloads = vec![
        refused("100,000 x", "x".repeat(100_000)),
        refused(
            "100,000-character email",
            format!("{}@example.com", "a".repeat(100_000)),
        ),
        refused("100,000 multibyte characters", "é".repeat(100_000)),
    ];
    let cases = payload_cases(&target, &payloads).await;
    run_cases(&target, cases).await;
}

#[tokio::test]
async fn nul_bytes_are_refused() {
    let target = Target::start().await;
    let payloads = vec![
        refused("escaped NUL", "a\u{0}@example.com"),
        refused("only NULs", "\u{0}".repeat(64)),
    ];
    let mut cases = payload_cases(&target, &payloads).await;
    let raw = body_cases(
        &target,
        &[(
            "raw NUL bytes",
            b"{\"email\": \"a\0@example.com\"}\0".to_vec(),
        )],
    )
    .await;
    cases.extend(raw);
    run_cases(&target, cases).await;
}

#[tokio::test]
async fn sql_injection_is_refused_and_changes_nothing() {
    let target = Target::start().await;
    let payloads = vec![
        refused("or 1=1", "' OR '1'='1"),
        refused("comment", "corpus@example.com'--"),
        refused("drop table", "x'); DROP TABLE users; --"),
        refused("union", "' UNION SELECT password_hash FROM users --"),
        // Valid addresses (RFC 5322 atext) that are also SQL: data, never code.
        (
            "like wildcard",
            "%@example.com".to_owned(),
            Expect::Tolerated,
        ),
        ("quote", "o'brien@example.com".to_owned(), Expect::Tolerated),
    ];
    let cases = payload_cases(&target, &payloads).await;
    run_cases(&target, cases).await;
    // `%` matched as a LIKE wildcard would have mailed a reset link to the corpus users.
    let resets = target
        .mailbox("/api/v1/search?query=subject:%22Reset%20your%22")
        .await;
    assert_eq!(resets["messages_count"], 0, "{resets}");
}

#[tokio::test]
async fn header_injection_is_refused_and_sends_no_mail() {
    let target = Target::start().await;
    let payloads = vec![
        refused(
            "CRLF Bcc",
            "corpus@example.com\r\nBcc: attacker@example.net",
        ),
        refused("LF To", "corpus@example.com\nTo: attacker@example.net"),
        refused("CRLF body", "corpus@example.com\r\n\r\nForged body"),
        refused(
            "encoded CRLF",
            "corpus@example.com%0d%0aBcc:attacker@example.net",
        ),
    ];
    let cases = payload_cases(&target, &payloads).await;
    run_cases(&target, cases).await;
    let outbox = target.mailbox("/api/v1/messages").await;
    assert!(
        !outbox.to_string().contains("attacker@example.net"),
        "an injected recipient reached the outbox: {outbox}"
    );
}

#[tokio::test]
async fn huge_or_malformed_authorization_headers_are_401() {
    let target = Target::start().await;
    let values = vec![
        ("bare scheme", b"Bearer".to_vec()),
        ("empty token", b"Bearer ".to_vec()),
        ("three dots", b"Bearer ...".to_vec()),
        ("not a JWT", b"Bearer not-a-jwt".to_vec()),
        ("alg none", b"Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIiwidHlwZSI6ImFjY2VzcyIsImV4cCI6OTk5OTk5OTk5OX0.".to_vec()),
        ("basic", b"Basic Y29ycHVzQGV4YW1wbGUuY29tOnBhc3N3b3Jk".to_vec()),
        ("100,000-character token", [b"Bearer ".as_slice(), &b"a".repeat(100_000)].concat()),
        ("obs-text bytes", b"Bearer \xff\xfe\xfd".to_vec()),
        ("sql", b"Bearer ' OR '1'='1".to_vec()),
        ("api key as bearer", b"Bearer sf_0123456789abcdef".to_vec()),
    ];
    let cases = header_cases("Authorization", &values);
    run_cases(&target, cases).await;
}

#[tokio::test]
async fn hostile_cookies_are_refused() {
    let target = Target::start().await;
    let values = vec![
        (
            "garbage tokens",
            b"access_token=garbage; refresh_token=garbage".to_vec(),
        ),
        ("sql", b"refresh_token=' OR '1'='1".to_vec()),
        ("malformed pairs", b"=;=;;; ;=x; refresh_token".to_vec()),
        (
            "100,000-character cookie",
            [b"refresh_token=".as_slice(), &b"a".repeat(100_000)].concat(),
        ),
        ("obs-text bytes", b"refresh_token=\xff\xfe".to_vec()),
        (
            "many cookies",
            (0..2_000)
                .map(|i| format!("c{i}=v"))
                .collect::<Vec<_>>()
                .join("; ")
                .into_bytes(),
        ),
    ];
    let mut cases = header_cases("Cookie", &values);
    for (endpoint, _, expect, _) in &mut cases {
        if endpoint.operation_id == "apps_authentication_api_refresh_token" {
            *expect = Expect::Refused; // refresh reads the cookie
        }
    }
    run_cases(&target, cases).await;
}

#[tokio::test]
async fn hostile_api_keys_are_401() {
    let target = Target::start().await;
    let values = vec![
        ("empty", Vec::new()),
        ("prefix only", b"sf_".to_vec()),
        (
            "unknown key",
            b"sf_0123456789abcdef0123456789abcdef".to_vec(),
        ),
        ("no prefix", b"0123456789abcdef".to_vec()),
        (
            "100,000-character key",
            [b"sf_".as_slice(), &b"a".repeat(100_000)].concat(),
        ),
        ("sql", b"sf_' OR '1'='1".to_vec()),
        ("obs-text bytes", b"sf_\xff\xfe".to_vec()),
    ];
    let mut cases = header_cases("X-API-KEY", &values);
    for (endpoint, _, expect, _) in &mut cases {
        if endpoint.auth == Auth::Jwt {
            *expect = Expect::Refused; // an API key does not stand in for a JWT either
        }
    }
    run_cases(&target, cases).await;
}

#[tokio::test]
async fn headers_beyond_the_http_layer_limit_close_cleanly() {
    // Past hyper's header buffer (about 400 KiB) the HTTP layer answers 431 itself, with no
    // body (the request never reaches the API), and closes. The rule there: an answer, a 4xx,
    // and a server that keeps serving.
    let target = Target::start().await;
    let huge = RawRequest::new("GET", "/api/v1/auth/me").header(
        "Authorization",
        [b"Bearer ".as_slice(), &b"a".repeat(1024 * 1024)].concat(),
    );
    let mut many = RawRequest::new("GET", "/api/v1/auth/me");
    for i in 0..500 {
        many = many.header(&format!("X-Filler-{i}"), "x");
    }
    for (label, request) in [("1 MiB header", huge), ("500 headers", many)] {
        let response = request.send(&target.addr).await.expect(label);
        assert!(
            (400..500).contains(&response.status),
            "{label}: {}",
            response.status
        );
    }
    target.assert_still_serves().await;
}

#[tokio::test]
async fn urls_beyond_the_http_layer_limit_close_cleanly() {
    // The `http` crate caps a URI at 64 KiB: hyper answers 414 (431 when the request head
    // outgrows its buffer) with no body before the API sees the request.
    let target = Target::start().await;
    let long = "a".repeat(100_000);
    for target_url in [
        format!("/api/v1/auth/verify-email/{long}"),
        format!("/api/v1/auth/verify-email?token={long}"),
        format!("/_mailpit/api/v1/search?query={}", "%C3%A9".repeat(100_000)),
    ] {
        let response = RawRequest::new("GET", target_url.clone())
            .send(&target.addr)
            .await
            .expect("an answer");
        assert!(
            [414, 431].contains(&response.status),
            "{}...: {}",
            &target_url[..40],
            response.status
        );
    }
    target.assert_still_serves().await;
}
