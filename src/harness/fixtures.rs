//! Generated test data: every scenario gets its own people, so scenarios never share a user and
//! can run concurrently in any order.

use fake::Fake;
use fake::faker::name::en::{FirstName, LastName};
use uuid::Uuid;

/// A person the suite invents.
#[derive(Clone, PartialEq, Eq)]
pub struct Persona {
    /// Display name.
    pub name: String,
    /// Unique email address.
    pub email: String,
    /// A valid password (>= 8 characters, mixed classes).
    pub password: String,
}

impl std::fmt::Debug for Persona {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Persona")
            .field("name", &self.name)
            .field("email", &self.email)
            .field("password", &"[redacted]")
            .finish()
    }
}

impl Persona {
    /// A fresh persona whose email no other scenario uses.
    pub fn generate() -> Self {
        let first: String = FirstName().fake();
        let last: String = LastName().fake();
        let unique = Uuid::new_v4().simple().to_string();
        let local: String = format!("{first}.{last}")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect::<String>()
            .to_lowercase();
        Self {
            name: format!("{first} {last}"),
            email: format!("sfc.{local}.{}@example.com", &unique[..12]),
            password: generate_password(),
        }
    }
}

/// A valid password that is not in any common-password list.
pub fn generate_password() -> String {
    let unique = Uuid::new_v4().simple().to_string();
    format!("Sf!{}x9Q", &unique[..14])
}

/// A password the server must reject as too short (7 characters).
pub const SHORT_PASSWORD: &str = "Ab1!xyz";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personas_are_unique_and_valid() {
        let a = Persona::generate();
        let b = Persona::generate();
        assert_ne!(a.email, b.email);
        assert!(a.email.contains('@') && a.email.is_ascii());
        assert!(a.password.len() >= 8);
        assert!(SHORT_PASSWORD.len() < 8);
    }

    #[test]
    fn debug_hides_the_password() {
        let a = Persona::generate();
        assert!(!format!("{a:?}").contains(&a.password));
    }
}
