//! Keeps secrets out of every message and snapshot.
//!
//! Two layers: values under secret-looking JSON keys are replaced wherever they occur, and every
//! secret string the run has seen (tokens, passwords, keys) is registered in a [`Secrets`] set and
//! replaced inside any text.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

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

/// Secrets shorter than this are not registered (they would redact ordinary words).
const MIN_SECRET: usize = 6;

/// Secret strings seen during the run (process-wide, append-only).
///
/// Indexed by their first [`MIN_SECRET`] bytes, so that redacting a text costs one hash lookup
/// per byte whatever the number of secrets (a run registers hundreds, a few at a time between
/// redactions: a scan per secret, or an automaton rebuilt after each registration, cost more
/// than the rest of the harness together).
#[derive(Debug, Default)]
pub struct Secrets {
    by_prefix: Mutex<HashMap<[u8; MIN_SECRET], Vec<String>>>,
}

impl Secrets {
    /// The process-wide set.
    pub fn global() -> &'static Secrets {
        static SECRETS: OnceLock<Secrets> = OnceLock::new();
        SECRETS.get_or_init(Secrets::default)
    }

    /// Registers a secret; short strings are ignored.
    pub fn register(&self, secret: &str) {
        let Some(prefix) = prefix_of(secret.as_bytes()) else {
            return;
        };
        let mut by_prefix = self.by_prefix.lock().unwrap_or_else(|e| e.into_inner());
        let candidates = by_prefix.entry(prefix).or_default();
        if !candidates.iter().any(|c| c == secret) {
            candidates.push(secret.to_owned());
            // Longest first, so a secret that contains another is replaced whole.
            candidates.sort_by_key(|c| std::cmp::Reverse(c.len()));
        }
    }

    /// Replaces every registered secret inside `text` (leftmost, longest first).
    pub fn redact_text(&self, text: &str) -> String {
        let by_prefix = self.by_prefix.lock().unwrap_or_else(|e| e.into_inner());
        if by_prefix.is_empty() {
            return text.to_owned();
        }
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let (mut at, mut copied) = (0, 0);
        while let Some(prefix) = prefix_of(&bytes[at..]) {
            let found = by_prefix.get(&prefix).and_then(|candidates| {
                candidates
                    .iter()
                    .find(|c| bytes[at..].starts_with(c.as_bytes()))
            });
            match found {
                // A secret starts and ends on character boundaries (it is UTF-8 itself), so
                // the slices below cut no character.
                Some(secret) => {
                    out.push_str(&text[copied..at]);
                    out.push_str(REDACTED);
                    at += secret.len();
                    copied = at;
                }
                None => at += 1,
            }
        }
        out.push_str(&text[copied..]);
        out
    }

    /// Redacts a JSON value: secret keys and registered secrets anywhere inside strings.
    pub fn redact_json(&self, value: &Value) -> Value {
        redact_value(value, &|text: &str| self.redact_text(text))
    }
}

/// The first [`MIN_SECRET`] bytes, if there are that many.
fn prefix_of(bytes: &[u8]) -> Option<[u8; MIN_SECRET]> {
    bytes.get(..MIN_SECRET)?.try_into().ok()
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
        assert_eq!(s.redact_text("é abcdef é"), "é [redacted] é");
        assert_eq!(s.redact_text("abcde"), "abcde");
    }

    #[test]
    fn short_strings_are_not_registered() {
        let s = Secrets::default();
        s.register("ab");
        assert_eq!(s.redact_text("abc"), "abc");
    }
}
