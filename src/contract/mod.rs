//! The SpatialFlow Authentication API contract, as data.
//!
//! One source of truth shared by the reference server and the conformance harness:
//! - [`ENDPOINTS`]: every operation with its method, path, authentication scheme, request model
//!   and documented status codes (from `AuthenticationApi.md` and `CONTRACT.md`);
//! - [`SchemaSet`]: the JSON Schemas of `schemas/`, compiled once per process;
//! - [`openapi::document`]: the OpenAPI 3.1 document the reference serves, built from both.
//!
//! Because the OpenAPI document, the harness's response validation and the reference's request
//! validation all read the same tables and schema files, they cannot drift apart.

mod endpoints;
pub mod openapi;
mod schemas;

pub use endpoints::{Auth, ENDPOINTS, Endpoint, Group, find};
pub use schemas::{SchemaSet, Violation};
