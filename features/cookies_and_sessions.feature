@cross-cutting @account
Feature: Cookies and sessions
  Login keeps the session in HttpOnly cookies as well; refresh reads the cookie; logout clears
  the cookies and revokes every refresh token.

  Background:
    Given Alice has a verified account

  @must @account
  Scenario: Login sets the session in HttpOnly cookies
    When Alice logs in with her password
    Then the session is also set in HttpOnly cookies

  @should @account
  Scenario: The session cookies are Secure and SameSite
    OWASP ASVS 4.0.3 V3.4.1 (Secure) and V3.4.3 (SameSite); RFC 6265bis section 4.1.2.7.
    When Alice logs in with her password
    Then the session cookies are Secure and SameSite

  @must @account
  Scenario: The refresh token is read from the cookie when the body has none
    Given Alice is logged in
    When Alice refreshes her session using only her cookie
    Then she receives a new session
    And the session belongs to Alice

  @must @e2e-api
  Scenario: Logout clears the cookies login set
    Given Alice is logged in
    When Alice logs out
    Then her session cookies are cleared

  @must @e2e-api
  Scenario: Logout revokes the refresh tokens of every session
    Given Alice has logged in twice
    When Alice logs out
    Then none of her refresh tokens works any more

  @should @account
  Scenario: A cookie refresh from another site is forbidden
    SECURITY.md X3: with SameSite=Lax, a cookie-authenticated refresh whose Origin is foreign is
    refused (OWASP CSRF Prevention Cheat Sheet, "Verifying Origin with standard headers").
    Given Alice is logged in
    When Alice refreshes her session using only her cookie from another site
    Then she is told it is forbidden
