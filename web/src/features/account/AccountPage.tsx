// The signed-in account, and the one control that ends its sessions on every device.
import { useState } from "react";
import { ApiError } from "../../api/client";
import { Link } from "../../app/router";
import { useAuth } from "../../lib/AuthContext";
import { formatShowTime } from "../../lib/format";
import { useTitle } from "../../lib/hooks";
import { Callout, Empty } from "../../components/Status";

export function AccountPage() {
  const { user, signOutEverywhere } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  useTitle("Account");

  if (done) {
    return (
      <Empty title="You are logged out on every device">
        <p>Every session of this account has ended, here and elsewhere. <Link to="/login?next=%2Faccount">Log in</Link> to carry on.</p>
      </Empty>
    );
  }
  if (!user) {
    return (
      <Empty title="Log in to see your account">
        <p><Link to="/login?next=%2Faccount">Log in</Link> or <Link to="/signup?next=%2Faccount">sign up</Link>.</p>
      </Empty>
    );
  }

  const everywhere = async () => {
    setBusy(true);
    setError(null);
    try {
      await signOutEverywhere();
      setDone(true);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "That did not work. Please try again.");
      setBusy(false);
    }
  };

  return (
    <section>
      <header className="page-header">
        <h1>Account</h1>
      </header>
      <dl className="panel account-details">
        <dt>Name</dt><dd>{user.name}</dd>
        <dt>Email</dt><dd>{user.email}</dd>
        <dt>Role</dt><dd>{user.role === "admin" ? "Admin" : "Customer"}</dd>
        <dt>Member since</dt><dd>{formatShowTime(user.createdAt)}</dd>
      </dl>
      <section className="panel" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        <p>
          Logged in on a device you no longer use, or one that is not yours? Log out everywhere ends every session of
          this account at once, this one included. Your bookings are kept.
        </p>
        {error && <Callout kind="error">{error}</Callout>}
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => { void everywhere(); }}>
          {busy ? "Logging out…" : "Log out everywhere"}
        </button>
      </section>
    </section>
  );
}
