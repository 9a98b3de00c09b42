//! The release gate: what `spatialflow-conformance verify` adds around a conformance run —
//! a preflight probe of the target and the exit codes CI systems gate on.

mod exit;
pub(crate) mod options;
pub mod preflight;
pub mod verify;

pub use exit::GateExit;
pub use options::{EXIT_CODES, VerifyArgs};
pub use preflight::{PreflightError, probe};
