@endpoint
Feature: API key test endpoint
  A client holding an API key can check that the key is accepted.

  @must @api-key
  Scenario: A valid API key is accepted
    Given Alice has a verified account
    And Alice has an API key
    When Alice checks her API key
    Then she is told it worked
    And the answer matches the snapshot "test_api_key__success"

  @must
  Scenario: No API key, no access
    When someone checks an API key without sending one
    Then someone is told they are not authenticated
    And the answer matches the snapshot "test_api_key__unauthenticated"

  @must
  Scenario: A made-up API key is refused
    When someone checks an API key with a made-up key
    Then someone is told they are not authenticated

  @should @api-key
  Scenario: A key without its sf_ prefix is refused
    OWASP ASVS 4.0.3 V13.1.3 and SECURITY.md (test-api-key): only a complete key authenticates.
    Given Alice has a verified account
    And Alice has an API key
    When Alice checks her API key without the sf_ prefix
    Then she is told she is not authenticated

  @should @api-key
  Scenario: A key in the query string is ignored
    OWASP ASVS 4.0.3 V13.1.3: API keys must not travel in URLs.
    Given Alice has a verified account
    And Alice has an API key
    When Alice checks her API key in the query string
    Then she is told she is not authenticated

  @should @account
  Scenario: An access token does not stand in for an API key
    SECURITY.md (test-api-key): a JWT does not substitute for the key the endpoint asks for.
    Given Alice has a verified account
    And Alice is logged in
    When Alice checks an API key with an access token instead
    Then she is told she is not authenticated

  @should
  Scenario: Missing and wrong keys get the identical answer
    OWASP ASVS 4.0.3 V7.4.1 (generic error messages): the answer does not tell which part failed.
    When someone checks an API key without sending one
    And someone checks an API key with a made-up key
    Then both answers are the same
