@endpoint @account
Feature: Current user
  A signed-in person reads her own profile.

  Background:
    Given Alice has a verified account
    And Alice is logged in

  @must @account
  Scenario: Alice reads her profile
    When Alice asks who she is
    Then she is told it worked
    And the answer shows her profile
    And the answer matches the snapshot "me__success"

  @must @account
  Scenario: Without credentials nobody is recognised
    When Alice tries to ask who she is without credentials
    Then she is told she is not authenticated
    And the answer matches the snapshot "me__unauthenticated"
