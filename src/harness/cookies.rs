//! `Set-Cookie` headers as data, so checks never depend on cookie names.

use super::exchange::Response;

/// One `Set-Cookie` header, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetCookie {
    /// Cookie name.
    pub name: String,
    /// Cookie value (a secret for session cookies).
    pub value: String,
    /// Attributes in order, names as sent, values if any (`HttpOnly` has none).
    pub attributes: Vec<(String, Option<String>)>,
}

impl SetCookie {
    /// Parses one header value; `None` if it has no `name=value` pair.
    pub fn parse(header: &str) -> Option<Self> {
        let mut parts = header.split(';');
        let (name, value) = parts.next()?.split_once('=')?;
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let attributes = parts
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.trim().to_owned(), Some(v.trim().to_owned())),
                None => (p.to_owned(), None),
            })
            .collect();
        Some(Self {
            name: name.to_owned(),
            value: value.trim().trim_matches('"').to_owned(),
            attributes,
        })
    }

    /// The value of attribute `name` (case-insensitive); `Some(None)` for a flag.
    pub fn attribute(&self, name: &str) -> Option<Option<&str>> {
        self.attributes
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_deref())
    }

    /// Whether flag or attribute `name` is present.
    pub fn has(&self, name: &str) -> bool {
        self.attribute(name).is_some()
    }

    /// The path attribute, `/` when absent is not assumed (None).
    pub fn path(&self) -> Option<&str> {
        self.attribute("Path").flatten()
    }

    /// Whether this header deletes the cookie (`Max-Age=0` or an `Expires` in the past century).
    pub fn clears(&self) -> bool {
        let max_age_zero = self
            .attribute("Max-Age")
            .flatten()
            .and_then(|v| v.parse::<i64>().ok())
            .is_some_and(|v| v <= 0);
        let expired = self
            .attribute("Expires")
            .flatten()
            .is_some_and(|v| v.contains("1970"));
        max_age_zero || expired
    }

    /// `name=value`, as a client sends it back in `Cookie`.
    pub fn pair(&self) -> String {
        format!("{}={}", self.name, self.value)
    }
}

/// Every cookie a response sets.
pub fn set_cookies(response: &Response) -> Vec<SetCookie> {
    response
        .headers_named("set-cookie")
        .filter_map(SetCookie::parse)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_name_value_and_attributes() {
        let c = SetCookie::parse("sid=abc; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=900")
            .unwrap();
        assert_eq!(c.name, "sid");
        assert_eq!(c.value, "abc");
        assert!(c.has("httponly") && c.has("Secure"));
        assert_eq!(c.attribute("samesite"), Some(Some("Lax")));
        assert_eq!(c.path(), Some("/"));
        assert!(!c.clears());
    }

    #[test]
    fn recognises_a_clearing_cookie() {
        let c = SetCookie::parse("sid=; Path=/; Max-Age=0").unwrap();
        assert!(c.clears());
        let c = SetCookie::parse("sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT").unwrap();
        assert!(c.clears());
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(SetCookie::parse("novalue"), None);
        assert_eq!(SetCookie::parse("=x"), None);
    }
}
