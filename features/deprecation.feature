@cross-cutting
Feature: Deprecation
  Deprecated endpoints keep their documented behaviour and announce their deprecation.

  @must
  Scenario: The deprecated registration still creates an account
    Given Nora has never registered
    When Nora registers
    Then she is told the account was created

  @should
  Scenario: The deprecated registration announces itself
    RFC 9745 section 2 (Deprecation header) and section 3 (link relation "deprecation").
    Given Nora has never registered
    When Nora registers
    Then the answer is marked as deprecated

  @must
  Scenario: The retired reset answers Gone even to an empty request
    When someone uses the retired password reset with an empty request
    Then someone is told the endpoint is gone

  @should
  Scenario: The retired reset announces its deprecation
    RFC 9745 section 2 and section 3.
    When someone uses the retired password reset with a malformed request
    Then the answer is marked as deprecated

  @should @account
  Scenario: The retired reset changes nothing
    SECURITY.md (reset-password, deprecated): no side effects whatever the request.
    Given Alice has a verified account
    When someone uses the retired password reset with a complete request
    Then she can still log in with her password

  @should
  Scenario: The deprecated registration points to its successor and its removal date
    RFC 8594 (Sunset header) and RFC 5829 section 3 (link relation "successor-version"); the
    endpoint reference names public signup as the replacement.
    Given Nora has never registered
    When Nora registers
    Then the answer points to its successor
    And the answer says when the endpoint will be removed

  @should
  Scenario: The retired reset points to the flow that replaced it
    RFC 5829 section 3 (link relation "successor-version"); the endpoint reference sends old
    links to the password-reset confirmation flow.
    When someone uses the retired password reset with an empty request
    Then the answer points to its successor
