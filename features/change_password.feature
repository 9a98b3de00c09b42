@endpoint @e2e-api
Feature: Change password
  A signed-in person changes her password by proving the current one.

  Background:
    Given Alice has a verified account
    And Alice is logged in

  @must
  Scenario: Alice changes her password
    When Alice changes her password
    Then she is told it worked
    And she can log in with her new password
    And she can no longer log in with her old password

  @must
  Scenario: Snapshot of a successful change
    When Alice changes her password
    Then the answer matches the snapshot "change_password__success"

  @must
  Scenario: A wrong current password is refused and nothing changes
    When Alice changes her password giving a wrong current password
    Then she is told the request was bad
    And the answer matches the snapshot "change_password__wrong_current"
    And she can still log in with her password

  @must
  Scenario: A too short new password is refused
    When Alice changes her password to a too short one
    Then she is told the request was bad
    And she can still log in with her password

  @must
  Scenario: Changing the password needs a signed-in person
    When Alice tries to change her password without credentials
    Then she is told she is not authenticated

  @should
  Scenario: Changing the password ends the other sessions
    OWASP ASVS 4.0.3 V3.3.3: after a password change, existing refresh tokens stop working.
    When Alice changes her password
    Then none of her refresh tokens works any more
