//! Running the server: in-process ([`EmbeddedServer`], for the suite) and on the command line
//! ([`run_serve`]). Both go through the same [`AppState::open`] and [`app`].

use std::net::SocketAddr;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::reference::app::app;
use crate::reference::cli::ServeArgs;
use crate::reference::config::ReferenceConfig;
use crate::reference::state::AppState;

/// How long a stopping server waits for in-flight requests.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// A reference server running on its own thread and tokio runtime; dropping it stops it.
///
/// ```no_run
/// use spatialflow_conformance::reference::{EmbeddedServer, ReferenceConfig};
/// let server = EmbeddedServer::start(ReferenceConfig::embedded())?;
/// println!("{}", server.base_url()); // e.g. http://127.0.0.1:41234
/// # anyhow::Ok(())
/// ```
#[derive(Debug)]
pub struct EmbeddedServer {
    base_url: String,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl EmbeddedServer {
    /// Opens the database, binds `config.addr` and serves until dropped. Safe to call from
    /// synchronous code and from inside another tokio runtime.
    pub fn start(config: ReferenceConfig) -> anyhow::Result<Self> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<anyhow::Result<SocketAddr>>();
        let (stop, stop_rx) = watch::channel(false);
        let thread = std::thread::Builder::new()
            .name("spatialflow-reference".to_owned())
            .spawn(move || run_embedded(config, ready_tx, stop_rx))
            .context("Failed to spawn the reference server thread")?;
        let addr = ready_rx
            .recv()
            .context("The reference server thread stopped before it was ready")??;
        Ok(Self {
            base_url: format!("http://{addr}"),
            addr,
            stop,
            thread: Some(thread),
        })
    }

    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for EmbeddedServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run_embedded(
    config: ReferenceConfig,
    ready: std::sync::mpsc::Sender<anyhow::Result<SocketAddr>>,
    stop: watch::Receiver<bool>,
) {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("spatialflow-reference-worker")
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let _ = ready.send(Err(error.into()));
            return;
        }
    };
    runtime.block_on(async move {
        let (listener, state) = match bind(config).await {
            Ok(bound) => bound,
            Err(error) => {
                let _ = ready.send(Err(error));
                return;
            }
        };
        match listener.local_addr() {
            Ok(addr) => {
                let _ = ready.send(Ok(addr));
            }
            Err(error) => {
                let _ = ready.send(Err(error.into()));
                return;
            }
        }
        let graceful = wait_for_stop(stop.clone());
        let serve = axum::serve(listener, app(state)).with_graceful_shutdown(graceful);
        tokio::select! {
            result = serve.into_future() => {
                if let Err(error) = result {
                    tracing::error!(%error, "reference server failed");
                }
            }
            () = async { wait_for_stop(stop).await; tokio::time::sleep(SHUTDOWN_GRACE).await } => {}
        }
    });
}

async fn wait_for_stop(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}

async fn bind(config: ReferenceConfig) -> anyhow::Result<(TcpListener, AppState)> {
    let addr = config.addr;
    let state = tokio::task::spawn_blocking(move || AppState::open(config)).await??;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("Failed to bind {addr}"))?;
    Ok((listener, state))
}

/// `spatialflow-conformance serve`: serves until Ctrl-C, printing the URL first.
pub async fn run_serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = args.to_config();
    let test_api = config.test_api;
    let (listener, state) = bind(config).await?;
    let addr = listener.local_addr()?;
    say(format_args!(
        "SpatialFlow reference server listening on http://{addr}"
    ));
    if test_api {
        say(format_args!(
            "Test API on: /api/v1/test/*, mailbox at http://{addr}/_mailpit"
        ));
    }
    if let Some(fault) = state.config().fault {
        println!(
            "FAULT INJECTED ({} level): {fault}: {}",
            fault.level(),
            fault.breaks()
        );
    }
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("Server error")?;
    say(format_args!("Stopped."));
    Ok(())
}

/// Prints a status line; a closed stdout (`serve | head -1`, a parent that stopped reading) is
/// no reason to stop serving, where `println!` would panic.
fn say(line: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}
