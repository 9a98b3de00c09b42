//! Preflight: before any scenario runs, make sure the target is there and is a SpatialFlow
//! auth API, so that a wrong URL gives one clear line instead of a wall of failed scenarios.

use std::time::Duration;

/// The path probed: the contract's unauthenticated health endpoint.
pub const HEALTH_PATH: &str = "/api/v1/auth/health";

/// How long the whole probe may take (the release-gate issue asks for an answer within 5 s).
pub const PREFLIGHT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the target cannot be tested.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreflightError {
    /// The base URL is not an absolute http(s) URL.
    #[error("{url}: not a usable base URL ({reason})")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No HTTP answer: DNS, refused connection, TLS failure, reset, timeout.
    #[error("{url}: unreachable ({cause})")]
    Unreachable {
        /// The URL probed.
        url: String,
        /// The innermost cause, e.g. `Connection refused (os error 111)`.
        cause: String,
    },
    /// An HTTP server answered, but not as a SpatialFlow auth API does.
    #[error("{url}: not a SpatialFlow auth API (GET {HEALTH_PATH} answered {status})")]
    NotTheApi {
        /// The URL probed.
        url: String,
        /// The status it answered.
        status: u16,
    },
}

/// Checks that `base_url` parses and normalises it (no trailing slash).
pub fn parse_base_url(base_url: &str) -> Result<String, PreflightError> {
    let bad = |reason: &str| PreflightError::BadUrl {
        url: base_url.to_owned(),
        reason: reason.to_owned(),
    };
    let url = url::Url::parse(base_url).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it names no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not carry a query or fragment"));
    }
    Ok(base_url.trim_end_matches('/').to_owned())
}

/// Probes `GET {base_url}/api/v1/auth/health` within `timeout`; Ok when it answers 200.
pub async fn probe(base_url: &str, timeout: Duration) -> Result<(), PreflightError> {
    let base = parse_base_url(base_url)?;
    let url = format!("{base}{HEALTH_PATH}");
    // Built like the suite's clients: no TLS trust store for a plain-http target (loading it
    // took 3 ms of every run).
    let client = crate::harness::client::client_builder(&base)
        .timeout(timeout)
        .connect_timeout(timeout)
        .build()
        .map_err(|e| PreflightError::Unreachable {
            url: base.clone(),
            cause: innermost_cause(&e),
        })?;
    let response = client
        .get(&url)
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|e| PreflightError::Unreachable {
            url: base.clone(),
            cause: describe(&e, timeout),
        })?;
    match response.status().as_u16() {
        200 => Ok(()),
        status => Err(PreflightError::NotTheApi { url: base, status }),
    }
}

fn describe(error: &reqwest::Error, timeout: Duration) -> String {
    if error.is_timeout() {
        return format!("no answer within {} s", timeout.as_secs_f64());
    }
    innermost_cause(error)
}

/// The deepest error message in the chain: the one that names the real cause.
fn innermost_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let text = cause.to_string();
    if text.is_empty() {
        error.to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    const SHORT: Duration = Duration::from_millis(400);

    async fn serve_once(answer: &'static [u8]) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut buf = [0u8; 1024];
                let _ = socket.read(&mut buf).await;
                if !answer.is_empty() {
                    let _ = socket.write_all(answer).await;
                } else {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
            }
        });
        format!("http://{addr}")
    }

    #[test]
    fn base_urls_must_be_absolute_http_urls() {
        assert_eq!(
            parse_base_url("http://localhost:8000/").unwrap(),
            "http://localhost:8000"
        );
        assert!(matches!(
            parse_base_url("localhost:8000"),
            Err(PreflightError::BadUrl { .. })
        ));
        assert!(matches!(
            parse_base_url("ftp://host"),
            Err(PreflightError::BadUrl { .. })
        ));
        assert!(matches!(
            parse_base_url("http://h/?q=1"),
            Err(PreflightError::BadUrl { .. })
        ));
        assert!(matches!(
            parse_base_url(""),
            Err(PreflightError::BadUrl { .. })
        ));
    }

    #[tokio::test]
    async fn a_closed_port_is_unreachable_with_the_os_cause() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let err = probe(&format!("http://127.0.0.1:{port}"), SHORT)
            .await
            .unwrap_err();
        let line = err.to_string();
        assert!(matches!(err, PreflightError::Unreachable { .. }));
        assert!(line.contains(&format!("127.0.0.1:{port}")), "{line}");
        assert!(line.to_lowercase().contains("refused"), "{line}");
        assert!(!line.contains('\n'));
    }

    #[tokio::test]
    async fn a_server_that_never_answers_times_out() {
        let base = serve_once(b"").await;
        let started = std::time::Instant::now();
        let err = probe(&base, SHORT).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(3));
        assert!(err.to_string().contains("no answer within 0.4 s"), "{err}");
    }

    #[tokio::test]
    async fn another_http_server_is_not_the_api() {
        let base = serve_once(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n").await;
        let err = probe(&base, SHORT).await.unwrap_err();
        assert_eq!(
            err,
            PreflightError::NotTheApi {
                url: base.clone(),
                status: 404
            }
        );
        assert!(err.to_string().contains("not a SpatialFlow auth API"));
    }

    #[tokio::test]
    async fn garbage_instead_of_http_is_unreachable() {
        let base = serve_once(b"SSH-2.0-OpenSSH_9.2\r\n").await;
        let err = probe(&base, SHORT).await.unwrap_err();
        assert!(matches!(err, PreflightError::Unreachable { .. }), "{err}");
    }

    #[tokio::test]
    async fn a_healthy_server_passes() {
        let base = serve_once(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
        )
        .await;
        probe(&base, SHORT).await.unwrap();
    }

    #[tokio::test]
    async fn an_unknown_host_is_unreachable() {
        let err = probe("http://no-such-host.invalid", SHORT)
            .await
            .unwrap_err();
        assert!(matches!(err, PreflightError::Unreachable { .. }), "{err}");
    }
}
