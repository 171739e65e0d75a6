-- Failed logins, counted in the database (see postgres/migrations/0009_login_failures.sql).
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);
CREATE INDEX login_failures_at ON login_failures (failed_at);
