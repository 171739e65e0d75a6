-- Failed logins, counted in the database so that every instance sees the same counts:
-- three instances must not give an attacker three budgets (Auth/LoginThrottle in the
-- server). A key is "email:<normalised email>" or "address:<client address>". Rows older
-- than the throttle's window are deleted by the retention sweep.
CREATE TABLE login_failures (
    key text NOT NULL,
    failed_at timestamptz NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);
CREATE INDEX login_failures_at ON login_failures (failed_at);
