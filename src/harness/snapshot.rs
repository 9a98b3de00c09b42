//! Snapshots of representative bodies (insta), with volatile and secret values redacted.
//!
//! Against the embedded reference (or with SPATIALFLOW_STRICT_SNAPSHOTS=1) a snapshot must match
//! exactly: it is an insta assertion. Against any other target a difference is a warning that
//! carries its diff.

use std::path::Path;

use serde_json::Value;

use super::redact::{REDACTED, is_secret_key, redact_json};

/// Keys whose values change on every run.
const VOLATILE_KEYS: &[(&str, &str)] = &[
    ("id", "[id]"),
    ("jti", "[id]"),
    ("email", "[email]"),
    ("name", "[name]"),
    ("key_prefix", "[key-prefix]"),
    ("now", "[timestamp]"),
    ("offset_seconds", "[seconds]"),
];

/// Replaces secrets, ids, emails and timestamps so a body is stable across runs.
pub fn stabilise(value: &Value) -> Value {
    fn walk(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let volatile = VOLATILE_KEYS.iter().find(|(key, _)| key == k);
                        let v = match volatile {
                            Some((_, placeholder)) if !v.is_null() => {
                                Value::String((*placeholder).to_owned())
                            }
                            _ if is_secret_key(k) && !v.is_null() && !v.is_object() => {
                                Value::String(REDACTED.to_owned())
                            }
                            _ => walk(v),
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(walk).collect()),
            Value::String(s) => Value::String(stabilise_text(s)),
            other => other.clone(),
        }
    }
    walk(&redact_json(value))
}

fn stabilise_text(text: &str) -> String {
    static PATTERNS: std::sync::OnceLock<[(regex::Regex, &'static str); 3]> =
        std::sync::OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        [
            (
                regex::Regex::new(
                    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?",
                )
                .expect("valid"),
                "[timestamp]",
            ),
            (
                regex::Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
                    .expect("valid"),
                "[email]",
            ),
            (
                regex::Regex::new(
                    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                )
                .expect("valid"),
                "[id]",
            ),
        ]
    });
    patterns
        .iter()
        .fold(text.to_owned(), |acc, (re, placeholder)| {
            re.replace_all(&acc, *placeholder).into_owned()
        })
}

/// Reads the stored snapshot `name` from `folder` (the JSON after insta's header), if any.
pub fn read_stored(folder: &Path, name: &str) -> Option<Value> {
    let text = std::fs::read_to_string(folder.join(format!("{name}.snap"))).ok()?;
    parse_snap(&text)
}

/// The JSON content of an insta `.snap` file.
pub fn parse_snap(text: &str) -> Option<Value> {
    // Header: a line `---`, metadata lines, a line `---`; the content follows.
    let mut lines = text.lines();
    if lines.next()? != "---" {
        return serde_json::from_str(text).ok();
    }
    for line in lines.by_ref() {
        if line == "---" {
            break;
        }
    }
    serde_json::from_str(&lines.collect::<Vec<_>>().join("\n")).ok()
}

/// Whether a snapshot that matches may be passed without asking insta.
///
/// Each insta assertion lists the snapshot folder, reads and parses the file and deletes stale
/// pending files: about 4 % of the run's main thread for 32 snapshots, all of which match on
/// a good day. So a match is decided here first, and insta is asked only about a difference
/// (it writes the `.snap.new` and fails with its diff). Not when cargo-insta drives the run
/// or insta is told to compare metadata, keep pending files elsewhere or rewrite passing
/// snapshots: insta has to see every assertion then.
fn insta_may_be_skipped() -> bool {
    static SKIPPABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SKIPPABLE.get_or_init(|| {
        const NEEDS_INSTA: &[&str] = &[
            "INSTA_CARGO_INSTA",
            "INSTA_FORCE_UPDATE",
            "INSTA_FORCE_UPDATE_SNAPSHOTS",
            "INSTA_REQUIRE_FULL_MATCH",
            "INSTA_PENDING_DIR",
            "INSTA_SNAPSHOT_REFERENCES_FILE",
        ];
        NEEDS_INSTA
            .iter()
            .all(|name| std::env::var_os(name).is_none())
    })
}

