//! Pure checks over recorded exchanges. Each returns `Ok(())` or a [`Failure`] saying what was
//! expected, what came back and where.

use std::fmt;

use serde_json::Value;

use super::cookies::{SetCookie, set_cookies};
use super::exchange::{Body, Exchange};
use super::redact::redact;

/// A failed check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Short description of the check ("status", "header", "schema", ...).
    pub check: String,
    /// Where: `status`, a header name, a JSON pointer, a cookie name.
    pub location: String,
    /// What was expected.
    pub expected: String,
    /// What came back.
    pub actual: String,
}

impl Failure {
    /// Builds a failure.
    pub fn new(
        check: &str,
        location: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Self {
        Self {
            check: check.to_owned(),
            location: location.into(),
            expected: expected.into(),
            actual: actual.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} check failed at {}\n  expected: {}\n  actual:   {}",
            self.check,
            self.location,
            redact(&self.expected),
            redact(&self.actual)
        )
    }
}

impl std::error::Error for Failure {}

/// Result of a check.
pub type CheckResult = Result<(), Failure>;

/// One-line summary of a response, for the `actual` side of a failure.
pub fn describe(exchange: &Exchange) -> String {
    let body = match &exchange.response.body {
        Body::Empty => "empty body".to_owned(),
        Body::Json(v) => super::redact::redact_json(v).to_string(),
        Body::Text(t) => format!("text {:?}", t.chars().take(200).collect::<String>()),
    };
    format!(
        "{} {} -> {} with {}",
        exchange.request.method,
        exchange.request.route(),
        exchange.response.status,
        body
    )
}

/// The status is one of `expected`.
pub fn check_status(exchange: &Exchange, expected: &[u16]) -> CheckResult {
    if expected.contains(&exchange.response.status) {
        return Ok(());
    }
    let want: Vec<String> = expected.iter().map(u16::to_string).collect();
    Err(Failure::new(
        "status",
        "status",
        want.join(" or "),
        describe(exchange),
    ))
}

/// Header `name` is present (and non-empty).
pub fn check_header_present(exchange: &Exchange, name: &str) -> CheckResult {
    match exchange.response.header(name) {
        Some(v) if !v.trim().is_empty() => Ok(()),
        _ => Err(Failure::new("header", name, "present", "absent")),
    }
}

/// Header `name` contains `needle` (case-insensitive).
pub fn check_header_contains(exchange: &Exchange, name: &str, needle: &str) -> CheckResult {
    let found = exchange.response.headers_named(name).any(|v| {
        v.to_ascii_lowercase()
            .contains(&needle.to_ascii_lowercase())
    });
    if found {
        Ok(())
    } else {
        let values: Vec<&str> = exchange.response.headers_named(name).collect();
        Err(Failure::new(
            "header",
            name,
            format!("a value containing {needle:?}"),
            format!("{values:?}"),
        ))
    }
}

/// `Deprecation` is an RFC 9745 structured date (`@` and Unix seconds) and a `Link` has
/// `rel="deprecation"`.
pub fn check_deprecation(exchange: &Exchange) -> CheckResult {
    match exchange.response.header("Deprecation") {
        Some(v)
            if v.trim()
                .strip_prefix('@')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) => {}
        other => {
            return Err(Failure::new(
                "header",
                "deprecation",
                "an RFC 9745 date such as @1735689600",
                format!("{other:?}"),
            ));
        }
    }
    check_link_relation(exchange, "deprecation")
}

/// Some `Link` header carries a link with relation `rel` (RFC 8288).
pub fn check_link_relation(exchange: &Exchange, rel: &str) -> CheckResult {
    let wanted = format!("rel=\"{rel}\"");
    let found = exchange
        .response
        .headers_named("link")
        .flat_map(|v| v.split(','))
        .any(|link| {
            link.split(';').any(|p| {
                p.trim().eq_ignore_ascii_case(&wanted)
                    || p.trim().eq_ignore_ascii_case(&format!("rel={rel}"))
            })
        });
    if found {
        Ok(())
    } else {
        let values: Vec<&str> = exchange.response.headers_named("link").collect();
        Err(Failure::new(
            "header",
            "link",
            format!("a link with rel=\"{rel}\""),
            format!("{values:?}"),
        ))
    }
}

/// `Retry-After` holds a positive number of seconds (RFC 9110 section 10.2.3, delay form).
pub fn check_retry_after(exchange: &Exchange) -> CheckResult {
    match exchange.response.header("Retry-After") {
        Some(v) if v.trim().parse::<u64>().is_ok_and(|s| s > 0) => Ok(()),
        other => Err(Failure::new(
            "header",
            "retry-after",
            "a positive number of seconds",
            format!("{other:?}"),
        )),
    }
}

/// The response declares a JSON content type.
pub fn check_json_content_type(exchange: &Exchange) -> CheckResult {
    match exchange.response.header("content-type") {
        Some(ct) if ct.to_ascii_lowercase().starts_with("application/json") => Ok(()),
        other => Err(Failure::new(
            "content type",
            "content-type",
            "application/json",
            format!("{other:?}"),
        )),
    }
}

