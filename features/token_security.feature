@cross-cutting
Feature: Token security
  Emailed tokens are single use and expire; refresh tokens rotate; a password change or reset
  ends other sessions.

  @must @e2e-api @mailbox
  Scenario: A reset token works only once
    Given Alice has a verified account
    And Alice has asked for a password reset
    And Alice has received a password reset email
    When Alice sets a new password with the emailed token
    And Alice sets another new password with the same token
    Then she is told the request was bad

  @should @e2e-api @mailbox @clock @serial
  Scenario: A reset token expires after an hour
    OWASP Forgot Password Cheat Sheet: reset tokens expire after a short period.
    Given Alice has a verified account
    And Alice has asked for a password reset
    And Alice has received a password reset email
    And the server clock has moved forward by 61 minutes
    When Alice sets a new password with the emailed token
    Then she is told the request was bad
    And she can still log in with her password

  @should @e2e-api @mailbox @clock @serial
  Scenario: A verification token expires after a day
    OWASP ASVS 4.0.3 V2.5.1 (emailed secrets are short-lived).
    Given Vera has an unverified account
    And someone has asked for a new verification email for Vera's address
    And Vera has received a verification email
    And the server clock has moved forward by 25 hours
    When Vera verifies her email with the emailed token in the query form
    Then she is told the request was bad

  @should @account
  Scenario: Refresh tokens rotate
    RFC 9700 section 4.14.2: every refresh returns a new refresh token and spends the old one.
    Given Alice has a verified account
    And Alice is logged in
    When Alice refreshes her session with her refresh token
    Then her previous refresh token no longer works

  @should @e2e-api @mailbox
  Scenario: A password reset ends the other sessions
    OWASP ASVS 4.0.3 V3.3.3: after a reset, earlier refresh tokens stop working.
    Given Alice has a verified account
    And Alice is logged in
    And Alice has asked for a password reset
    And Alice has received a password reset email
    When Alice sets a new password with the emailed token
    Then none of her refresh tokens works any more

  @should @account
  Scenario: Replaying a rotated refresh token revokes its successor
    RFC 9700 section 4.14.2 (refresh token reuse detection): the whole token family is revoked.
    Given Alice has a verified account
    And Alice is logged in
    When Alice refreshes her session with her refresh token
    And Alice refreshes her session with her previous refresh token
    Then her latest refresh token no longer works

  @should @account @clock @serial
  Scenario: An access token expires
    RFC 7519 section 4.1.4 (exp) and RFC 8725 section 3.10: an expired token is refused.
    Given Alice has a verified account
    And Alice is logged in
    When the server clock moves forward by 16 minutes
    Then her access token no longer works