/// A line diff of two pretty-printed values (`-` stored, `+` received), or `None` if equal.
pub fn diff(stored: Option<&Value>, received: &Value) -> Option<String> {
    if stored == Some(received) {
        return None;
    }
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let old = stored
        .map(pretty)
        .unwrap_or_else(|| "(no stored snapshot)".to_owned());
    let new = pretty(received);
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let mut out = String::new();
    for line in &old_lines {
        if !new_lines.contains(line) {
            out.push_str(&format!("-{line}\n"));
        }
    }
    for line in &new_lines {
        if !old_lines.contains(line) {
            out.push_str(&format!("+{line}\n"));
        }
    }
    if out.is_empty() {
        out.push_str("(same lines in another order or nesting)\n");
    }
    Some(out)
}

/// Compares `value` with snapshot `name`. Strict: an insta assertion (panics on a difference and
/// leaves a `.snap.new` for review). Lenient: returns a warning with the diff.
pub fn compare(folder: &Path, name: &str, value: &Value, strict: bool) -> Option<String> {
    let value = stabilise(value);
    if strict {
        if insta_may_be_skipped() && read_stored(folder, name).as_ref() == Some(&value) {
            // What insta does after a match: a pending snapshot left by an earlier failure
            // is stale now.
            let _ = std::fs::remove_file(folder.join(format!("{name}.snap.new")));
            return None;
        }
        insta::assert_json_snapshot!(name, value);
        return None;
    }
    let stored = read_stored(folder, name);
    diff(stored.as_ref(), &value).map(|d| format!("snapshot {name} differs:\n{d}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn volatile_and_secret_values_are_replaced() {
        let v = json!({
            "access_token": "eyJ...",
            "expires_in": 900,
            "user": {"id": "42", "email": "a@b.example", "createdAt": "2026-12-04T15:00:00Z", "company": null},
            "message": "Sent to a@b.example"
        });
        let s = stabilise(&v);
        assert_eq!(s["access_token"], REDACTED);
        assert_eq!(s["expires_in"], 900);
        assert_eq!(s["user"]["id"], "[id]");
        assert_eq!(s["user"]["email"], "[email]");
        assert_eq!(s["user"]["createdAt"], "[timestamp]");
        assert_eq!(s["user"]["company"], Value::Null);
        assert_eq!(s["message"], "Sent to [email]");
    }

    #[test]
    fn snap_files_parse_after_the_header() {
        let text = "---\nsource: x\nexpression: value\n---\n{\n  \"a\": 1\n}\n";
        assert_eq!(parse_snap(text), Some(json!({"a": 1})));
    }

    /// A fresh folder holding `x__ok.snap` with `body` after the header.
    fn folder_with_snapshot(body: &str) -> std::path::PathBuf {
        let folder =
            std::env::temp_dir().join(format!("sfc-snap-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("x__ok.snap"),
            format!("---\nsource: t\n---\n{body}\n"),
        )
        .unwrap();
        folder
    }

    #[test]
    fn lenient_comparison_warns_with_the_diff() {
        let folder = folder_with_snapshot("{\n  \"status\": 200\n}");
        assert_eq!(
            compare(&folder, "x__ok", &json!({"status": 200}), false),
            None
        );
        let warning = compare(&folder, "x__ok", &json!({"status": 201}), false).unwrap();
        assert!(
            warning.contains("x__ok") && warning.contains("+  \"status\": 201"),
            "{warning}"
        );
        assert!(compare(&folder, "missing", &json!({}), false).is_some());
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn a_strict_match_passes_and_clears_a_stale_pending_snapshot() {
        let folder = folder_with_snapshot("{\n  \"id\": \"[id]\",\n  \"status\": 200\n}");
        std::fs::write(folder.join("x__ok.snap.new"), "left by an earlier failure").unwrap();
        // The same folder for insta, for when cargo-insta drives the tests and insta is asked.
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&folder);
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| {
            let received = json!({"status": 200, "id": "6f1c"});
            assert_eq!(compare(&folder, "x__ok", &received, true), None);
        });
        assert!(!folder.join("x__ok.snap.new").exists());
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn diff_reports_changed_lines() {
        assert_eq!(diff(Some(&json!({"a": 1})), &json!({"a": 1})), None);
        let d = diff(Some(&json!({"a": 1})), &json!({"a": 2})).unwrap();
        assert!(
            d.contains("-  \"a\": 1") && d.contains("+  \"a\": 2"),
            "{d}"
        );
        assert!(diff(None, &json!({})).unwrap().contains("no stored"));
    }
}
