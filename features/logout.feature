@endpoint
Feature: Logout
  Logging out revokes every refresh token of the person and clears the session cookies.

  Background:
    Given Alice has a verified account

  @must @e2e-api
  Scenario: Logging out succeeds and clears the session cookies
    Given Alice is logged in
    When Alice logs out
    Then she is told it worked
    And her session cookies are cleared
    And the answer matches the snapshot "logout__success"

  @must @e2e-api
  Scenario: Logging out revokes every refresh token, from every login
    Given Alice has logged in twice
    When Alice logs out
    Then she is told it worked
    And none of her refresh tokens works any more

  @should @e2e-api
  Scenario: The access token no longer works after logout
    OWASP ASVS 4.0.3 V3.3.1: logout invalidates the session, so the access token must stop
    working (a jti denylist or a per-user valid-after time).
    Given Alice is logged in
    When Alice logs out
    Then her access token no longer works
