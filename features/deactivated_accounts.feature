@cross-cutting
Feature: Deactivated accounts
  An account that has been deactivated is shut out at once: the tokens and keys it holds stop
  working, it cannot sign in again, and the refusal does not tell that the account exists.
  Deactivating takes the reference's test endpoint for it (@deactivation); a target without
  one skips these scenarios.

  Background:
    Given Alice has a verified account

  @should @e2e-api @deactivation
  Scenario: A deactivated account's tokens stop working
    SECURITY.md X1 (black-box checks drawn from OWASP ASVS and the cheat sheets): a deactivated
    user's tokens get 401.
    Given Alice is logged in
    When Alice's account is deactivated
    Then her access token no longer works
    And her latest refresh token no longer works

  @should @e2e-api @deactivation
  Scenario: A deactivated account's API key stops working
    SECURITY.md X1 and the test-api-key line: a deactivated user's API key gets 401 like any
    other credential of that user.
    Given Alice has an API key
    And Alice's account has been deactivated
    When Alice checks her API key
    Then she is told she is not authenticated

  @should @e2e-api @deactivation
  Scenario: A deactivated account is refused like a wrong password
    OWASP Authentication Cheat Sheet, "Authentication and Error Messages" ("account disabled" is
    one of its examples of a revealing answer); SECURITY.md, login: disabled gets the same
    status and body as a wrong password.
    Given Alice's account has been deactivated
    When Alice logs in with a wrong password
    And Alice logs in with her password
    Then both answers are the same
