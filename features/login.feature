@endpoint
Feature: Login
  A person with an account exchanges her email and password for a session: an access token,
  a refresh token, and the same session in HttpOnly cookies.

  @must @account
  Scenario: Alice logs in with her password
    Given Alice has a verified account
    When Alice logs in with her password
    Then she receives a new session
    And the session belongs to Alice
    And the session is also set in HttpOnly cookies
    And the answer matches the snapshot "login__success"

  @must @account
  Scenario: A wrong password is refused as a bad request
    Given Alice has a verified account
    When Alice logs in with a wrong password
    Then she is told the request was bad
    And the answer matches the snapshot "login__wrong_password"

  @must
  Scenario: An unknown email address is refused as a bad request
    When someone logs in with an unknown email address
    Then someone is told the request was bad

  @should @account
  Scenario: Unknown email and wrong password get the identical answer
    OWASP Authentication Cheat Sheet, "Authentication and Error Messages": a failed login must
    not reveal whether the account exists.
    Given Alice has a verified account
    When Alice logs in with a wrong password
    And someone logs in with an unknown email address
    Then both answers are the same

  @should @account
  Scenario: An unknown email is refused no faster than a wrong password
    OWASP Authentication Cheat Sheet, "Authentication and Error Messages": the response time
    must not reveal whether the account exists either. Thirty attempts of each kind, a few pairs
    at a time; the medians may differ by 5 ms or a quarter of the slower, whichever is more.
    Given Alice has a verified account
    When Alice and strangers log in with wrong passwords 30 times each, side by side
    Then refusing her takes as long as refusing a stranger

  @should @account
  Scenario: The login answer reveals no password
    OWASP ASVS 4.0.3 V2.4 / V8.3: credentials are never echoed back to the client.
    Given Alice has a verified account
    When Alice logs in with her password
    Then the answer reveals no password

  @should @account
  Scenario: Each login issues fresh tokens
    OWASP ASVS 4.0.3 V3.2.1: a new session token on every authentication.
    Given Alice has a verified account
    And Alice has logged in twice
    Then her two sessions have different tokens
