//! Router tests: the whole app called through `tower::ServiceExt::oneshot`, no socket, plus
//! one real-socket test through [`EmbeddedServer`](crate::reference::EmbeddedServer).
//! One file per area.

mod support;

mod api_keys;
mod coverage;
mod embedded;
mod errors;
mod faults;
mod password_reset;
mod register;
mod session;
mod test_control;
mod verification;
