//! The reference SpatialFlow authentication server.
//!
//! A real implementation of the contract in `/work/shared/spec` (axum + SQLite), used as the
//! embedded target of the conformance suite and runnable on its own with
//! `spatialflow-conformance serve`. Every behaviour where the contract is silent is decided in
//! the module that implements it, and documented there.
//!
//! Entry points: [`EmbeddedServer::start`] (in-process, for tests), [`run_serve`] (the CLI),
//! [`app`] (the router, for socket-less tests).

mod app;
mod auth;
mod cli;
mod clock;
mod config;
mod email;
mod error;
mod extract;
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
pub use password::HashProfile;
pub use server::{EmbeddedServer, run_serve};
pub use state::AppState;
