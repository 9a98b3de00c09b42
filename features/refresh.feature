@endpoint
Feature: Refresh token
  A refresh token, from the body or from the HttpOnly cookie, buys a new session.

  @must @account
  Scenario: Refreshing with the refresh token in the body
    Given Alice has a verified account
    And Alice is logged in
    When Alice refreshes her session with her refresh token
    Then she receives a new session
    And her new access token works
    And the answer matches the snapshot "refresh__success"

  @must @account
  Scenario: Refreshing from the HttpOnly cookie alone, with no body
    Given Alice has a verified account
    And Alice is logged in
    When Alice refreshes her session using only her cookie
    Then she receives a new session
    And her new access token works

  @must
  Scenario: A made-up refresh token is refused
    When someone refreshes a session with a made-up refresh token
    Then someone is told they are not authenticated
    And the answer matches the snapshot "refresh__invalid_token"

  @must
  Scenario: No refresh token at all is refused
    When someone refreshes a session without any refresh token
    Then someone is told they are not authenticated

  @should @account
  Scenario: An access token is not a refresh token
    RFC 8725 section 3.11 (explicit typing): a token of one type is never accepted as another.
    Given Alice has a verified account
    And Alice is logged in
    When Alice refreshes her session with her access token
    Then she is told she is not authenticated

  @should @account
  Scenario: A rotated refresh token cannot be replayed
    RFC 9700 section 4.14.2 (refresh token rotation): once used, a refresh token is spent.
    Given Alice has a verified account
    And Alice is logged in
    When Alice refreshes her session with her refresh token
    And Alice refreshes her session with her previous refresh token
    Then she is told she is not authenticated
