//! Exit codes of `verify` (and of `cargo test --test conformance`), documented in `--help` and
//! the README. Distinct codes let CI tell "the server is broken" from "the check could not run".

use crate::report::Verdict;

/// The process exit status of a conformance run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateExit {
    /// 0: the target conforms at the chosen level.
    Conformant,
    /// 1: at least one scenario FAILED.
    NotConformant,
    /// 2: the run could not happen (bad arguments, unreachable target, TLS failure, no scenario
    /// matched the tags).
    CouldNotRun,
}

impl GateExit {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            GateExit::Conformant => 0,
            GateExit::NotConformant => 1,
            GateExit::CouldNotRun => 2,
        }
    }
}

impl From<Verdict> for GateExit {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Conformant => GateExit::Conformant,
            Verdict::NotConformant => GateExit::NotConformant,
        }
    }
}

impl From<GateExit> for std::process::ExitCode {
    fn from(exit: GateExit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}
