//! Step definitions grouped by domain. Each body is one to three calls on the World.
//!
//! The patterns use ASCII classes (`[A-Z][a-z]+` for a person's name, `[0-9]+` for a count),
//! never `\w` or `\d`: those are Unicode classes in the regex crate, and compiling the step
//! patterns with them took about 30 ms of every run (600 us for a pattern like
//! `^(\w+) has a verified account$`, against 12 us with `[A-Z][a-z]+`).

mod account;
mod assertions;
mod email;
mod http;
mod session;
