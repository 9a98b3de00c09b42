//! Translates the arguments `cargo test` passes (libtest style) into cucumber's CLI, so
//! `cargo test FILTER` and `cargo test -- --nocapture` do not break the run.

/// libtest flags without a value that mean nothing to cucumber.
const IGNORED_FLAGS: &[&str] = &[
    "--nocapture",
    "--no-capture",
    "--show-output",
    "--quiet",
    "-q",
    "--exact",
    "--ignored",
    "--include-ignored",
    "--bench",
    "--test",
    "--force-run-in-process",
    "--report-time",
];
/// libtest options with a value that mean nothing to cucumber.
const IGNORED_OPTIONS: &[&str] = &["--format", "-Z", "--skip", "--logfile", "--shuffle-seed"];
/// cucumber options that take a value (their value is not a filter).
const CUCUMBER_OPTIONS: &[&str] = &[
    "-n",
    "--name",
    "--scenario-name",
    "-t",
    "--tags",
    "--scenario-tags",
    "-c",
    "--concurrency",
    "--retry",
    "--retry-after",
    "--retry-tag-filter",
    "--color",
    "-i",
    "--input",
];

/// The outcome of translation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Translated {
    /// Arguments for cucumber, program name first.
    pub cucumber: Vec<String>,
    /// `--list` was asked: list nothing, run nothing.
    pub list_only: bool,
    /// A libtest name filter was given (a run matching no scenario is then not an error).
    pub filtered: bool,
}

/// Translates `args` (program name first, as from `std::env::args`).
pub fn translate(args: &[String]) -> Translated {
    let mut out = Translated::default();
    let mut iter = args.iter();
    out.cucumber.push(
        iter.next()
            .cloned()
            .unwrap_or_else(|| "conformance".to_owned()),
    );
    let mut filters = Vec::new();
    while let Some(arg) = iter.next() {
        let name = arg.split('=').next().unwrap_or(arg);
        let has_inline_value = arg.contains('=');
        if arg == "--list" {
            out.list_only = true;
        } else if IGNORED_FLAGS.contains(&name) {
        } else if IGNORED_OPTIONS.contains(&name) {
            if !has_inline_value {
                iter.next();
            }
        } else if name == "--test-threads" {
            // The closest cucumber notion is scenario concurrency.
            let value = if has_inline_value {
                arg.split_once('=').map(|(_, v)| v.to_owned())
            } else {
                iter.next().cloned()
            };
            if let Some(v) = value {
                out.cucumber.push(format!("--concurrency={v}"));
            }
        } else if CUCUMBER_OPTIONS.contains(&name) {
            out.cucumber.push(arg.clone());
            if !has_inline_value && let Some(value) = iter.next() {
                out.cucumber.push(value.clone());
            }
        } else if arg.starts_with('-') {
            out.cucumber.push(arg.clone());
        } else {
            filters.push(regex::escape(arg));
        }
    }
    if !filters.is_empty() {
        out.filtered = true;
        // libtest filters are substrings; scenario names are prose, so case is ignored.
        out.cucumber
            .push(format!("--name=(?i){}", filters.join("|")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        std::iter::once("conformance")
            .chain(list.iter().copied())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn libtest_flags_are_dropped() {
        let t = translate(&args(&["--nocapture", "--format", "pretty", "-q"]));
        assert_eq!(t.cucumber, vec!["conformance"]);
        assert!(!t.filtered);
    }

    #[test]
    fn a_positional_filter_becomes_a_name_regex() {
        let t = translate(&args(&["log in", "--exact"]));
        assert_eq!(
            t.cucumber,
            vec!["conformance".to_owned(), "--name=(?i)log in".to_owned()]
        );
        assert!(t.filtered);
    }

    #[test]
    fn cucumber_options_keep_their_values() {
        let t = translate(&args(&["-t", "@must and not @clock", "-c", "4", "-vv"]));
        assert_eq!(
            t.cucumber,
            vec![
                "conformance",
                "-t",
                "@must and not @clock",
                "-c",
                "4",
                "-vv"
            ]
        );
    }

    #[test]
    fn test_threads_becomes_concurrency_and_list_is_noticed() {
        let t = translate(&args(&["--test-threads=2", "--list"]));
        assert_eq!(t.cucumber, vec!["conformance", "--concurrency=2"]);
        assert!(t.list_only);
    }
}
