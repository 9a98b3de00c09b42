//! The gate never hangs (issue 6, point 5): `verify` against local servers that misbehave.
//!
//! Each test starts a small TCP server on 127.0.0.1 that breaks HTTP in one way, runs the real
//! binary (`spatialflow-conformance verify --base-url ...`) with a short per-request timeout
//! and a short whole-run timeout, and checks that it ends within those bounds with a clear
//! line and the documented exit code: 2 when the run could not happen, 1 when it ran and the
//! target failed scenarios.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Per-request timeout given to `verify`, in seconds.
const REQUEST_TIMEOUT_SECS: u64 = 1;
/// Whole-run timeout given to `verify`, in seconds, where the test is about the run timeout.
const RUN_TIMEOUT_SECS: u64 = 4;
/// Whole-run timeout where the run must end on its own (a failed run takes about 4 s here).
const GENEROUS_RUN_TIMEOUT_SECS: u64 = 60;
/// What `verify` may take beyond its whole-run timeout (process start, shutdown).
const SLACK: Duration = Duration::from_secs(10);

/// How a misbehaving server treats each connection, after reading the request head.
#[derive(Clone, Copy, Debug)]
enum Behaviour {
    /// Accepts, reads, never answers (keeps the socket open).
    Silent,
    /// Answers health correctly but only after 3 s, longer than the request timeout.
    Slow,
    /// Closes the connection with a reset (SO_LINGER 0) without answering.
    Reset,
    /// Answers health with 200 JSON, and every other request with 200 HTML garbage.
    GarbageApi,
    /// Answers with bytes that are not HTTP at all.
    NotHttp,
    /// Answers health, then never answers anything else.
    HealthyThenSilent,
}

/// Starts the server on a free loopback port; its threads live until the test process ends.
fn start(behaviour: Behaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream, behaviour));
        }
    });
    format!("http://{addr}")
}

fn serve(mut stream: TcpStream, behaviour: Behaviour) {
    loop {
        let Some(head) = read_head(&mut stream) else {
            return;
        };
        let health = head.starts_with("GET /api/v1/auth/health");
        let answer: Vec<u8> = match behaviour {
            Behaviour::Silent => return hold(stream),
            Behaviour::HealthyThenSilent if !health => return hold(stream),
            Behaviour::Reset => {
                let socket = socket_with_zero_linger(stream);
                drop(socket);
                return;
            }
            Behaviour::NotHttp => b"\x00\x01garbage that is not HTTP\r\n\r\n".to_vec(),
            Behaviour::Slow => {
                std::thread::sleep(Duration::from_secs(3));
                json_ok(r#"{"status": "ok"}"#)
            }
            Behaviour::GarbageApi if !health => {
                let body = "<html><body>Service Unavailable… or is it?</body>";
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                )
                .into_bytes()
            }
            Behaviour::GarbageApi | Behaviour::HealthyThenSilent => json_ok(r#"{"status": "ok"}"#),
        };
        if stream.write_all(&answer).is_err() {
            return;
        }
        if matches!(behaviour, Behaviour::NotHttp) {
            return;
        }
    }
}

fn json_ok(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads one request head (and drops any body that fits in the buffer); `None` at EOF.
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut buffer = Vec::new();
    let mut byte = [0u8; 4096];
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut byte).ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&byte[..n]);
    }
    Some(String::from_utf8_lossy(&buffer).into_owned())
}

/// Keeps the connection open without answering, until the client gives up.
fn hold(mut stream: TcpStream) {
    let mut sink = [0u8; 4096];
    while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
}

/// A std socket turned into one whose close sends RST instead of FIN.
fn socket_with_zero_linger(stream: TcpStream) -> tokio::net::TcpSocket {
    stream.set_nonblocking(true).unwrap();
    let socket = tokio::net::TcpSocket::from_std_stream(stream);
    socket.set_zero_linger().unwrap();
    socket
}

/// Runs `verify` against `base_url`; returns the exit code, stdout and the time it took.
fn verify(base_url: &str, run_timeout_secs: u64, concurrency: u16) -> (i32, String, Duration) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_spatialflow-conformance"))
        .args(["verify", "--base-url", base_url])
        .args(["--concurrency", &concurrency.to_string()])
        .args(["--timeout", &REQUEST_TIMEOUT_SECS.to_string()])
        .args(["--run-timeout", &run_timeout_secs.to_string()])
        .env_remove("SPATIALFLOW_MAILBOX_URL")
        .env_remove("SPATIALFLOW_USER_EMAIL")
        .env_remove("SPATIALFLOW_API_KEY")
        .stdin(Stdio::null())
        .output()
        .expect("verify runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    (
        output.status.code().unwrap_or(-1),
        stdout,
        started.elapsed(),
    )
}

/// Asserts the run ended within its whole-run timeout (plus slack) with `code` and a line containing `says`.
fn assert_ends(behaviour: Behaviour, run_timeout_secs: u64, code: i32, says: &str) {
    // A target that stalls after the preflight fails each scenario within its request timeout;
    // one scenario at a time, those timeouts outlast the run timeout, which is what is tested.
    let concurrency = match behaviour {
        Behaviour::HealthyThenSilent => 1,
        _ => 64,
    };
    let (actual, stdout, elapsed) = verify(&start(behaviour), run_timeout_secs, concurrency);
    let last = stdout.lines().rev().find(|l| !l.trim().is_empty());
    eprintln!(
        "{behaviour:?}: exit {actual} after {elapsed:.1?}: {}",
        last.unwrap_or("")
    );
    let bound = Duration::from_secs(run_timeout_secs) + SLACK;
    assert!(elapsed < bound, "{behaviour:?}: took {elapsed:?}\n{stdout}");
    assert_eq!(actual, code, "{behaviour:?}: exit code\n{stdout}");
    assert!(
        stdout.contains(says),
        "{behaviour:?}: no line saying {says:?}\n{stdout}"
    );
}

#[test]
fn a_target_that_never_answers_is_exit_2_within_the_request_timeout() {
    assert_ends(
        Behaviour::Silent,
        RUN_TIMEOUT_SECS,
        2,
        "no answer within 1 s",
    );
}

#[test]
fn a_target_slower_than_the_request_timeout_is_exit_2() {
    assert_ends(Behaviour::Slow, RUN_TIMEOUT_SECS, 2, "no answer within 1 s");
}

#[test]
fn a_target_that_resets_connections_is_exit_2() {
    assert_ends(Behaviour::Reset, RUN_TIMEOUT_SECS, 2, "cannot run");
}

#[test]
fn a_target_that_does_not_speak_http_is_exit_2() {
    assert_ends(Behaviour::NotHttp, RUN_TIMEOUT_SECS, 2, "cannot run");
}

#[test]
fn a_target_that_answers_html_garbage_fails_its_scenarios() {
    assert_ends(
        Behaviour::GarbageApi,
        GENEROUS_RUN_TIMEOUT_SECS,
        1,
        "NOT CONFORMANT",
    );
}

#[test]
fn a_target_that_stalls_after_the_preflight_is_stopped_by_the_run_timeout() {
    assert_ends(
        Behaviour::HealthyThenSilent,
        RUN_TIMEOUT_SECS,
        2,
        "did not finish within 4 s",
    );
}
