//! Step definitions grouped by domain. Each body is one to three calls on the World.

mod account;
mod assertions;
mod email;
mod http;
mod session;