/// The body is JSON and holds a value at `pointer`.
pub fn check_json_present(exchange: &Exchange, pointer: &str) -> CheckResult {
    match exchange
        .response
        .body
        .json()
        .and_then(|v| v.pointer(pointer))
    {
        Some(v) if !v.is_null() => Ok(()),
        _ => Err(Failure::new("body", pointer, "a value", describe(exchange))),
    }
}

/// The body holds exactly `expected` at `pointer`.
pub fn check_json_equals(exchange: &Exchange, pointer: &str, expected: &Value) -> CheckResult {
    let actual = exchange
        .response
        .body
        .json()
        .and_then(|v| v.pointer(pointer));
    if actual == Some(expected) {
        Ok(())
    } else {
        Err(Failure::new(
            "body",
            pointer,
            expected.to_string(),
            actual.map_or_else(|| "nothing".to_owned(), Value::to_string),
        ))
    }
}

/// The body has nothing at `pointer`.
pub fn check_json_absent(exchange: &Exchange, pointer: &str) -> CheckResult {
    match exchange
        .response
        .body
        .json()
        .and_then(|v| v.pointer(pointer))
    {
        None => Ok(()),
        Some(_) => Err(Failure::new(
            "absent",
            pointer,
            "no such field",
            "the field is present",
        )),
    }
}

/// The body holds a string equal to `expected` (ignoring ASCII case) at `pointer`.
pub fn check_json_str_ignoring_case(
    exchange: &Exchange,
    pointer: &str,
    expected: &str,
) -> CheckResult {
    match exchange.response.json_str(pointer) {
        Some(s) if s.eq_ignore_ascii_case(expected) => Ok(()),
        other => Err(Failure::new(
            "body",
            pointer,
            format!("{expected:?}"),
            format!("{other:?}"),
        )),
    }
}

/// The body is an ErrorResponse-shaped error: `detail` is a non-empty string.
pub fn check_error_shape(exchange: &Exchange) -> CheckResult {
    match exchange.response.body.json().and_then(|v| v.get("detail")) {
        Some(Value::String(s)) if !s.is_empty() => Ok(()),
        Some(Value::Array(items)) if !items.is_empty() => Ok(()),
        _ => Err(Failure::new(
            "error shape",
            "/detail",
            "a message or list of problems",
            describe(exchange),
        )),
    }
}

/// Two exchanges answered the same: status and body are equal.
pub fn check_same_answer(first: &Exchange, second: &Exchange) -> CheckResult {
    if first.response.status == second.response.status
        && first.response.body == second.response.body
    {
        Ok(())
    } else {
        Err(Failure::new(
            "identical answers",
            "status and body",
            describe(first),
            describe(second),
        ))
    }
}

/// None of `secrets` occurs anywhere in the body.
pub fn check_body_omits(exchange: &Exchange, secrets: &[&str]) -> CheckResult {
    let text = match &exchange.response.body {
        Body::Empty => return Ok(()),
        Body::Json(v) => v.to_string(),
        Body::Text(t) => t.clone(),
    };
    match secrets.iter().find(|s| !s.is_empty() && text.contains(*s)) {
        None => Ok(()),
        // The secret itself is redacted by Failure's Display.
        Some(s) => Err(Failure::new(
            "no secrets",
            "body",
            "no credential in the body",
            format!("body contains {s}"),
        )),
    }
}

/// The cookies the response sets; failing when it sets none.
fn session_cookies(exchange: &Exchange) -> Result<Vec<SetCookie>, Failure> {
    let cookies = set_cookies(&exchange.response);
    if cookies.is_empty() {
        return Err(Failure::new(
            "cookies",
            "set-cookie",
            "session cookies",
            "no Set-Cookie header",
        ));
    }
    Ok(cookies)
}

/// The response sets at least one cookie, and each is `HttpOnly`.
pub fn check_session_cookies_http_only(exchange: &Exchange) -> CheckResult {
    let cookies = session_cookies(exchange)?;
    each_cookie(&cookies, "HttpOnly", |c| c.has("HttpOnly"))
}

/// Every cookie set by the response is `Secure` and `SameSite=Strict|Lax`.
pub fn check_session_cookies_hardened(exchange: &Exchange) -> CheckResult {
    let cookies = session_cookies(exchange)?;
    each_cookie(&cookies, "Secure", |c| c.has("Secure"))?;
    each_cookie(&cookies, "SameSite=Strict or Lax", |c| {
        c.attribute("SameSite")
            .flatten()
            .is_some_and(|v| v.eq_ignore_ascii_case("strict") || v.eq_ignore_ascii_case("lax"))
    })
}

fn each_cookie(cookies: &[SetCookie], what: &str, ok: impl Fn(&SetCookie) -> bool) -> CheckResult {
    match cookies.iter().find(|c| !ok(c)) {
        None => Ok(()),
        Some(c) => Err(Failure::new(
            "cookie attribute",
            format!("set-cookie {}", c.name),
            what,
            format!("attributes {:?}", c.attributes),
        )),
    }
}

