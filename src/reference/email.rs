//! Email addresses as a validated newtype.
//!
//! Decision: a deliberately small syntax check (one `@`, non-empty local part, a dotted domain
//! of host-name labels (letters, digits and inner hyphens, Unicode letters allowed for IDNs),
//! no whitespace or control characters, at most 254 characters); the
//! address is trimmed and lower-cased, which is also the key for uniqueness and rate limits.

/// A syntactically valid, normalised email address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailAddress(String);

/// The input is not an email address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Enter a valid email address")]
pub struct InvalidEmail;

impl EmailAddress {
    /// Trims, lower-cases and checks `raw`.
    pub fn parse(raw: &str) -> Result<Self, InvalidEmail> {
        let email = raw.trim().to_lowercase();
        if email.is_empty()
            || email.len() > 254
            || email.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(InvalidEmail);
        }
        let (local, domain) = email.split_once('@').ok_or(InvalidEmail)?;
        if local.is_empty() || domain.contains('@') || !domain.contains('.') {
            return Err(InvalidEmail);
        }
        if !domain.split('.').all(is_host_label) {
            return Err(InvalidEmail);
        }
        Ok(Self(email))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A DNS label: letters or digits, hyphens only inside (the bad-input corpus found
/// `a@example.com'--` accepted; its domain would go into the To: header of a mail).
fn is_host_label(label: &str) -> bool {
    !label.is_empty()
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c.is_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_address_is_normalised() {
        let email = EmailAddress::parse("  Bob@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "bob@example.org");
        for raw in [
            "o'brien@example.com",
            "%@example.com",
            "a@xn--bcher-kva.example",
            "a@bücher.de",
        ] {
            assert!(EmailAddress::parse(raw).is_ok(), "{raw}");
        }
    }

    #[test]
    fn addresses_without_at_or_dotted_domain_are_refused() {
        for raw in [
            "",
            "bob",
            "bob@",
            "@example.org",
            "bob@localhost",
            "a@b@c.d",
            "a b@c.d",
            "a@b..c",
            "a@example.com'--",
            "a@exa_mple.com",
            "a@-example.com",
            "a@example.com;",
        ] {
            assert_eq!(EmailAddress::parse(raw), Err(InvalidEmail), "{raw}");
        }
    }
}
