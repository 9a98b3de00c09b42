@endpoint
Feature: Verify email (path form)
  The path form, kept for backward compatibility, behaves as the query form.

  @must @e2e-api @mailbox
  Scenario: The emailed token verifies the address in the path form
    Given Vera has an unverified account
    And someone has asked for a new verification email for Vera's address
    And Vera has received a verification email
    When Vera verifies her email with the emailed token in the path form
    Then she is told it worked
    And her email address is verified
    And the answer matches the snapshot "verify_email_path__success"

  @must
  Scenario: A made-up token is refused in the path form
    When someone verifies an email with a made-up token in the path form
    Then someone is told the request was bad
    And the answer matches the snapshot "verify_email_path__invalid_token"

  @must
  Scenario: Both forms give the same answer to the same made-up token
    When someone verifies an email with a made-up token in the query form
    And someone verifies an email with a made-up token in the path form
    Then both answers are the same
