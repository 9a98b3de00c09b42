//! The cucumber World and step definitions of the conformance suite.
//!
//! Compiled into each binary that runs the suite (`#[path]` from tests/conformance.rs), not into
//! the library: step registrations in an rlib are dropped by the linker.

pub mod steps;
pub mod world;

pub use world::AuthWorld;
