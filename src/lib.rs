//! Conformance test harness for the SpatialFlow Authentication API, with an embedded
//! reference implementation of that API.

pub mod reference;
