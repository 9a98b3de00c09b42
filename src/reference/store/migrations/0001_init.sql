-- SpatialFlow reference server, schema version 1. Never edit once released: add 0002_*.sql.
-- Times are Unix milliseconds from the server clock. Secrets are stored as SHA-256 hex only.

CREATE TABLE users (
    id                    TEXT PRIMARY KEY,
    email                 TEXT NOT NULL UNIQUE,           -- lower-cased, trimmed
    password_hash         TEXT NOT NULL,                  -- argon2id PHC string
    name                  TEXT NOT NULL,
    company               TEXT,
    selected_plan         TEXT NOT NULL DEFAULT 'free',
    language_preference   TEXT NOT NULL DEFAULT 'en',
    email_verified        INTEGER NOT NULL DEFAULT 0,
    is_staff              INTEGER NOT NULL DEFAULT 0,
    is_superuser          INTEGER NOT NULL DEFAULT 0,
    is_active             INTEGER NOT NULL DEFAULT 1,
    is_beta_user          INTEGER NOT NULL DEFAULT 0,
    is_e2e                INTEGER NOT NULL DEFAULT 0,     -- created by /api/v1/test/create-user
    signup_meta           TEXT NOT NULL DEFAULT '{}',     -- JSON: signup_type, use_case, utm_*...
    tokens_valid_after_ms INTEGER NOT NULL DEFAULT 0,     -- access JWTs with iat_ms <= this are dead
    created_at_ms         INTEGER NOT NULL,
    updated_at_ms         INTEGER NOT NULL
);

CREATE TABLE refresh_tokens (
    token_hash     TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    family_id      TEXT NOT NULL,                         -- one login = one family
    issued_at_ms   INTEGER NOT NULL,
    expires_at_ms  INTEGER NOT NULL,
    revoked_at_ms  INTEGER,
    revoked_reason TEXT                                   -- rotated | logout | password | replay
);
CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);

CREATE TABLE one_time_tokens (
    token_hash    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose       TEXT NOT NULL CHECK (purpose IN ('reset', 'verify')),
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    used_at_ms    INTEGER
);
CREATE INDEX one_time_tokens_user ON one_time_tokens(user_id, purpose);

CREATE TABLE api_keys (
    id                  TEXT PRIMARY KEY,
    user_id             TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    key_prefix          TEXT NOT NULL,
    key_hash            TEXT NOT NULL UNIQUE,
    permissions         TEXT NOT NULL,                    -- JSON array of strings
    is_active           INTEGER NOT NULL DEFAULT 1,
    usage_count         INTEGER NOT NULL DEFAULT 0,
    rate_limit_per_hour INTEGER NOT NULL,
    created_at_ms       INTEGER NOT NULL,
    last_used_at_ms     INTEGER
);

CREATE TABLE rate_limit_hits (
    bucket  TEXT NOT NULL,
    subject TEXT NOT NULL,
    at_ms   INTEGER NOT NULL
);
CREATE INDEX rate_limit_hits_key ON rate_limit_hits(bucket, subject);

CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,                    -- Mailpit-style message ID
    message_id   TEXT NOT NULL,                           -- RFC 5322 Message-ID
    from_name    TEXT NOT NULL,
    from_address TEXT NOT NULL,
    to_address   TEXT NOT NULL,
    subject      TEXT NOT NULL,
    text_body    TEXT NOT NULL,
    html_body    TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    read         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
