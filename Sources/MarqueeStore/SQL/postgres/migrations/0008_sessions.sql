-- Sessions that end before their token does (API.md, "Sessions (v2)").
--
-- Tokens are checked without a query: every instance keeps the revocations in memory,
-- loaded at start and then read from this table about once a second (Auth/SessionRevocations
-- in the server). A row is either one token, by the SHA-256 of its text (logout), or every
-- token an account was issued before its session epoch moved (logout-all). A row matters
-- only until the tokens it names have expired, and is deleted after `expires_at`.
ALTER TABLE users ADD COLUMN session_epoch int NOT NULL DEFAULT 0;

CREATE TABLE session_revocations (
    id bigserial PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_digest text,
    session_epoch int,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((token_digest IS NULL) <> (session_epoch IS NULL))
);
CREATE INDEX session_revocations_created ON session_revocations (created_at);
CREATE INDEX session_revocations_expires ON session_revocations (expires_at);
