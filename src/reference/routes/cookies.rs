//! The session cookies set by login and refresh and cleared by logout.
//!
//! Decisions: names `access_token` and `refresh_token` (the contract does not name them, and
//! the suite must not rely on them), each `HttpOnly; Secure; SameSite=Lax; Path=/` with a
//! Max-Age equal to the token's remaining lifetime. Clearing repeats name, Path and attributes
//! with `Max-Age=0`.

use axum::http::{HeaderMap, HeaderValue, header};

/// Name of the access-token cookie.
pub const ACCESS_COOKIE: &str = "access_token";
/// Name of the refresh-token cookie.
pub const REFRESH_COOKIE: &str = "refresh_token";

const ATTRIBUTES: &str = "HttpOnly; Secure; SameSite=Lax; Path=/";

/// A `Set-Cookie` value that stores `value` for `max_age` seconds.
pub fn set(name: &str, value: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={value}; {ATTRIBUTES}; Max-Age={}",
        max_age.max(0)
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// A `Set-Cookie` value that deletes the cookie.
pub fn clear(name: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}=; {ATTRIBUTES}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// The value of cookie `name` in the request, if any.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_cookie_carries_the_security_attributes() {
        let value = set(ACCESS_COOKIE, "abc", 900);
        assert_eq!(
            value.to_str().unwrap(),
            "access_token=abc; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=900"
        );
    }

    #[test]
    fn cookie_is_read_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; refresh_token=xyz; b=2"),
        );
        assert_eq!(read(&headers, REFRESH_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(read(&headers, ACCESS_COOKIE), None);
    }
}
