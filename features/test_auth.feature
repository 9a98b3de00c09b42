@endpoint
Feature: JWT test endpoint
  A signed-in person can check that her access token is accepted.

  @must @account
  Scenario: A valid access token is accepted
    Given Alice has a verified account
    And Alice is logged in
    When Alice checks her access token
    Then she is told it worked
    And the answer matches the snapshot "test_auth__success"

  @must
  Scenario: No access token, no access
    Given Nora has never registered
    When Nora tries to check her access token without credentials
    Then she is told she is not authenticated
    And the answer matches the snapshot "test_auth__unauthenticated"

  @must
  Scenario: A malformed access token is refused
    Given Nora has never registered
    When Nora tries to check her access token with a malformed token
    Then she is told she is not authenticated
