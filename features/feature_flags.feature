@endpoint @account
Feature: Feature flags
  A signed-in person reads the feature flags that apply to her.

  Background:
    Given Alice has a verified account
    And Alice is logged in

  @must @account
  Scenario: Alice reads her feature flags
    When Alice reads her feature flags
    Then she is told it worked
    And the answer matches the snapshot "feature_flags__success"

  @must @account
  Scenario: Feature flags need a signed-in person
    When Alice tries to read her feature flags without credentials
    Then she is told she is not authenticated
