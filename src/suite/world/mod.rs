//! The scenario World: one per scenario, with its own HTTP client and cookie jar, the people the
//! scenario talks about, and every exchange it recorded.
//!
//! The methods are split by domain (session, account, email, http, checks); steps call them.

pub mod account;
pub mod checks;
pub mod email;
pub mod http;
pub mod paths;
pub mod session;
mod state;
pub mod timing;

pub use state::{AuthWorld, verify};
