//! Deprecation signalling for the two deprecated endpoints (RFC 9745 `Deprecation` as a
//! structured date, RFC 8288 `Link` with `rel="deprecation"` and the successor).

use axum::http::{HeaderName, HeaderValue, header};

/// Deprecation instant of the legacy endpoints: 2025-01-01T00:00:00Z.
pub const DEPRECATION: &str = "@1735689600";
/// Planned removal of the deprecated register endpoint (RFC 8594 `Sunset`).
pub const SUNSET: &str = "Fri, 31 Dec 2027 23:59:59 GMT";
/// Documentation of the deprecations.
pub const DOCS: &str = "https://api.spatialflow.io/docs/deprecations";

/// Headers announcing that an endpoint is deprecated in favour of `successor`.
pub fn headers(successor: &str) -> [(HeaderName, HeaderValue); 2] {
    let link = format!(
        "<{DOCS}>; rel=\"deprecation\"; type=\"text/html\", <{successor}>; rel=\"successor-version\""
    );
    [
        (
            HeaderName::from_static("deprecation"),
            HeaderValue::from_static(DEPRECATION),
        ),
        (
            header::LINK,
            HeaderValue::from_str(&link).unwrap_or_else(|_| HeaderValue::from_static("")),
        ),
    ]
}
