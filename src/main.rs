//! `spatialflow-conformance`: the command-line entry point.

// The World and steps are compiled into this binary (not the library) so that the linker keeps
// cucumber's step registrations; `tests/conformance.rs` includes the same module.
mod suite;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use spatialflow_conformance::bench::{self, BenchArgs, ReplayArgs};
use spatialflow_conformance::gate::{self, GateExit, VerifyArgs};
use spatialflow_conformance::harness::{self, Display, EmbeddedTarget, RunOptions};
use spatialflow_conformance::reference::faults::{self, Fault, mutation};
use spatialflow_conformance::reference::{self, EmbeddedServer, ReferenceConfig, ServeArgs};

/// SpatialFlow Authentication API conformance tool: runs the conformance suite against any
/// server, and serves the reference implementation.
#[derive(Debug, Parser)]
#[command(name = "spatialflow-conformance", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Run the conformance suite against a target (the embedded reference by default) and gate
    /// on the verdict.
    Verify(VerifyArgs),
    /// Run the reference SpatialFlow authentication server.
    Serve(ServeArgs),
    /// Measure the suite: wall time, harness overhead, concurrency gain and peak memory
    /// (build with --release for figures that mean something).
    Bench(BenchArgs),
    /// One replay of a recorded run on a fresh embedded reference (run by `bench` as a
    /// separate process, like the run it is compared with); prints its figures as JSON.
    #[command(hide = true)]
    Replay(ReplayArgs),
    /// List the deliberate defects of the reference server (`serve --fault NAME`), or with
    /// `--report` run the suite against each one and print the mutation score.
    Faults(FaultsArgs),
}

/// Arguments of `faults`.
#[derive(Debug, Args)]
struct FaultsArgs {
    /// Run the conformance suite once per fault (and once without) and print the report.
    /// Exit code 1 when the score is below 100% or the baseline is not green.
    #[arg(long)]
    report: bool,
    /// Suite runs at a time (each is one process with its own embedded server).
    #[arg(long, default_value_t = 2, requires = "report")]
    jobs: usize,
    /// Only these faults (repeatable); default every fault.
    #[arg(long = "only", value_name = "NAME", requires = "report")]
    only: Vec<Fault>,
}

/// `faults`: the listing, or with `--report` the mutation run (exit 1 below 100%).
fn run_faults(args: FaultsArgs) -> anyhow::Result<ExitCode> {
    if !args.report {
        spatialflow_conformance::say_raw!("{}", faults::render_catalogue());
        return Ok(ExitCode::SUCCESS);
    }
    let mut options = mutation::MutationOptions::all(std::env::current_exe()?);
    options.jobs = args.jobs;
    if !args.only.is_empty() {
        options.faults = args.only;
    }
    let report = mutation::run(&options)?;
    spatialflow_conformance::say_raw!("{}", report.render());
    Ok(if report.is_perfect() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The reference logs every request at info level: useful from `serve`, noise in `verify`.
    let default_filter = match cli.command {
        Command::Serve(_) => "info",
        Command::Verify(_) | Command::Bench(_) | Command::Replay(_) | Command::Faults(_) => "warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter)),
        )
        .with_writer(std::io::stderr)
        .init();
    // The server wants every core. The suite does not: cucumber runs all scenarios inside one
    // future, so worker threads only took the client's connection tasks, and handing each
    // request and answer between threads cost a sixth of a run's wall time. The embedded
    // reference has its own multi-thread runtime either way.
    let runtime = match cli.command {
        Command::Serve(_) => tokio::runtime::Builder::new_multi_thread(),
        _ => tokio::runtime::Builder::new_current_thread(),
    }
    .enable_all()
    .build();
    match runtime {
        Ok(runtime) => runtime.block_on(dispatch(cli.command)),
        Err(err) => {
            eprintln!("spatialflow-conformance: cannot start the async runtime: {err}");
            ExitCode::from(2)
        }
    }
}

async fn dispatch(command: Command) -> ExitCode {
    match command {
        Command::Serve(args) => match reference::run_serve(args).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("spatialflow-conformance serve: {err:#}");
                ExitCode::FAILURE
            }
        },
        Command::Verify(args) => verify(args).await.into(),
        Command::Faults(args) => {
            match tokio::task::spawn_blocking(move || run_faults(args)).await {
                Ok(Ok(code)) => code,
                Ok(Err(err)) => {
                    eprintln!("spatialflow-conformance faults: {err:#}");
                    ExitCode::from(2)
                }
                Err(err) => {
                    eprintln!("spatialflow-conformance faults: {err}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Replay(args) => match bench::run_replay(&args).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("spatialflow-conformance replay: {err:#}");
                ExitCode::FAILURE
            }
        },
        Command::Bench(args) => {
            let exe = std::env::current_exe().expect("the running program has a path");
            match bench::run_bench(&exe, &args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("spatialflow-conformance bench: {err:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// `verify`: the same features and steps as `cargo test --test conformance`, with the gate's
/// flags, reports and exit codes.
async fn verify(args: VerifyArgs) -> GateExit {
    let settings = match gate::verify::settings_from(&args) {
        Ok(settings) => settings,
        Err(err) => {
            spatialflow_conformance::say!("verify: cannot run: {err}");
            return GateExit::CouldNotRun;
        }
    };
    let options = RunOptions {
        features: concat!(env!("CARGO_MANIFEST_DIR"), "/features").into(),
        snapshots: concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots").into(),
        args: gate::verify::cucumber_args(&args),
        concurrency: usize::from(args.concurrency),
        settings: Some(settings),
        display: Display::Progress,
        record_requests: args.record_requests.clone(),
    };
    let config = ReferenceConfig {
        latency: std::time::Duration::from_millis(args.reference_latency_ms),
        fault: args.fault,
        ..ReferenceConfig::embedded()
    };
    let start = || {
        let server = EmbeddedServer::start(config)?;
        Ok(EmbeddedTarget {
            base_url: server.base_url().to_owned(),
            guard: Box::new(server),
        })
    };
    let outcome = match harness::run::<suite::AuthWorld>(options, start).await {
        Ok(outcome) => outcome,
        Err(err) => {
            spatialflow_conformance::say!("verify: cannot run: {err:#}");
            return GateExit::CouldNotRun;
        }
    };
    // The runner has already said why in one line (unreachable target, no scenario matched).
    let Some(report) = outcome.report.filter(|_| outcome.exit_code != 2) else {
        return GateExit::CouldNotRun;
    };
    if let Err(err) = gate::verify::write_reports(&args, &report) {
        spatialflow_conformance::say!("verify: cannot write the reports: {err:#}");
        return GateExit::CouldNotRun;
    }
    spatialflow_conformance::say!("{}", gate::verify::verdict_line(&report));
    match outcome.exit_code {
        0 => GateExit::Conformant,
        1 => GateExit::NotConformant,
        _ => GateExit::CouldNotRun,
    }
}
