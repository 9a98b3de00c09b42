//! The reference SpatialFlow authentication server.
//!
//! A real implementation of the contract in `/work/shared/spec` (axum + SQLite), used as the
//! embedded target of the conformance suite and runnable on its own with
//! `spatialflow-conformance serve`. Every behaviour where the contract is silent is decided in
//! the module that implements it, and documented there.
//!
//! Entry points: [`EmbeddedServer::start`] (in-process, for tests), [`run_serve`] (the CLI),
//! [`app`] (the router, for socket-less tests).
//!
//! Where each decision of a silent contract is written down:
//! - lifetimes (access 900 s, refresh 7 days, reset 1 h, verification 24 h), resend limit
//!   (3 per rolling hour), frontend base: `config`;
//! - error shapes, 404/405/413/415, `nosniff` and `no-store`: `error`, `extract`, `app`;
//! - password rules and argon2 profiles: `password`; email syntax: `email`;
//! - JWT claims and checks: `tokens::jwt`; opaque secrets and hashing: `tokens::opaque`;
//! - 401 rules of both schemes: `auth`;
//! - cookie names and attributes: `routes::cookies`; deprecation headers: `routes::deprecation`;
//! - rotation, reuse detection and revocation: `store::sessions`; single-use tokens:
//!   `store::one_time`; rate limiting: `rate_limit`;
//! - mail subjects and links: `mail::compose`; the Mailpit-compatible API: `mail::mailpit`;
//! - per-endpoint behaviour: the `routes::*` file of the endpoint;
//! - test-control surface (E2E users, clock, `deactivate-user`): `routes::test_control`;
//! - deliberate defects for the mutation score (`--fault`): [`faults`].

mod app;
mod auth;
mod cli;
mod clock;
mod config;
mod email;
mod error;
mod extract;
pub mod faults;
mod mail;
mod models;
mod password;
mod rate_limit;
mod routes;
mod server;
mod state;
mod store;
mod tokens;

#[cfg(test)]
mod tests;

pub use app::app;
pub use cli::ServeArgs;
pub use clock::Clock;
pub use config::{Database, RateRule, ReferenceConfig};
pub use error::ApiError;
pub use faults::{Fault, Level};
pub use password::HashProfile;
pub use server::{EmbeddedServer, run_serve};
pub use state::AppState;
