@endpoint
Feature: Feature flags
  A signed-in person reads the feature flags that apply to her.

  @must @account
  Scenario: Alice reads her feature flags
    Given Alice has a verified account
    And Alice is logged in
    When Alice reads her feature flags
    Then she is told it worked
    And the answer matches the snapshot "feature_flags__success"

  @must
  Scenario: Feature flags need a signed-in person
    Given Nora has never registered
    When Nora tries to read her feature flags without credentials
    Then she is told she is not authenticated
