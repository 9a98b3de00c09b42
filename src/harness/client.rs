//! The HTTP client a scenario drives: one reqwest connection pool for the whole run, a cookie jar
//! per scenario, returning [`Exchange`]s.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::Value;

use super::cookies::set_cookies;
use super::exchange::{Body, Exchange, Request, Response};
use super::redact::{Secrets, is_secret_key};
use super::wire::{Service, WireLog, WireRecord};

/// A scenario's client: the run's shared connection pool with the scenario's own cookie jar.
///
/// The jar is applied here rather than given to reqwest (`cookie_provider` binds one jar to one
/// `reqwest::Client`): a client per scenario meant building a client and opening a connection
/// for each of them. Redirects are never followed, so reqwest's cookie handling comes down to
/// the two calls on the jar in [`ApiClient::send`].
#[derive(Clone, Debug)]
pub struct ApiClient {
    client: reqwest::Client,
    jar: Arc<Jar>,
    base_url: String,
    base: url::Url,
    log: WireLog,
}

/// A reqwest builder for talking to `url`: no redirects followed (a redirect is an answer to
/// check, not to follow), and for plain-http URLs no TLS trust store. Loading the system's root
/// certificates costs milliseconds per client, and a plain-http client never uses them.
pub fn client_builder(url: &str) -> reqwest::ClientBuilder {
    let builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    if url.starts_with("http://") {
        builder.tls_certs_only(Vec::new())
    } else {
        builder
    }
}

impl ApiClient {
    /// A client for `base_url` over `pool` (a client from [`client_builder`], shared by the
    /// run), with an empty cookie jar, recording into `log`.
    pub fn new(pool: &reqwest::Client, base_url: &str, log: WireLog) -> anyhow::Result<Self> {
        let base_url = base_url.trim_end_matches('/').to_owned();
        let base = url::Url::parse(&base_url).context("Invalid base URL")?;
        Ok(Self {
            client: pool.clone(),
            jar: Arc::default(),
            base_url,
            base,
            log,
        })
    }

    /// The same client with an empty cookie jar (a caller that never had a session).
    pub fn with_fresh_jar(&self) -> Self {
        Self {
            jar: Arc::default(),
            ..self.clone()
        }
    }

    /// The target's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The `Cookie` header the jar would send to the target, if any.
    pub fn jar_cookies(&self) -> Option<String> {
        self.jar
            .cookies(&self.base)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
    }

    /// Sends `request` and records the exchange. Secrets in either direction are registered
    /// for redaction before anything can print them.
    pub async fn send(&self, request: Request) -> anyhow::Result<Exchange> {
        register_secrets(request.json.as_ref());
        let method =
            reqwest::Method::from_bytes(request.method.as_bytes()).context("Invalid method")?;
        // Appended, not joined: a base URL may carry a path prefix that `join` would drop.
        let url = url::Url::parse(&format!("{}{}", self.base_url, request.path))
            .with_context(|| format!("Invalid path {}", request.route()))?;
        let mut builder = self.client.request(method, url.clone());
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        // A Cookie header the step set itself wins over the jar, as it would in reqwest.
        let jar_cookie = (!request.has_header("cookie"))
            .then(|| self.jar.cookies(&url))
            .flatten();
        if let Some(cookie) = &jar_cookie {
            builder = builder.header(COOKIE, cookie.clone());
        }
        if let Some(json) = &request.json {
            builder = builder.json(json);
        } else if let Some(raw) = &request.raw {
            if !request.has_header("content-type") {
                builder = builder.header("content-type", "application/json");
            }
            builder = builder.body(raw.clone());
        }
        let started = Instant::now();
        let response = builder
            .send()
            .await
            .with_context(|| format!("Failed to send {} {}", request.method, request.route()))?;
        self.jar
            .set_cookies(&mut response.headers().get_all(SET_COOKIE).iter(), &url);
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
        self.log.push(|| {
            let mut sent = request.clone();
            if let Some(cookie) = jar_cookie {
                let cookie = String::from_utf8_lossy(cookie.as_bytes()).into_owned();
                sent.headers.push(("Cookie".to_owned(), cookie));
            }
            WireRecord {
                service: Service::Api,
                request: sent,
                status,
                body: WireRecord::body_of(&response.body),
                set_cookies: response
                    .headers_named("set-cookie")
                    .map(str::to_owned)
                    .collect(),
                batch: None,
            }
        });
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
