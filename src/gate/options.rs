//! The options of `spatialflow-conformance verify`. Each is also read from the environment
//! variable the suite reads under `cargo test`, so both entry points take the same settings.

use std::path::PathBuf;

use clap::Args;

/// Run the conformance suite against a target and gate on the verdict.
#[derive(Debug, Clone, Args)]
#[command(after_help = EXIT_CODES)]
pub struct VerifyArgs {
    /// Base URL of the server under test. Without it, the embedded reference server is started
    /// on a random loopback port (with its test API and mailbox).
    #[arg(long, env = "SPATIALFLOW_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,

    /// Mailpit API base URL that receives the target's emails (verification and reset links).
    /// Scenarios tagged @mailbox are skipped, with the reason, when there is none.
    #[arg(long, env = "SPATIALFLOW_MAILBOX_URL", value_name = "URL")]
    pub mailbox_url: Option<String>,

    /// An API key (`sf_...`) for targets without the E2E test endpoints.
    #[arg(
        long,
        env = "SPATIALFLOW_API_KEY",
        value_name = "KEY",
        hide_env_values = true
    )]
    pub api_key: Option<String>,

    /// Email of a verified QA account, for targets without the E2E test endpoints.
    #[arg(
        long,
        env = "SPATIALFLOW_USER_EMAIL",
        value_name = "EMAIL",
        requires = "user_password"
    )]
    pub user_email: Option<String>,

    /// Password of that QA account.
    #[arg(
        long,
        env = "SPATIALFLOW_USER_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub user_password: Option<String>,

    /// Cucumber tag expression selecting scenarios, e.g. '@must and not @clock'.
    #[arg(long, short = 't', env = "SPATIALFLOW_TAGS", value_name = "EXPR")]
    pub tags: Option<String>,

    /// How many scenarios run at once. Against a distant server the suite is bound by round
    /// trips, and 64 scenarios in flight hide most of them; lower it for a fragile target.
    #[arg(long, short = 'c', env = "SPATIALFLOW_CONCURRENCY", value_name = "N", default_value_t = 64,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,

    /// Failing @should scenarios and snapshot differences also fail the run.
    #[arg(long, env = "SPATIALFLOW_STRICT")]
    pub strict: bool,

    /// Write JUnit XML (one testsuite per feature, one testcase per scenario).
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,

    /// Write one JSON record per scenario.
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,

    /// Write the conformance report: Markdown for `.md`, a self-contained HTML page for `.html`.
    #[arg(long, value_name = "PATH", value_parser = parse_report_path)]
    pub report: Option<PathBuf>,

    /// Timeout of each HTTP request, in seconds.
    #[arg(long, env = "SPATIALFLOW_TIMEOUT_SECS", value_name = "SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,

    /// Timeout of the whole run, in seconds: past it the run stops with exit 2.
    #[arg(long, env = "SPATIALFLOW_RUN_TIMEOUT_SECS", value_name = "SECS", default_value_t = 900,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub run_timeout: u64,

    /// Write every request the scenarios send to PATH (JSON), for `bench` to replay. The file
    /// holds credentials of disposable users: a benchmark input, not a report.
    #[arg(long, value_name = "PATH", hide = true)]
    pub record_requests: Option<PathBuf>,

    /// Milliseconds the embedded reference adds to every answer (`bench` only).
    #[arg(long, value_name = "MS", hide = true, default_value_t = 0)]
    pub reference_latency_ms: u64,
    /// Start the embedded reference with this deliberate defect (mutation testing; see
    /// `spatialflow-conformance faults`). Only for the embedded reference.
    #[arg(long, value_name = "NAME", conflicts_with = "base_url")]
    pub fault: Option<crate::reference::Fault>,
}

/// The exit codes, shown at the end of `verify --help`.
pub const EXIT_CODES: &str = "Exit codes:
  0  conformant at the chosen level (no FAILED scenario)
  1  not conformant (a @must scenario failed, or anything failed with --strict)
  2  could not run (bad arguments, target unreachable, TLS failure, no scenario matched the tags,
     the whole run exceeded --run-timeout)";

fn parse_report_path(raw: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(raw);
    match path.extension().and_then(|e| e.to_str()) {
        Some("md" | "html") => Ok(path),
        _ => Err("the report path must end in .md (Markdown) or .html (HTML page)".into()),
    }
}

/// Parses `verify`'s arguments alone (without the program name), for tests.
#[cfg(test)]
pub(crate) fn parse_verify_args(argv: &[&str]) -> Result<VerifyArgs, clap::Error> {
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: VerifyArgs,
    }
    Cli::try_parse_from(std::iter::once("verify").chain(argv.iter().copied())).map(|cli| cli.args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let args = parse_verify_args(&[]).unwrap();
        assert_eq!(args.timeout, 10);
        assert_eq!(args.run_timeout, 900);
        assert!(!args.strict);
        assert!(args.report.is_none());
    }

    #[test]
    fn a_report_must_be_markdown_or_html() {
        assert!(parse_verify_args(&["--report", "out.md"]).is_ok());
        assert!(parse_verify_args(&["--report", "out.html"]).is_ok());
        let err = parse_verify_args(&["--report", "out.pdf"]).err().unwrap();
        assert!(err.to_string().contains(".md"));
    }

    #[test]
    fn a_qa_email_needs_its_password() {
        assert!(parse_verify_args(&["--user-email", "qa@example.com"]).is_err());
    }

    #[test]
    fn concurrency_zero_is_refused() {
        assert!(parse_verify_args(&["-c", "0"]).is_err());
    }
}
