//! Keeps secrets out of every message and snapshot.
//!
//! Two layers: values under secret-looking JSON keys are replaced wherever they occur, and every
//! secret string the run has seen (tokens, passwords, keys) is registered in a [`Secrets`] set and
//! replaced inside any text.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};

use aho_corasick::{AhoCorasick, MatchKind};

use serde_json::Value;

/// Placeholder written instead of a secret.
pub const REDACTED: &str = "[redacted]";

/// JSON keys whose values are secret whatever they contain.
const SECRET_KEYS: &[&str] = &[
    "access_token",
    "refresh_token",
    "password",
    "new_password",
    "current_password",
    "token",
    "key",
    "api_key_value",
    "secret",
];

/// Whether a JSON key names a secret.
pub fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// Secret strings seen during the run (process-wide, append-only).
#[derive(Debug, Default)]
pub struct Secrets {
    inner: Mutex<Registered>,
}

/// The registered secrets and, once asked for, one automaton that finds them all.
#[derive(Debug, Default)]
struct Registered {
    values: HashSet<String>,
    /// Built on the first redaction after a registration: a run registers hundreds of secrets
    /// and redacts far less often, and one pass over the text replaces a scan per secret.
    matcher: Option<Arc<AhoCorasick>>,
}

impl Secrets {
    /// The process-wide set.
    pub fn global() -> &'static Secrets {
        static SECRETS: OnceLock<Secrets> = OnceLock::new();
        SECRETS.get_or_init(Secrets::default)
    }

    /// Registers a secret; short strings are ignored (they would redact ordinary words).
    pub fn register(&self, secret: &str) {
        if secret.len() < 6 {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if !inner.values.contains(secret) {
            inner.values.insert(secret.to_owned());
            inner.matcher = None;
        }
    }

    /// Replaces every registered secret inside `text`.
    pub fn redact_text(&self, text: &str) -> String {
        let Some(matcher) = self.matcher() else {
            return text.to_owned();
        };
        let replacements = vec![REDACTED; matcher.patterns_len()];
        matcher.replace_all(text, &replacements)
    }

    /// The automaton over every secret registered so far (`None` while there are none).
    fn matcher(&self) -> Option<Arc<AhoCorasick>> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.values.is_empty() {
            return None;
        }
        if inner.matcher.is_none() {
            // Leftmost-longest: a secret that contains another is replaced whole.
            let built = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&inner.values)
                .expect("a few thousand short patterns fit the automaton");
            inner.matcher = Some(Arc::new(built));
        }
        inner.matcher.clone()
    }

    /// Redacts a JSON value: secret keys and registered secrets anywhere inside strings.
    pub fn redact_json(&self, value: &Value) -> Value {
        match self.matcher() {
            Some(matcher) => redact_value(value, &|text: &str| {
                let replacements = vec![REDACTED; matcher.patterns_len()];
                matcher.replace_all(text, &replacements)
            }),
            None => redact_value(value, &str::to_owned),
        }
    }
}

fn redact_value(value: &Value, redact_text: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if is_secret_key(k) && !v.is_null() && !v.is_object() {
                        Value::String(REDACTED.to_owned())
                    } else {
                        redact_value(v, redact_text)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| redact_value(v, redact_text)).collect())
        }
        Value::String(s) => Value::String(redact_text(s)),
        other => other.clone(),
    }
}

/// Redacts `text` with the process-wide secrets.
pub fn redact(text: &str) -> String {
    Secrets::global().redact_text(text)
}

/// Redacts `value` with the process-wide secrets.
pub fn redact_json(value: &Value) -> Value {
    Secrets::global().redact_json(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_keys_are_redacted_at_any_depth() {
        let s = Secrets::default();
        let v = json!({"access_token": "abc", "user": {"email": "a@b.c"}, "api_key": {"key": "sf_123"}});
        let r = s.redact_json(&v);
        assert_eq!(r["access_token"], REDACTED);
        assert_eq!(r["api_key"]["key"], REDACTED);
        assert_eq!(r["user"]["email"], "a@b.c");
    }

    #[test]
    fn registered_secrets_are_redacted_inside_text() {
        let s = Secrets::default();
        s.register("supersecret-token");
        assert_eq!(
            s.redact_text("link?token=supersecret-token&x"),
            format!("link?token={REDACTED}&x")
        );
    }

    #[test]
    fn a_secret_containing_another_is_replaced_whole() {
        let s = Secrets::default();
        s.register("abcdef");
        s.register("xxabcdefyy");
        assert_eq!(
            s.redact_text("1 xxabcdefyy 2 abcdef"),
            "1 [redacted] 2 [redacted]"
        );
        s.register("later-secret");
        assert_eq!(s.redact_text("a later-secret"), "a [redacted]");
    }

    #[test]
    fn short_strings_are_not_registered() {
        let s = Secrets::default();
        s.register("ab");
        assert_eq!(s.redact_text("abc"), "abc");
    }
}
