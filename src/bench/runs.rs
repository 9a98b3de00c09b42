//! Runs `verify`, and the replay it is compared with, as child processes and measures them.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

/// One measured `verify` process.
#[derive(Debug, Clone, Copy)]
pub struct VerifyRun {
    /// Wall time of the process, start to exit.
    pub wall: Duration,
}

/// Runs `exe verify ARGS` quietly; fails unless the run is conformant (exit 0).
pub fn run_verify(exe: &Path, args: &[String]) -> anyhow::Result<VerifyRun> {
    let started = Instant::now();
    let status = Command::new(exe)
        .arg("verify")
        .args(args)
        .env_remove("SPATIALFLOW_BASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .with_context(|| format!("Failed to start {}", exe.display()))?;
    let wall = started.elapsed();
    if !status.success() {
        bail!("verify {} exited with {status}", args.join(" "));
    }
    Ok(VerifyRun { wall })
}

/// Runs `exe replay` on `recording` and reads its figures.
pub fn run_replay(
    exe: &Path,
    recording: &Path,
    concurrency: u16,
) -> anyhow::Result<super::ReplayResult> {
    let output = Command::new(exe)
        .arg("replay")
        .arg("--recording")
        .arg(recording)
        .arg("--concurrency")
        .arg(concurrency.to_string())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("Failed to start {}", exe.display()))?;
    if !output.status.success() {
        bail!("replay exited with {}", output.status);
    }
    serde_json::from_slice(&output.stdout).context("Failed to read the replay's figures")
}

/// The largest resident set of any child process waited for so far, in bytes.
pub fn peak_child_memory() -> Option<u64> {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        (libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) == 0).then_some(usage)
    }?;
    // Linux reports ru_maxrss in KiB.
    u64::try_from(usage.ru_maxrss).ok().map(|kib| kib * 1024)
}
