@endpoint
Feature: Resend verification email
  Anyone may ask for a new verification email for an address, at most 3 times an hour per address.

  @must @e2e-api @mailbox
  Scenario: A verification email goes to an unverified address
    Given Vera has an unverified account
    When someone asks for a new verification email for Vera's address
    Then someone is told it worked
    And Vera receives a verification email
    And the answer matches the snapshot "resend_verification_email__success"

  @must @e2e-api @mailbox
  Scenario: Every request sends a new verification email
    The mail of an earlier request (or of the sign-up) must not pass for the one just asked for.
    Given Vera has an unverified account
    And someone has asked for a new verification email for Vera's address
    And Vera has received a verification email
    When someone asks for a new verification email for Vera's address
    Then someone is told it worked
    And Vera receives a verification email

  @must
  Scenario: An invalid email address is refused
    When someone asks for a new verification email for an invalid email address
    Then someone is told the request was bad
    And the answer matches the snapshot "resend_verification_email__invalid_email"

  @must @e2e-api
  Scenario: The fourth request within an hour for one address is refused
    Given Vera has an unverified account
    And someone has asked for a new verification email for Vera's address 3 times
    When someone asks for a new verification email for Vera's address
    Then someone is told to slow down

  @should @e2e-api
  Scenario: Known and unknown addresses get the identical answer
    OWASP Forgot Password Cheat Sheet (applied to verification): no account enumeration.
    Given Vera has an unverified account
    When someone asks for a new verification email for Vera's address
    And someone asks for a new verification email for an unknown address
    Then both answers are the same
