//! Nobody has to read the console: `verify | head` ends with the verdict's exit code, not a
//! panic when the reader goes away.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

#[test]
fn verify_outlives_a_reader_that_stops_after_one_line() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spatialflow-conformance"))
        .arg("verify")
        .env_remove("SPATIALFLOW_BASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout is piped"))
        .read_line(&mut first)
        .expect("one line arrives");
    // The reader is gone from here on: every later line meets a closed pipe.
    let output = child.wait_with_output().expect("verify ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(first.starts_with("conformance target:"), "{first}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}
