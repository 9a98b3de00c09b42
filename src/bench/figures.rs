//! The benchmark's figures and its printout.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;

use super::runs::{peak_child_memory, run_replay, run_verify};
use crate::harness::RecordedRun;
use crate::harness::timing::median;

/// Measure the suite: wall time, harness overhead, concurrency gain, peak memory.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Repetitions of each measurement (medians are reported).
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub reps: u32,
    /// Scenario concurrency of the measured runs (verify's default).
    #[arg(long, default_value_t = 64)]
    pub concurrency: u16,
    /// Latency added to every answer of the reference for the concurrency measurement.
    #[arg(long, default_value_t = 50)]
    pub latency_ms: u64,
    /// Skip the latency measurement (its run at concurrency 1 takes the longest).
    #[arg(long)]
    pub no_latency: bool,
}

/// Runs every measurement and prints the figures.
pub fn run_bench(exe: &Path, args: &BenchArgs) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("spatialflow-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).context("Failed to create a scratch folder")?;
    let result = measure(exe, args, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn measure(exe: &Path, args: &BenchArgs, dir: &Path) -> anyhow::Result<()> {
    let build = if cfg!(debug_assertions) {
        "DEBUG build: figures are not representative, use --release"
    } else {
        "release build"
    };
    crate::say!(
        "spatialflow-conformance bench: {build}, {} repetitions, medians",
        args.reps
    );
    let peak_memory = suite_and_overhead(exe, args, dir)?;
    if !args.no_latency {
        concurrency_gain(exe, args)?;
    }
    if let Some(bytes) = peak_memory {
        line(
            "(d) peak memory of a run (max RSS)",
            format!("{:.0} MiB", bytes as f64 / 1048576.0),
            "",
            true,
        );
    }
    Ok(())
}

/// (a) the whole suite, recording its exchanges; (b) each recording replayed right after its
/// run with a bare reqwest loop on a fresh reference, in a fresh process as the run is.
/// Interleaved, so that a noisy spell of the machine weighs on both sides of the ratio alike.
/// Returns (d), the peak memory of the first run.
fn suite_and_overhead(exe: &Path, args: &BenchArgs, dir: &Path) -> anyhow::Result<Option<u64>> {
    let record: PathBuf = dir.join("requests.json");
    let (mut walls, mut runs, mut replays) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    let mut unfaithful = 0;
    let mut peak_memory = None;
    for _ in 0..args.reps {
        let run = run_verify(
            exe,
            &[
                "--concurrency".into(),
                args.concurrency.to_string(),
                "--record-requests".into(),
                record.display().to_string(),
            ],
        )?;
        walls.push(run.wall);
        let text = std::fs::read_to_string(&record).context("Failed to read the recording")?;
        let recorded: RecordedRun =
            serde_json::from_str(&text).context("Failed to parse the recording")?;
        runs.push(Duration::from_micros(recorded.duration_us));
        // The largest process waited for so far: before the first replay, only runs count.
        peak_memory = peak_memory.or_else(peak_child_memory);
        let result = run_replay(exe, &record, args.concurrency)?;
        if result.as_recorded != result.api_requests + result.mailbox_requests {
            unfaithful += 1;
        }
        replays.push(result.wall);
        last = Some(result);
    }
    // Each run is compared with the replay made right after it, on the machine in the same
    // state; the median of those ratios is steadier than the ratio of the two medians.
    let mut ratios: Vec<f64> = runs
        .iter()
        .zip(&replays)
        .map(|(run, replay)| ratio(*run, *replay))
        .collect();
    ratios.sort_by(f64::total_cmp);
    let overhead = ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN);

    let suite_wall = median(&mut walls);
    line(
        "(a) full suite against the embedded reference",
        secs(suite_wall),
        "< 2 s",
        suite_wall < Duration::from_secs(2),
    );
    line(
        "    of which the run itself (target up to verdict)",
        secs(median(&mut runs)),
        "",
        true,
    );
    if let Some(result) = last {
        let total = result.api_requests + result.mailbox_requests;
        line(
            "(b) HTTP exchanges per run (API + mailbox)",
            format!(
                "{total} ({} + {})",
                result.api_requests, result.mailbox_requests
            ),
            "",
            true,
        );
        line(
            "    replayed answers with the recorded status",
            format!("{} of {total}", result.as_recorded),
            "",
            true,
        );
    }
    // A replay whose answers differ from the run's did other work: its time is no floor.
    if unfaithful > 0 {
        anyhow::bail!(
            "{unfaithful} of {} replays got answers the run did not; the overhead figure would \
             compare different work",
            args.reps
        );
    }
    line(
        "    bare reqwest replay of those exchanges",
        secs(median(&mut replays)),
        "",
        true,
    );
    line(
        "    harness overhead (median of run / replay pairs)",
        format!("{overhead:.2}x"),
        "< 1.5x",
        overhead < 1.5,
    );
    Ok(peak_memory)
}

/// (c) the gain from concurrency when every answer of the reference takes `latency_ms`.
fn concurrency_gain(exe: &Path, args: &BenchArgs) -> anyhow::Result<()> {
    let with = |concurrency: String| {
        vec![
            "--reference-latency-ms".to_owned(),
            args.latency_ms.to_string(),
            "--concurrency".to_owned(),
            concurrency,
        ]
    };
    let mut parallel = Vec::new();
    for _ in 0..args.reps {
        parallel.push(run_verify(exe, &with(args.concurrency.to_string()))?.wall);
    }
    let parallel = median(&mut parallel);
    // One run: at concurrency 1 it is long, and its spread is small next to its length.
    let serial = run_verify(exe, &with("1".to_owned()))?.wall;
    let speedup = ratio(serial, parallel);
    let label = format!(
        "(c) with {} ms latency: concurrency {}",
        args.latency_ms, args.concurrency
    );
    line(&label, secs(parallel), "", true);
    line(
        "                         concurrency 1 (one run)",
        secs(serial),
        "",
        true,
    );
    line(
        "    speed-up",
        format!("{speedup:.1}x"),
        ">= 8x",
        speedup >= 8.0,
    );
    Ok(())
}

fn line(label: &str, value: String, target: &str, met: bool) {
    let verdict = match (target.is_empty(), met) {
        (true, _) => String::new(),
        (false, true) => format!("target {target}: met"),
        (false, false) => format!("target {target}: MISSED"),
    };
    crate::say!("  {label:<52} {value:>10}   {verdict}");
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::EPSILON)
}
