//! Values a replay captures from its answers to stand in for the recorded run's values.

use serde_json::Value;

/// Shorter values are not captured: they are words, numbers and flags, not issued values.
const MIN_CAPTURED: usize = 8;

/// Recorded value → the value the replay received in its place.
#[derive(Debug, Default)]
pub struct Captures {
    /// Longest recorded value first, so a value that contains another is replaced whole.
    pairs: Vec<(String, String)>,
}

impl Captures {
    /// Records that `live` came back where the recorded run got `recorded`.
    pub fn learn(&mut self, recorded: &str, live: &str) {
        if recorded == live
            || recorded.len() < MIN_CAPTURED
            || self.pairs.iter().any(|(old, _)| old == recorded)
        {
            return;
        }
        let at = self
            .pairs
            .partition_point(|(old, _)| old.len() >= recorded.len());
        self.pairs
            .insert(at, (recorded.to_owned(), live.to_owned()));
    }

    /// Learns from two answers of the same shape: every string at the same place. A string
    /// that differs is also split at the characters a URL token cannot hold, so the token inside
    /// an email's link is captured, not only the whole text.
    pub fn learn_json(&mut self, recorded: &Value, live: &Value) {
        match (recorded, live) {
            (Value::Object(old), Value::Object(new)) => {
                for (key, old) in old {
                    if let Some(new) = new.get(key) {
                        self.learn_json(old, new);
                    }
                }
            }
            (Value::Array(old), Value::Array(new)) => {
                for (old, new) in old.iter().zip(new) {
                    self.learn_json(old, new);
                }
            }
            (Value::String(old), Value::String(new)) if old != new => {
                self.learn(old, new);
                let pieces = |s: &'_ str| -> Vec<String> {
                    s.split(|c: char| !(c.is_ascii_alphanumeric() || "-_.~%".contains(c)))
                        .filter(|p| !p.is_empty())
                        .map(str::to_owned)
                        .collect()
                };
                let (old, new) = (pieces(old), pieces(new));
                if old.len() == new.len() {
                    for (old, new) in old.iter().zip(&new) {
                        self.learn(old, new);
                    }
                }
            }
            _ => {}
        }
    }

    /// `text` with every captured value replaced.
    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (old, new) in &self.pairs {
            if out.contains(old.as_str()) {
                out = out.replace(old.as_str(), new);
            }
        }
        out
    }

    /// `value` with every captured value replaced inside its strings.
    pub fn apply_json(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.apply(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.apply_json(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.apply_json(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tokens_from_an_answer_replace_the_recorded_ones_in_later_requests() {
        let mut captures = Captures::default();
        captures.learn_json(
            &json!({"access_token": "old-access-1", "user": {"id": "u-old-0001"}, "token_type": "bearer"}),
            &json!({"access_token": "new-access-1", "user": {"id": "u-new-0001"}, "token_type": "bearer"}),
        );
        assert_eq!(captures.apply("Bearer old-access-1"), "Bearer new-access-1");
        assert_eq!(
            captures.apply_json(&json!({"refresh": ["u-old-0001", 3]})),
            json!({"refresh": ["u-new-0001", 3]})
        );
    }

    #[test]
    fn the_token_inside_an_emailed_link_is_captured() {
        let mut captures = Captures::default();
        captures.learn_json(
            &json!({"Text": "Open http://x/reset?token=OLDTOKEN0123456789abc to reset."}),
            &json!({"Text": "Open http://x/reset?token=NEWTOKEN0123456789xyz to reset."}),
        );
        assert_eq!(
            captures.apply("/api/v1/auth/verify-email?token=OLDTOKEN0123456789abc"),
            "/api/v1/auth/verify-email?token=NEWTOKEN0123456789xyz"
        );
    }

    #[test]
    fn short_and_unchanged_values_are_not_captured() {
        let mut captures = Captures::default();
        captures.learn("same-value-1", "same-value-1");
        captures.learn("short", "other");
        assert!(captures.pairs.is_empty());
        assert_eq!(captures.apply("short same-value-1"), "short same-value-1");
    }

    #[test]
    fn a_value_containing_another_is_replaced_whole() {
        let mut captures = Captures::default();
        captures.learn("abcdefgh", "11111111");
        captures.learn("abcdefgh-ijkl", "2222222222222");
        assert_eq!(captures.apply("abcdefgh-ijkl"), "2222222222222");
        assert_eq!(captures.apply("abcdefgh"), "11111111");
    }
}
