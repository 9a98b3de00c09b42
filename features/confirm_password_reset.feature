@endpoint @e2e-api @mailbox
Feature: Confirm password reset
  The token from the reset email sets a new password, once.

  Background:
    Given Alice has a verified account
    And Alice has asked for a password reset
    And Alice has received a password reset email

  @must
  Scenario: The emailed token sets a new password
    When Alice sets a new password with the emailed token
    Then she is told it worked
    And she can log in with her new password
    And the answer matches the snapshot "confirm_password_reset__success"

  @must
  Scenario: A reset token works only once
    When Alice sets a new password with the emailed token
    And Alice sets another new password with the same token
    Then she is told the request was bad

  @must
  Scenario: A made-up token is refused
    When Alice sets a new password with a made-up token
    Then she is told the request was bad
    And the answer matches the snapshot "confirm_password_reset__invalid_token"
    And she can still log in with her password

  @must
  Scenario: A too short new password is refused
    When Alice sets a too short password with the emailed token
    Then she is told the request was bad

  @should
  Scenario: The old password stops working
    OWASP Forgot Password Cheat Sheet: the reset replaces the old password.
    When Alice sets a new password with the emailed token
    Then she can no longer log in with her old password

  @should
  Scenario: Used and made-up tokens get the identical answer
    OWASP Forgot Password Cheat Sheet: invalid, used and expired tokens are indistinguishable.
    When Alice sets a new password with the emailed token
    And Alice sets another new password with the same token
    And Alice sets a new password with a made-up token
    Then both answers are the same
