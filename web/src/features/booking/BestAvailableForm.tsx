// Best available: how many seats, and optionally which section or category and an
// accessible seat; the server picks seats side by side and books or holds them.
import { useState } from "react";
import type { FormEvent } from "react";
import type { Hall } from "../../lib/venuePlan";

export interface BestAvailableRequest {
  quantity: number;
  section?: string;
  category?: string;
  accessible: boolean;
  hold: boolean;
}

export function BestAvailableForm({ hall, sections, maxSeats, busy, signedIn, onRequest }: {
  hall: Hall;
  sections: ReadonlyArray<{ key: string; label: string; availableSeats: number }>;
  maxSeats: number;
  busy: boolean;
  signedIn: boolean;
  onRequest: (request: BestAvailableRequest) => void;
}) {
  const [quantity, setQuantity] = useState(2);
  const [section, setSection] = useState("");
  const [category, setCategory] = useState("");
  const [accessible, setAccessible] = useState(false);
  const send = (hold: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    onRequest({ quantity, section: section || undefined, category: category || undefined, accessible, hold });
  };
  return (
    <form className="best-available" aria-labelledby="best-available-title" onSubmit={send(false)}>
      <h2 id="best-available-title">Best available</h2>
      <p className="hint">Tell us how many; we pick the best seats side by side.</p>
      <div className="best-fields">
        <label className="field">
          <span className="field-label">How many</span>
          <select value={quantity} onChange={(event) => setQuantity(Number(event.target.value))}>
            {Array.from({ length: maxSeats }, (_, i) => i + 1).map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        {sections.length > 1 && (
          <label className="field">
            <span className="field-label">Section</span>
            <select value={section} onChange={(event) => setSection(event.target.value)}>
              <option value="">Any section</option>
              {sections.map((candidate) => (
                <option key={candidate.key} value={candidate.key}>{candidate.label} ({candidate.availableSeats} free)</option>
              ))}
            </select>
          </label>
        )}
        {hall.categories.size > 1 && (
          <label className="field">
            <span className="field-label">Category</span>
            <select value={category} onChange={(event) => setCategory(event.target.value)}>
              <option value="">Any category</option>
              {[...hall.categories.entries()].map(([key, value]) => <option key={key} value={key}>{value.label}</option>)}
            </select>
          </label>
        )}
      </div>
      <label className="check">
        <input type="checkbox" checked={accessible} onChange={(event) => setAccessible(event.target.checked)} />
        Include an accessible seat
      </label>
      {signedIn && (
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>Book best available</button>
          <button type="button" className="button button-secondary" disabled={busy} onClick={send(true)}>Hold best available</button>
        </div>
      )}
    </form>
  );
}
