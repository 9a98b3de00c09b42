@endpoint
Feature: Verify email (query form)
  The token from the verification email verifies the address.

  @must @e2e-api @mailbox
  Scenario: The emailed token verifies the address
    Given Vera has an unverified account
    And someone has asked for a new verification email for Vera's address
    And Vera has received a verification email
    When Vera verifies her email with the emailed token in the query form
    Then she is told it worked
    And her email address is verified
    And the answer matches the snapshot "verify_email__success"

  @must
  Scenario: A made-up token is refused
    When someone verifies an email with a made-up token in the query form
    Then someone is told the request was bad
    And the answer matches the snapshot "verify_email__invalid_token"

  @should @e2e-api @mailbox
  Scenario: A verification token works only once
    OWASP ASVS 4.0.3 V2.5.1 and the Forgot Password Cheat Sheet: emailed tokens are single use.
    Given Vera has an unverified account
    And someone has asked for a new verification email for Vera's address
    And Vera has received a verification email
    When Vera verifies her email with the emailed token in the query form
    And Vera verifies her email with the emailed token in the query form
    Then she is told the request was bad
