@endpoint
Feature: Forgot password
  A person who forgot her password asks for a reset link by email.

  @must @account @mailbox
  Scenario: Alice asks for a password reset and gets a link by email
    Given Alice has a verified account
    When Alice asks for a password reset
    Then she is told it worked
    And Alice receives a password reset email
    And the answer matches the snapshot "forgot_password__success"

  @should
  Scenario: An unknown address gets the success answer too
    OWASP Forgot Password Cheat Sheet: the answer does not reveal whether the account exists.
    When someone asks for a password reset for an unknown address
    Then someone is told it worked

  @must
  Scenario: An invalid email address is refused
    When someone asks for a password reset for an invalid email address
    Then someone is told the request was bad
    And the answer matches the snapshot "forgot_password__invalid_email"

  @should @account
  Scenario: Known and unknown addresses get the identical answer
    OWASP Forgot Password Cheat Sheet: return a consistent message for existent and
    non-existent accounts (no account enumeration).
    Given Alice has a verified account
    When Alice asks for a password reset
    And someone asks for a password reset for an unknown address
    Then both answers are the same
