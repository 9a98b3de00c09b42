//! Outgoing mail: composed here, stored in the outbox ([`crate::reference::store::outbox`]),
//! read back through the Mailpit-compatible API ([`mailpit`]).

pub mod compose;
pub mod mailpit;
