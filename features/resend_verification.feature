@endpoint @e2e-api
Feature: Resend verification
  A signed-in person whose email is not verified asks for a new verification email.

  Background:
    Given Vera has an unverified account
    And Vera is logged in

  @must @mailbox
  Scenario: Vera asks for a new verification email and receives it
    When Vera asks for a new verification email
    Then she is told it worked
    And Vera receives a verification email
    And the answer matches the snapshot "resend_verification__success"

  @must
  Scenario: Asking needs a signed-in person
    When Vera tries to ask for a new verification email without credentials
    Then she is told she is not authenticated
