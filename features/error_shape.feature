@cross-cutting
Feature: Error shape
  Every error comes back as JSON in one shape: a detail message, or for a request that does not
  match its schema, a 422 listing the problems.

  @must @account
  Scenario: A request missing a required field does not match the schema
    Given Alice has a verified account
    When Alice logs in without a password
    Then she is told the request does not match the schema
    And the answer matches the snapshot "error__schema_mismatch"

  @should
  Scenario: Errors are JSON
    OWASP ASVS 4.0.3 V14.4.1: every response declares a correct content type.
    When someone logs in with an unknown email address
    Then the answer is JSON

  @should
  Scenario: Malformed JSON is rejected as the client's fault
    OWASP ASVS 4.0.3 V7.4.1 and SECURITY.md X2: malformed input gets a 4xx, never a trace.
    When someone sends a login that is not valid JSON
    Then someone is told the request was rejected
    And the answer is JSON

  @should
  Scenario: An unknown endpoint answers Not Found in the standard shape
    RFC 9110 section 15.5.5 (404) and SECURITY.md X2 (one error shape).
    When someone calls an endpoint that does not exist
    Then someone is told there is no such endpoint
    And the answer is JSON
    And the answer matches the snapshot "error__not_found"

  @should
  Scenario: A wrong method answers Method Not Allowed
    RFC 9110 section 15.5.6 (405 with Allow).
    When someone uses the wrong method to log in
    Then someone is told the method is not allowed
    And the answer is JSON

  @should
  Scenario: A wrong method names the allowed ones
    RFC 9110 section 15.5.6: a 405 answer carries an Allow header.
    When someone uses the wrong method to log in
    Then the answer lists the allowed methods

  @should
  Scenario: A body that is not JSON is refused as an unsupported media type
    RFC 9110 section 15.5.16 (415) and OWASP ASVS 4.0.3 V13.1.5 (unexpected content types rejected).
    When someone sends a login as form data
    Then someone is told the media type is not supported
    And the answer is JSON

  @should @account
  Scenario: Answers carrying tokens may be neither cached nor sniffed
    OWASP ASVS 4.0.3 V8.2.1 (Cache-Control: no-store on sensitive data) and V14.4.4 (nosniff).
    Given Alice has a verified account
    When Alice logs in with her password
    Then the answer may be neither cached nor sniffed
