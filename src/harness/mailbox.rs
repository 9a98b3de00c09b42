//! Reads mail through a Mailpit-compatible API (`/api/v1/search`, `/api/v1/message/{ID}`), so the
//! same adapter works against the embedded reference and a real Mailpit on staging.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::exchange::Request;
use super::wire::{Service, WireLog, WireRecord};

/// First pause between polls; it doubles up to [`MAX_POLL_PAUSE`].
const FIRST_POLL_PAUSE: Duration = Duration::from_millis(5);
/// Longest pause between polls.
const MAX_POLL_PAUSE: Duration = Duration::from_millis(400);

/// A message as the suite needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Mailpit message ID.
    pub id: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text part.
    pub text: String,
    /// HTML part.
    pub html: String,
}

impl Message {
    /// The `token=` value of the first link in the message (text part first, then HTML).
    pub fn token(&self) -> Option<String> {
        extract_token(&self.text).or_else(|| extract_token(&self.html))
    }
}

/// The `token=...` query value of the first link in `text`.
pub fn extract_token(text: &str) -> Option<String> {
    static PATTERN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = PATTERN.get_or_init(|| {
        regex::Regex::new(r"[?&](?:amp;)?token=([A-Za-z0-9_\-.~%]+)")
            .expect("token pattern compiles")
    });
    re.captures(text).map(|c| c[1].to_owned())
}

/// Mailpit API client.
#[derive(Clone, Debug)]
pub struct Mailbox {
    client: reqwest::Client,
    base: String,
    wait: Duration,
    log: WireLog,
}

#[derive(Deserialize)]
struct Summary {
    #[serde(rename = "ID")]
    id: String,
}

#[derive(Deserialize)]
struct SearchResult {
    #[serde(default)]
    messages: Vec<Summary>,
}

#[derive(Deserialize)]
struct Full {
    #[serde(rename = "ID")]
    id: String,
    #[serde(rename = "Subject", default)]
    subject: String,
    #[serde(rename = "Text", default)]
    text: String,
    #[serde(rename = "HTML", default)]
    html: String,
}

impl Mailbox {
    /// A client for the Mailpit API rooted at `base` (e.g. `http://host/_mailpit`), waiting at
    /// most `wait` for a message to arrive.
    pub fn new(client: reqwest::Client, base: &str, wait: Duration) -> Self {
        Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
            wait,
            log: WireLog::default(),
        }
    }

    /// The same mailbox, recording its reads into a scenario's wire log.
    pub fn logging_into(&self, log: WireLog) -> Self {
        Self {
            log,
            ..self.clone()
        }
    }

    /// GETs `path` (relative to the API root) and records the exchange in the wire log.
    async fn fetch(
        &self,
        path: &str,
    ) -> reqwest::Result<(reqwest::StatusCode, impl AsRef<[u8]> + use<>)> {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        self.log.push(|| WireRecord {
            body: serde_json::from_slice(&bytes).ok(),
            ..WireRecord::bare(Service::Mailbox, Request::new("GET", path), status.as_u16())
        });
        Ok((status, bytes))
    }

    /// GETs `path`, fails on a non-success status, parses the JSON.
    async fn get<T: DeserializeOwned>(&self, path: &str, what: &str) -> anyhow::Result<T> {
        let (status, bytes) = self
            .fetch(path)
            .await
            .with_context(|| format!("Failed to {what}"))?;
        if !status.is_success() {
            bail!("the mailbox answered {status} when asked to {what}");
        }
        serde_json::from_slice(bytes.as_ref())
            .with_context(|| format!("Failed to {what}: unreadable answer"))
    }

    /// Whether the API answers (used to probe the capability).
    pub async fn probe(&self) -> bool {
        matches!(self.fetch("/api/v1/messages").await, Ok((status, _)) if status.is_success())
    }

    /// IDs of every message addressed to `to`, newest first.
    pub async fn ids_for(&self, to: &str) -> anyhow::Result<Vec<String>> {
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("query", &format!("to:{to}"))
            .finish();
        let found: SearchResult = self
            .get(&format!("/api/v1/search?{query}"), "search the mailbox")
            .await?;
        Ok(found.messages.into_iter().map(|m| m.id).collect())
    }

    /// Reads one message.
    pub async fn message(&self, id: &str) -> anyhow::Result<Message> {
        let full: Full = self
            .get(&format!("/api/v1/message/{id}"), "read a message")
            .await?;
        Ok(Message {
            id: full.id,
            subject: full.subject,
            text: full.text,
            html: full.html,
        })
    }

    /// Waits for a message to `to` that is not in `seen` and whose subject contains `subject`
    /// (case-insensitive), polling with a pause that grows from a few milliseconds.
    pub async fn wait_for(
        &self,
        to: &str,
        subject: &str,
        seen: &[String],
    ) -> anyhow::Result<Message> {
        let deadline = Instant::now() + self.wait;
        let mut pause = FIRST_POLL_PAUSE;
        loop {
            for id in self.ids_for(to).await? {
                if seen.contains(&id) {
                    continue;
                }
                let message = self.message(&id).await?;
                if message
                    .subject
                    .to_lowercase()
                    .contains(&subject.to_lowercase())
                {
                    return Ok(message);
                }
            }
            if Instant::now() >= deadline {
                bail!(
                    "no new email to {to} with a subject containing {subject:?} within {:?}",
                    self.wait
                );
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(MAX_POLL_PAUSE);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_comes_from_the_link() {
        let text = "Click http://localhost:3000/reset-password?token=AbC-_12.x to reset.";
        assert_eq!(extract_token(text).as_deref(), Some("AbC-_12.x"));
    }

    #[test]
    fn token_in_html_with_escaped_ampersand() {
        let html = r#"<a href="http://x/verify-email?lang=en&amp;token=zz9">go</a>"#;
        assert_eq!(extract_token(html).as_deref(), Some("zz9"));
    }

    #[test]
    fn no_link_no_token() {
        assert_eq!(extract_token("hello"), None);
        let m = Message {
            id: "1".into(),
            subject: "s".into(),
            text: String::new(),
            html: "?token=h1".into(),
        };
        assert_eq!(m.token().as_deref(), Some("h1"));
    }
}
