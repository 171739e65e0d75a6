// For admins on a show with a queue: how many wait and have been admitted, the rate, the
// highest rank served, pause and resume, and a new rate.
import { useState } from "react";
import type { FormEvent } from "react";
import type { QueueStatus } from "../../api/types";

export function QueueAdminPanel({ status, onChange }: {
  status: QueueStatus; onChange: (change: { state?: "open" | "paused"; admitPerMinute?: number }) => Promise<string | null>;
}) {
  const [rate, setRate] = useState("");
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const live = status.state === "open" || status.state === "paused";
  const run = async (change: { state?: "open" | "paused"; admitPerMinute?: number }) => {
    setBusy(true);
    setNote(await onChange(change));
    setBusy(false);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(rate);
    if (!Number.isInteger(value) || value < 1) { setNote("Enter a whole number of people a minute."); return; }
    void run({ admitPerMinute: value }).then(() => setRate(""));
  };
  return (
    <section className="queue-admin" aria-label="Queue (admin)">
      <h2>Queue</h2>
      <dl className="queue-stats">
        <dt>State</dt><dd>{status.state}</dd>
        <dt>Waiting</dt><dd>{status.waiting.toLocaleString()}</dd>
        <dt>Admitted</dt><dd>{status.admitted.toLocaleString()}</dd>
        <dt>Serving up to</dt><dd>{status.serving.toLocaleString()}</dd>
        <dt>Rate</dt><dd>{status.admitPerMinute.toLocaleString()} a minute</dd>
      </dl>
      {note && <p className="field-error" role="alert">{note}</p>}
      {live && (
        <>
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => { void run({ state: status.state === "paused" ? "open" : "paused" }); }}>
            {status.state === "paused" ? "Resume admission" : "Pause admission"}
          </button>
          <form className="inline-form" onSubmit={submit}>
            <label htmlFor="queue-rate" className="field-label">People a minute</label>
            <input id="queue-rate" type="number" inputMode="numeric" min={1} max={100000} value={rate} onChange={(event) => setRate(event.target.value)} />
            <button type="submit" className="button button-secondary" disabled={busy || rate === ""}>Set rate</button>
          </form>
        </>
      )}
      {status.state === "scheduled" && <p className="muted">Admission starts at the on-sale time.</p>}
    </section>
  );
}
