@endpoint
Feature: Current user
  A signed-in person reads her own profile.

  @must @account
  Scenario: Alice reads her profile
    Given Alice has a verified account
    And Alice is logged in
    When Alice asks who she is
    Then she is told it worked
    And the answer shows her profile
    And the answer matches the snapshot "me__success"

  @must
  Scenario: Without credentials nobody is recognised
    Given Nora has never registered
    When Nora tries to ask who she is without credentials
    Then she is told she is not authenticated
    And the answer matches the snapshot "me__unauthenticated"
