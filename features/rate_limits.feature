@cross-cutting
Feature: Rate limits
  Asking for verification emails is limited to 3 requests per hour per address.

  @must @e2e-api
  Scenario: The fourth request within an hour is refused
    Given Vera has an unverified account
    And someone has asked for a new verification email for Vera's address 3 times
    When someone asks for a new verification email for Vera's address
    Then someone is told to slow down

  @should @e2e-api
  Scenario: The refusal says when to retry
    RFC 6585 section 4 (429 Too Many Requests may carry Retry-After); RFC 9110 section 10.2.3.
    Given Vera has an unverified account
    And someone has asked for a new verification email for Vera's address 3 times
    When someone asks for a new verification email for Vera's address
    Then someone is told to slow down
    And the answer says when to retry

  @should @e2e-api
  Scenario: The limit applies whatever the case of the address
    OWASP ASVS 4.0.3 V2.2.1 (anti-automation): the limit keys on the normalised address.
    Given Vera has an unverified account
    And someone has asked for a new verification email for Vera's address 3 times
    When someone asks for a new verification email for Vera's address in upper case
    Then someone is told to slow down

  @should
  Scenario: Unknown addresses are limited too
    OWASP Forgot Password Cheat Sheet: a limit that spares unknown addresses reveals which exist.
    Given Nobody has never registered
    And someone has asked for a new verification email for Nobody's address 3 times
    When someone asks for a new verification email for Nobody's address
    Then someone is told to slow down

  @must @e2e-api @clock @serial
  Scenario: A slot frees after an hour
    Given Vera has an unverified account
    And someone has asked for a new verification email for Vera's address 3 times
    When the server clock moves forward by 61 minutes
    And someone asks for a new verification email for Vera's address
    Then someone is told it worked
