@endpoint
Feature: Register (deprecated)
  The deprecated registration endpoint still creates an account, for backward compatibility.

  @must
  Scenario: A newcomer registers
    Given Nora has never registered
    When Nora registers
    Then she is told the account was created
    And the answer shows her profile
    And the answer matches the snapshot "register__success"

  @must
  Scenario: A too short password is refused
    Given Nora has never registered
    When Nora registers with a too short password
    Then she is told the request was bad
    And the answer matches the snapshot "register__short_password"

  @must
  Scenario: An invalid email address is refused
    Given Nora has never registered
    When Nora registers with an invalid email address
    Then she is told the request was bad

  @must
  Scenario: A registration without a name does not match the schema
    Given Nora has never registered
    When Nora registers without giving a name
    Then she is told the request does not match the schema

  @should
  Scenario: The new account's profile reveals no password
    OWASP ASVS 4.0.3 V2.4 / V8.3: credentials are never echoed back to the client.
    Given Nora has never registered
    When Nora registers
    Then the answer reveals no password

  @should
  Scenario: The answer announces the deprecation
    RFC 9745 section 2 (Deprecation header) and section 3 (link relation "deprecation").
    Given Nora has never registered
    When Nora registers
    Then the answer is marked as deprecated

  @should
  Scenario: A long password in any script is accepted
    OWASP ASVS 4.0.3 V2.1.2 (at least 64 characters permitted) and V2.1.4 (any Unicode character).
    Given Nora has never registered
    When Nora registers with a 64-character unicode password
    Then she is told the account was created
