//! The HTTP client a scenario drives: reqwest with its own cookie jar, returning [`Exchange`]s.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use reqwest::cookie::{CookieStore, Jar};
use serde_json::Value;

use super::cookies::set_cookies;
use super::exchange::{Body, Exchange, Request, Response};
use super::redact::{Secrets, is_secret_key};

/// A client bound to one target, with one cookie jar (one per scenario).
#[derive(Clone, Debug)]
pub struct ApiClient {
    client: reqwest::Client,
    jar: Arc<Jar>,
    base_url: String,
}

/// A reqwest builder for talking to `url`: no redirects followed (a redirect is an answer to
/// check, not to follow), and for plain-http URLs no TLS trust store. Loading the system's root
/// certificates costs milliseconds per client, and the suite builds one client per scenario:
/// perf showed it was most of a run's CPU. A plain-http client never uses them.
pub fn client_builder(url: &str) -> reqwest::ClientBuilder {
    let builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    if url.starts_with("http://") {
        builder.tls_certs_only(Vec::new())
    } else {
        builder
    }
}

impl ApiClient {
    /// A client for `base_url` with a fresh cookie jar and a per-request `timeout`.
    pub fn new(base_url: &str, timeout: Duration) -> anyhow::Result<Self> {
        let jar = Arc::new(Jar::default());
        let client = client_builder(base_url)
            .cookie_provider(jar.clone())
            .timeout(timeout)
            .build()
            .context("Failed to build the HTTP client")?;
        Ok(Self {
            client,
            jar,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The underlying reqwest client (shares the jar).
    pub fn inner(&self) -> &reqwest::Client {
        &self.client
    }

    /// The target's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The `Cookie` header the jar would send to the target, if any.
    pub fn jar_cookies(&self) -> Option<String> {
        let url = url::Url::parse(&self.base_url).ok()?;
        self.jar
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
    }

    /// Sends `request` and records the exchange. Secrets in either direction are registered
    /// for redaction before anything can print them.
    pub async fn send(&self, request: Request) -> anyhow::Result<Exchange> {
        register_secrets(request.json.as_ref());
        let method =
            reqwest::Method::from_bytes(request.method.as_bytes()).context("Invalid method")?;
        let mut builder = self
            .client
            .request(method, format!("{}{}", self.base_url, request.path));
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(json) = &request.json {
            builder = builder.json(json);
        } else if let Some(raw) = &request.raw {
            let typed = request
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
            if !typed {
                builder = builder.header("content-type", "application/json");
            }
            builder = builder.body(raw.clone());
        }
        let started = Instant::now();
        let response = builder
            .send()
            .await
            .with_context(|| format!("Failed to send {} {}", request.method, request.route()))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let bytes = response
            .bytes()
            .await
            .context("Failed to read the response body")?;
        let elapsed = started.elapsed();
        let response = Response {
            status,
            headers,
            body: Body::from_bytes(&bytes),
        };
        register_secrets(response.body.json());
        for cookie in set_cookies(&response) {
            Secrets::global().register(&cookie.value);
        }
        Ok(Exchange {
            request,
            response,
            elapsed,
        })
    }
}

/// Registers every value under a secret key of `value`.
pub fn register_secrets(value: Option<&Value>) {
    fn walk(value: &Value) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        Value::String(s) if is_secret_key(k) => Secrets::global().register(s),
                        other => walk(other),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(walk),
            _ => {}
        }
    }
    if let Some(v) = value {
        walk(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The brief asked whether the jar sends `Secure` cookies over plain http to a loopback
    /// target: it does (cookie_store treats loopback as a secure context), so refresh-from-cookie
    /// goes through the jar against the embedded reference.
    #[test]
    fn the_jar_sends_secure_cookies_to_loopback_over_http() {
        let jar = Jar::default();
        let url = url::Url::parse("http://127.0.0.1:41234/api/v1/auth/login").unwrap();
        jar.add_cookie_str(
            "rt=abc; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=600",
            &url,
        );
        let sent =
            jar.cookies(&url::Url::parse("http://127.0.0.1:41234/api/v1/auth/refresh").unwrap());
        assert_eq!(sent.unwrap().to_str().unwrap(), "rt=abc");
    }

    #[test]
    fn the_jar_withholds_secure_cookies_from_plain_http_elsewhere() {
        let jar = Jar::default();
        let url = url::Url::parse("http://staging.example/api/v1/auth/login").unwrap();
        jar.add_cookie_str("rt=abc; Secure; Path=/", &url);
        assert!(jar.cookies(&url).is_none());
    }

    #[test]
    fn secrets_under_secret_keys_are_registered() {
        register_secrets(Some(
            &serde_json::json!({"user": {"refresh_token": "registered-secret-1"}}),
        ));
        assert_eq!(
            crate::harness::redact::redact("x registered-secret-1 y"),
            "x [redacted] y"
        );
    }
}
