//! What `verify` does around the runner: turn its flags into the suite's settings, and write
//! the requested report files.

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;

use super::VerifyArgs;
use super::preflight::parse_base_url;
use crate::harness::config::{Credentials, Settings};
use crate::report::{self, RunReport, Verdict};

/// The suite's settings from `verify`'s flags (each flag already falls back to its
/// environment variable, through clap).
pub fn settings_from(args: &VerifyArgs) -> Result<Settings, super::PreflightError> {
    let base_url = args.base_url.as_deref().map(parse_base_url).transpose()?;
    let mailbox_url = args
        .mailbox_url
        .as_deref()
        .map(parse_base_url)
        .transpose()?;
    Ok(Settings {
        base_url,
        mailbox_url,
        timeout: Duration::from_secs(args.timeout),
        run_timeout: Duration::from_secs(args.run_timeout),
        strict: args.strict,
        strict_snapshots: args.strict,
        qa_account: match (&args.user_email, &args.user_password) {
            (Some(email), Some(password)) => Some(Credentials {
                email: email.clone(),
                password: password.clone(),
            }),
            _ => None,
        },
        api_key: args.api_key.clone(),
    })
}

/// The cucumber arguments `verify` passes to the runner (program name first).
pub fn cucumber_args(args: &VerifyArgs) -> Vec<String> {
    let mut out = vec!["verify".to_owned()];
    if let Some(tags) = &args.tags {
        out.extend(["--tags".to_owned(), tags.clone()]);
    }
    out
}

/// Writes every report file the flags ask for.
pub fn write_reports(args: &VerifyArgs, report: &RunReport) -> anyhow::Result<()> {
    if let Some(path) = &args.junit {
        write(path, &report::junit::render(report))?;
    }
    if let Some(path) = &args.json {
        write(path, &report::json::render(report))?;
    }
    if let Some(path) = &args.report {
        let text = match path.extension().and_then(|e| e.to_str()) {
            Some("html") => report::html::render(report),
            _ => report::markdown::render(report),
        };
        write(path, &text)?;
    }
    Ok(())
}

/// The closing verdict line.
pub fn verdict_line(report: &RunReport) -> String {
    use report::Level::*;
    let verdict = match report.verdict() {
        Verdict::Conformant => "CONFORMANT",
        Verdict::NotConformant => "NOT CONFORMANT",
    };
    let level = if report.strict {
        "strict: @must and @should"
    } else {
        "contract level: @must"
    };
    format!(
        "verdict: {verdict} ({level}) - {} passed, {} failed, {} warnings, {} skipped, in {:.2} s against {}",
        report.count(Passed),
        report.count(Failed),
        report.count(Warning),
        report.count(Skipped),
        report.duration.as_secs_f64(),
        report.target,
    )
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("Failed to create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("Failed to write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::options::parse_verify_args;

    fn args(argv: &[&str]) -> VerifyArgs {
        parse_verify_args(argv).unwrap()
    }

    #[test]
    fn strict_makes_should_scenarios_and_snapshots_fatal() {
        let s = settings_from(&args(&[
            "--strict",
            "--timeout",
            "3",
            "--run-timeout",
            "30",
        ]))
        .unwrap();
        assert!(s.strict && s.strict_snapshots);
        assert_eq!(s.timeout, Duration::from_secs(3));
        assert_eq!(s.run_timeout, Duration::from_secs(30));
    }

    #[test]
    fn a_bad_base_url_is_refused_before_anything_runs() {
        let err = settings_from(&args(&["--base-url", "localhost:8000"])).unwrap_err();
        assert!(err.to_string().contains("localhost:8000"));
        let s = settings_from(&args(&["--base-url", "http://h:1/"])).unwrap();
        assert_eq!(s.base_url.as_deref(), Some("http://h:1"));
    }

    #[test]
    fn tags_reach_cucumber() {
        assert_eq!(
            cucumber_args(&args(&["--tags", "@must and not @clock"])),
            vec!["verify", "--tags", "@must and not @clock"]
        );
    }

    #[test]
    fn reports_are_written_in_the_asked_formats() {
        let dir = std::env::temp_dir().join(format!("sfc-verify-{}", std::process::id()));
        let md = dir.join("out/report.md");
        let html = dir.join("report.html");
        let junit = dir.join("junit.xml");
        let sample = crate::report::tests_support::sample();
        write_reports(
            &args(&[
                "--report",
                md.to_str().unwrap(),
                "--junit",
                junit.to_str().unwrap(),
            ]),
            &sample,
        )
        .unwrap();
        write_reports(&args(&["--report", html.to_str().unwrap()]), &sample).unwrap();
        assert!(
            std::fs::read_to_string(&md)
                .unwrap()
                .starts_with("# SpatialFlow")
        );
        assert!(
            std::fs::read_to_string(&html)
                .unwrap()
                .starts_with("<!DOCTYPE html>")
        );
        assert!(
            std::fs::read_to_string(&junit)
                .unwrap()
                .contains("<testsuites")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_verdict_line_counts_every_level() {
        let line = verdict_line(&crate::report::tests_support::sample());
        assert!(
            line.starts_with("verdict: NOT CONFORMANT (contract level: @must)"),
            "{line}"
        );
        assert!(line.contains("1 passed, 1 failed, 1 warnings, 1 skipped"));
    }
}
