//! The two emails of the server and how they are queued.
//!
//! Decisions: subjects "Reset your SpatialFlow password" and "Verify your SpatialFlow email
//! address"; the text and the HTML both carry the link `<frontend>/reset-password?token=TOKEN`
//! or `<frontend>/verify-email?token=TOKEN`, where the frontend base comes from configuration
//! only (never from Host or X-Forwarded-Host, so a forged header cannot poison the link).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

use crate::reference::config::ReferenceConfig;
use crate::reference::store::outbox::StoredMail;

/// Which email to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template {
    /// Password reset link, valid 1 hour.
    PasswordReset,
    /// Email verification link, valid 24 hours.
    Verification,
}

/// Subject of the password-reset email.
pub const RESET_SUBJECT: &str = "Reset your SpatialFlow password";
/// Subject of the verification email.
pub const VERIFY_SUBJECT: &str = "Verify your SpatialFlow email address";

/// Builds the email for `to` carrying `token`.
pub fn compose(
    config: &ReferenceConfig,
    template: Template,
    to: &str,
    token: &str,
    now_ms: i64,
) -> StoredMail {
    let base = config.frontend_url.trim_end_matches('/');
    let (subject, link, intro, action, validity) = match template {
        Template::PasswordReset => (
            RESET_SUBJECT,
            format!("{base}/reset-password?token={token}"),
            "We received a request to reset the password of your SpatialFlow account.",
            "Reset your password",
            "This link is valid for 1 hour and can be used once. If you did not ask for a \
             new password, ignore this email: your password stays the same.",
        ),
        Template::Verification => (
            VERIFY_SUBJECT,
            format!("{base}/verify-email?token={token}"),
            "Please confirm that this is your email address.",
            "Verify your email address",
            "This link is valid for 24 hours and can be used once. If you did not create a \
             SpatialFlow account, ignore this email.",
        ),
    };
    let text =
        format!("Hello,\n\n{intro}\n\n{action}:\n{link}\n\n{validity}\n\nThe SpatialFlow team\n");
    let escaped = escape_html(&link);
    let html = format!(
        "<!DOCTYPE html><html><body><p>Hello,</p><p>{intro}</p>\
         <p><a href=\"{escaped}\">{action}</a></p><p>{escaped}</p><p>{validity}</p>\
         <p>The SpatialFlow team</p></body></html>"
    );
    let id = new_message_id();
    StoredMail {
        message_id: format!("{id}@spatialflow.local"),
        id,
        from_name: config.mail_from_name.clone(),
        from_address: config.mail_from_address.clone(),
        to_address: to.to_owned(),
        subject: subject.to_owned(),
        text,
        html,
        created_at_ms: now_ms,
        read: false,
    }
}

/// A Mailpit-like message ID: 128 random bits, base64url (22 characters).
fn new_message_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn escape_html(raw: &str) -> String {
    raw.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_mail_links_to_the_configured_frontend() {
        let config = ReferenceConfig::embedded();
        let mail = compose(&config, Template::PasswordReset, "a@example.com", "TOK", 0);
        assert_eq!(mail.subject, RESET_SUBJECT);
        assert!(
            mail.text
                .contains("http://localhost:3000/reset-password?token=TOK")
        );
        assert!(
            mail.html
                .contains("http://localhost:3000/reset-password?token=TOK")
        );
    }

    #[test]
    fn verification_mail_links_to_verify_email() {
        let config = ReferenceConfig::embedded();
        let mail = compose(&config, Template::Verification, "a@example.com", "TOK", 0);
        assert_eq!(mail.subject, VERIFY_SUBJECT);
        assert!(mail.text.contains("/verify-email?token=TOK"));
    }
}