/// The response clears every cookie in `earlier` (same name and path, deleted).
pub fn check_cookies_cleared(exchange: &Exchange, earlier: &[SetCookie]) -> CheckResult {
    let now = set_cookies(&exchange.response);
    for cookie in earlier {
        let cleared = now
            .iter()
            .any(|c| c.name == cookie.name && c.path() == cookie.path() && c.clears());
        if !cleared {
            return Err(Failure::new(
                "cookie cleared",
                format!("set-cookie {}", cookie.name),
                format!(
                    "{} cleared with Path {:?} and Max-Age=0",
                    cookie.name,
                    cookie.path()
                ),
                format!(
                    "{:?}",
                    now.iter()
                        .map(|c| (&c.name, &c.attributes))
                        .collect::<Vec<_>>()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::harness::exchange::{Request, Response};

    fn exchange(status: u16, headers: &[(&str, &str)], body: Body) -> Exchange {
        Exchange {
            request: Request::new("POST", "/api/v1/auth/login"),
            response: Response {
                status,
                headers: headers
                    .iter()
                    .map(|(k, v)| ((*k).into(), (*v).into()))
                    .collect(),
                body,
            },
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn status_mismatch_says_expected_and_actual() {
        let e = exchange(400, &[], Body::Json(json!({"detail": "bad"})));
        assert!(check_status(&e, &[400]).is_ok());
        let f = check_status(&e, &[200]).unwrap_err();
        assert_eq!(f.location, "status");
        assert_eq!(f.expected, "200");
        assert!(f.actual.contains("-> 400"));
    }

    #[test]
    fn error_shape_needs_a_detail() {
        assert!(check_error_shape(&exchange(400, &[], Body::Json(json!({"detail": "x"})))).is_ok());
        let f =
            check_error_shape(&exchange(400, &[], Body::Json(json!({"error": "x"})))).unwrap_err();
        assert_eq!(f.location, "/detail");
    }

    #[test]
    fn cookie_attributes_are_checked_per_cookie() {
        let good = exchange(
            200,
            &[("set-cookie", "a=1; HttpOnly; Secure; SameSite=Lax; Path=/")],
            Body::Empty,
        );
        assert!(check_session_cookies_http_only(&good).is_ok());
        assert!(check_session_cookies_hardened(&good).is_ok());
        let bad = exchange(200, &[("set-cookie", "a=1; Secure; Path=/")], Body::Empty);
        let f = check_session_cookies_http_only(&bad).unwrap_err();
        assert_eq!(f.location, "set-cookie a");
        assert!(check_session_cookies_hardened(&bad).is_err());
    }

    #[test]
    fn cleared_cookies_must_match_name_and_path() {
        let earlier = vec![SetCookie::parse("a=1; Path=/").unwrap()];
        let cleared = exchange(200, &[("set-cookie", "a=; Path=/; Max-Age=0")], Body::Empty);
        assert!(check_cookies_cleared(&cleared, &earlier).is_ok());
        let wrong_path = exchange(
            200,
            &[("set-cookie", "a=; Path=/x; Max-Age=0")],
            Body::Empty,
        );
        assert!(check_cookies_cleared(&wrong_path, &earlier).is_err());
    }

    #[test]
    fn deprecation_needs_a_structured_date_and_a_link() {
        let link = (
            "link",
            r#"<https://x/docs>; rel="deprecation"; type="text/html", </next>; rel="successor-version""#,
        );
        let good = exchange(410, &[("deprecation", "@1735689600"), link], Body::Empty);
        assert!(check_deprecation(&good).is_ok());
        assert!(check_link_relation(&good, "successor-version").is_ok());
        let bad_date = exchange(410, &[("deprecation", "true"), link], Body::Empty);
        assert_eq!(
            check_deprecation(&bad_date).unwrap_err().location,
            "deprecation"
        );
        let no_link = exchange(410, &[("deprecation", "@1")], Body::Empty);
        assert_eq!(check_deprecation(&no_link).unwrap_err().location, "link");
    }

    #[test]
    fn retry_after_must_be_positive_seconds() {
        assert!(check_retry_after(&exchange(429, &[("retry-after", "120")], Body::Empty)).is_ok());
        assert!(check_retry_after(&exchange(429, &[("retry-after", "0")], Body::Empty)).is_err());
        let f = check_retry_after(&exchange(429, &[], Body::Empty)).unwrap_err();
        assert_eq!(f.location, "retry-after");
    }

    #[test]
    fn same_answer_compares_status_and_body() {
        let a = exchange(200, &[], Body::Json(json!({"message": "ok"})));
        let b = exchange(200, &[("x", "y")], Body::Json(json!({"message": "ok"})));
        let c = exchange(200, &[], Body::Json(json!({"message": "other"})));
        assert!(check_same_answer(&a, &b).is_ok());
        assert!(check_same_answer(&a, &c).is_err());
    }

    #[test]
    fn secrets_in_the_body_are_found() {
        let e = exchange(200, &[], Body::Json(json!({"echo": "hunter22"})));
        assert!(check_body_omits(&e, &["hunter22"]).is_err());
        assert!(check_body_omits(&e, &["other"]).is_ok());
    }
}
