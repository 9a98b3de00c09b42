@cross-cutting @account
Feature: Authentication required
  Every endpoint that needs a signed-in person answers 401 with the standard error body when
  the access token is missing or invalid.

  Background:
    Given Alice has a verified account
    And Alice is logged in

  @must @account
  Scenario Outline: <operation> without credentials
    When Alice tries to <operation> without credentials
    Then she is told she is not authenticated

    Examples:
      | operation                        |
      | ask who she is                   |
      | check her access token           |
      | read her feature flags           |
      | log out                          |
      | change her password              |
      | ask for a new verification email |

  @must @account
  Scenario Outline: <operation> <credential>
    When Alice tries to <operation> <credential>
    Then she is told she is not authenticated

    Examples:
      | operation              | credential             |
      | ask who she is         | with a malformed token |
      | ask who she is         | with a tampered token  |
      | check her access token | with a malformed token |
      | check her access token | with a tampered token  |
      | read her feature flags | with a tampered token  |

  @should @account
  Scenario Outline: <operation> with an unsigned token
    RFC 8725 section 3.1 (algorithm verification): a token with "alg: none" is never accepted.
    When Alice tries to <operation> with an unsigned token
    Then she is told she is not authenticated

    Examples:
      | operation              |
      | ask who she is         |
      | check her access token |

  @should @account
  Scenario: A refresh token is not an access token
    RFC 8725 section 3.11 (explicit typing): a refresh token presented as a bearer is refused.
    When Alice tries to ask who she is with her refresh token
    Then she is told she is not authenticated

  @should @api-key
  Scenario: An API key is not an access token
    SECURITY.md X1: a JWT endpoint accepts only a JWT.
    Given Alice has an API key
    When Alice tries to ask who she is with her API key
    Then she is told she is not authenticated

  @should @account
  Scenario: A refused request asks for a bearer token
    RFC 6750 section 3 (WWW-Authenticate response header field) and SECURITY.md X1.
    When Alice tries to ask who she is without credentials
    Then she is told she is not authenticated
    And the answer asks for a bearer token
