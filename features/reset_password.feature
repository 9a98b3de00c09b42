@endpoint
Feature: Reset password (retired)
  The old uid-and-token reset flow is retired: the endpoint answers Gone to any request.

  @must
  Scenario Outline: The retired reset answers Gone to <request>
    When someone uses the retired password reset with <request>
    Then someone is told the endpoint is gone

    Examples:
      | request             |
      | a complete request  |
      | an empty request    |
      | a malformed request |

  @must
  Scenario: Snapshot of the Gone answer
    When someone uses the retired password reset with a complete request
    Then the answer matches the snapshot "reset_password__gone"

  @should
  Scenario: The Gone answer announces the deprecation
    RFC 9745 section 2 (Deprecation header) and section 3 (link relation "deprecation").
    When someone uses the retired password reset with a complete request
    Then the answer is marked as deprecated
