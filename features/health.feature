@endpoint
Feature: Health check
  Anyone may ask whether the authentication service is up.

  @must
  Scenario: The service reports its health without credentials
    When someone checks the service health
    Then someone is told it worked
    And the answer matches the snapshot "health__success"
