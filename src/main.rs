//! `spatialflow-conformance`: the command-line entry point.

use clap::{Parser, Subcommand};
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
    }
}
