@endpoint @account
Feature: JWT test endpoint
  A signed-in person can check that her access token is accepted.

  Background:
    Given Alice has a verified account
    And Alice is logged in

  @must @account
  Scenario: A valid access token is accepted
    When Alice checks her access token
    Then she is told it worked
    And the answer matches the snapshot "test_auth__success"

  @must @account
  Scenario: No access token, no access
    When Alice tries to check her access token without credentials
    Then she is told she is not authenticated
    And the answer matches the snapshot "test_auth__unauthenticated"
