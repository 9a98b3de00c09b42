@endpoint
Feature: Password reset alias
  The alias behaves exactly as forgot-password, for backward compatibility.

  @must @account @mailbox
  Scenario: The alias sends a reset link like the original
    Given Alice has a verified account
    When Alice asks for a password reset through the alias
    Then she is told it worked
    And Alice receives a password reset email
    And the answer matches the snapshot "password_reset_alias__success"

  @must @account
  Scenario: The alias answers as the original does
    Given Alice has a verified account
    When Alice asks for a password reset
    And Alice asks for a password reset through the alias
    Then both answers are the same

  @must
  Scenario: The alias refuses an invalid email address as the original does
    When someone asks for a password reset for an invalid email address
    And someone asks for a password reset through the alias for an invalid email address
    Then someone is told the request was bad
    And both answers are the same

  @must
  Scenario: Unknown addresses get the same answer through the alias
    When someone asks for a password reset for an unknown address
    And someone asks for a password reset through the alias for an unknown address
    Then both answers are the same
