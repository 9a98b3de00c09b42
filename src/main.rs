//! `spatialflow-conformance`: the command-line entry point.

use clap::{Args, Parser, Subcommand};
use spatialflow_conformance::reference::faults::{self, Fault, mutation};
use spatialflow_conformance::reference::{self, ServeArgs};

/// SpatialFlow Authentication API conformance tool.
#[derive(Debug, Parser)]
#[command(name = "spatialflow-conformance", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Run the reference SpatialFlow authentication server.
    Serve(ServeArgs),
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

fn run_faults(args: FaultsArgs) -> anyhow::Result<()> {
    if !args.report {
        print!("{}", faults::render_catalogue());
        return Ok(());
    }
    let mut options = mutation::MutationOptions::all(std::env::current_exe()?);
    options.jobs = args.jobs;
    if !args.only.is_empty() {
        options.faults = args.only;
    }
    let report = mutation::run(&options)?;
    print!("{}", report.render());
    if !report.is_perfect() {
        std::process::exit(1);
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve(args) => reference::run_serve(args).await,
        Command::Faults(args) => tokio::task::spawn_blocking(move || run_faults(args)).await?,
    }
}
