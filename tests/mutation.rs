//! The mutation score of the conformance suite, as part of `cargo test`: the suite runs once
//! against the correct reference (it must be green) and once per fault of the reference
//! (`spatialflow-conformance faults`), two processes at a time, and every fault must be caught
//! at its level. The report (fault, level, catching scenarios, verdict, score) is printed.
//!
//! `SPATIALFLOW_MUTATION_FAULTS=name,name` limits the run to some faults (local iteration);
//! `SPATIALFLOW_MUTATION_JOBS` sets the parallelism (default 2).

use std::path::PathBuf;
use std::process::{Command, Stdio};

use spatialflow_conformance::reference::faults::Fault;
use spatialflow_conformance::reference::faults::mutation::{self, MutationOptions};

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_spatialflow-conformance"))
}

/// Whether this build of the binary has the `verify` command (it lands with the suite).
fn has_verify() -> bool {
    Command::new(binary())
        .args(["verify", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn options() -> MutationOptions {
    let mut options = MutationOptions::all(binary());
    options.out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mutation");
    if let Ok(list) = std::env::var("SPATIALFLOW_MUTATION_FAULTS") {
        options.faults = list
            .split(',')
            .filter(|n| !n.trim().is_empty())
            .map(|n| n.parse::<Fault>().expect("SPATIALFLOW_MUTATION_FAULTS"))
            .collect();
    }
    if let Some(jobs) = std::env::var("SPATIALFLOW_MUTATION_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
    {
        options.jobs = jobs;
    }
    options
}

#[test]
fn the_suite_catches_every_fault_of_the_reference() {
    if !has_verify() {
        eprintln!(
            "mutation test NOT RUN: this build of spatialflow-conformance has no `verify` \
             command yet (it lands with the conformance suite)"
        );
        return;
    }
    let report = mutation::run(&options()).expect("the mutation run starts");
    println!("{}", report.render());
    assert!(
        report.is_perfect(),
        "the suite is not green on the reference or missed a fault:\n{}",
        report.render()
    );
}
