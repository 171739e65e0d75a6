-- Sessions that end before their token does (API.md, "Sessions (v2)"). See
-- postgres/migrations/0008_sessions.sql: the same rows, read the same way.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;

CREATE TABLE session_revocations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_digest TEXT,
    session_epoch INTEGER,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK ((token_digest IS NULL) <> (session_epoch IS NULL))
);
CREATE INDEX session_revocations_created ON session_revocations (created_at);
CREATE INDEX session_revocations_expires ON session_revocations (expires_at);
