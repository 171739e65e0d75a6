// Admins create shows: name, start date and time (in the admin's own time zone), either a
// number of seats or a venue whose seating plan the show uses, and optionally when sales
// open and a queue (a waiting room) for the on-sale.
import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { ApiError } from "../../api/client";
import type { NewShow } from "../../api/client";
import type { Show, VenueSummary } from "../../api/types";
import { Link, useRouter } from "../../app/router";
import { useAuth } from "../../lib/AuthContext";
import { Field } from "../../components/Field";
import { formatShowTime, rfc3339 } from "../../lib/format";
import { useTitle } from "../../lib/hooks";
import { Callout, Empty } from "../../components/Status";

export interface NewShowForm {
  name: string;
  date: string;
  time: string;
  seats: string;
  /** The venue's id, or "" for numbered seats. */
  venueId: string;
  /** When sales open; both empty: at once. */
  saleDate?: string;
  saleTime?: string;
  /** Sell through a queue, admitting this many a minute, each with this many minutes to book. */
  queue?: boolean;
  admitPerMinute?: string;
  passMinutes?: string;
}

/**
 * The API body for the form, or the errors to show by field. Only what the API cannot
 * check itself is checked here: that a date and time were given and make a moment.
 */
export function showFromForm(form: NewShowForm): { body: NewShow } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const start = new Date(`${form.date}T${form.time}`);
  if (!form.date) errors.date = "Choose the date of the show.";
  if (!form.time) errors.time = "Choose the time the show starts.";
  if (form.date && form.time && Number.isNaN(start.getTime())) errors.date = "Enter a real date and time.";
  const seats = Number(form.seats);
  if (!form.venueId && (form.seats.trim() === "" || !Number.isInteger(seats))) errors.seats = "Enter a whole number of seats.";
  const saleGiven = Boolean(form.saleDate) || Boolean(form.saleTime);
  const onSale = new Date(`${form.saleDate ?? ""}T${form.saleTime ?? ""}`);
  if (saleGiven && (!form.saleDate || !form.saleTime || Number.isNaN(onSale.getTime()))) {
    errors.saleDate = "Give both the date and the time sales open, or neither.";
  }
  if (form.queue && !saleGiven) errors.saleDate = "A queue needs the time sales open.";
  const admit = Number(form.admitPerMinute);
  if (form.queue && (!Number.isInteger(admit) || (form.admitPerMinute ?? "").trim() === "")) {
    errors.admitPerMinute = "Enter how many people to let in each minute.";
  }
  const passMinutes = Number(form.passMinutes || "10");
  if (form.queue && !Number.isFinite(passMinutes)) errors.passMinutes = "Enter the minutes each buyer has to book.";
  if (Object.keys(errors).length > 0) return { errors };
  const startTime = rfc3339(start);
  const seating = form.venueId ? { venueId: form.venueId } : { totalSeats: seats };
  const sale = saleGiven ? { onSaleAt: rfc3339(onSale) } : {};
  const queue = form.queue ? { queue: { admitPerMinute: admit, passSeconds: Math.round(passMinutes * 60) } } : {};
  return { body: { name: form.name, startTime, ...seating, ...sale, ...queue } };
}

const emptyForm: NewShowForm = {
  name: "", date: "", time: "", seats: "", venueId: "", saleDate: "", saleTime: "", queue: false, admitPerMinute: "", passMinutes: "10",
};

export function NewShowPage() {
  const { api, user } = useAuth();
  const { location } = useRouter();
  const [form, setForm] = useState<NewShowForm>(() => ({ ...emptyForm, venueId: new URLSearchParams(location.search).get("venue") ?? "" }));
  const [venues, setVenues] = useState<VenueSummary[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<Show | null>(null);
  const [busy, setBusy] = useState(false);
  useTitle("New show");
  const admin = user?.role === "admin";
  useEffect(() => {
    if (!admin) return;
    api.listVenues().then(setVenues).catch(() => setVenues([]));
  }, [api, admin]);
  const venue = venues.find((candidate) => candidate.id === form.venueId);

  if (!user || user.role !== "admin") {
    return (
      <Empty title="Only admins can create shows">
        <p>{user ? "Your account is not an admin account." : <><Link to="/login?next=%2Fadmin%2Fshows%2Fnew">Log in</Link> with an admin account.</>}</p>
      </Empty>
    );
  }

  const set = (key: keyof NewShowForm) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setCreated(null);
    const checked = showFromForm(form);
    if ("errors" in checked) { setErrors(checked.errors); return; }
    setErrors({});
    setBusy(true);
    try {
      const show = await api.createShow(checked.body);
      setCreated(show);
      setForm({ ...emptyForm, venueId: form.venueId });
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        setErrors({
          name: error.fieldMessage("name") ?? "",
          date: error.fieldMessage("startTime") ?? "",
          seats: error.fieldMessage("totalSeats") ?? "",
          venue: error.fieldMessage("venueId") ?? "",
          saleDate: error.fieldMessage("onSaleAt") ?? "",
          admitPerMinute: error.fieldMessage("queue.admitPerMinute") ?? "",
          passMinutes: error.fieldMessage("queue.passSeconds") ?? "",
        });
      } else {
        setFailure(error instanceof ApiError ? error.message : "The show could not be created.");
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <header className="page-header">
        <p className="breadcrumb"><Link to="/">All shows</Link></p>
        <h1>New show</h1>
        <p className="muted">Times are in your time zone ({Intl.DateTimeFormat().resolvedOptions().timeZone}).</p>
      </header>
      {created && (
        <Callout kind="success">
          Created <Link to={`/shows/${encodeURIComponent(created.id)}`}>{created.name}</Link> on {formatShowTime(created.startTime)} with {created.totalSeats} seats.
        </Callout>
      )}
      {failure && <Callout kind="error">{failure}</Callout>}
      <form className="panel form" onSubmit={(event) => { void submit(event); }} noValidate>
        <Field id="show-name" label="Name" value={form.name} onChange={set("name")} error={errors.name || undefined} />
        <div className="field-pair">
          <Field id="show-date" label="Date" type="date" value={form.date} onChange={set("date")} error={errors.date || undefined} />
          <Field id="show-time" label="Time" type="time" value={form.time} onChange={set("time")} error={errors.time || undefined} />
        </div>
        <div className={errors.venue ? "field field-invalid" : "field"}>
          <label htmlFor="show-venue" className="field-label">Venue</label>
          <select id="show-venue" value={form.venueId} onChange={set("venueId")} aria-describedby="show-venue-hint">
            <option value="">No venue: numbered seats</option>
            {venues.map((candidate) => <option key={candidate.id} value={candidate.id}>{candidate.name} ({candidate.totalSeats} seats)</option>)}
          </select>
          <p id="show-venue-hint" className="field-hint">
            {venue ? `The show uses the seating plan of ${venue.name}: ${venue.totalSeats} seats.` : <>A venue gives the show a seating plan. <Link to="/admin/venues/new">Build a venue</Link></>}
          </p>
          {errors.venue && <p className="field-error">{errors.venue}</p>}
        </div>
        {!form.venueId && (
          <Field id="show-seats" label="Seats" type="number" inputMode="numeric" min={1} max={100000} value={form.seats} onChange={set("seats")} error={errors.seats || undefined} hint="1 to 100,000 numbered seats." />
        )}
        <fieldset className="fieldset">
          <legend>On-sale</legend>
          <div className="field-pair">
            <Field id="show-sale-date" label="Sales open on" type="date" value={form.saleDate} onChange={set("saleDate")} error={errors.saleDate || undefined} hint="Leave empty to sell at once." />
            <Field id="show-sale-time" label="at" type="time" value={form.saleTime} onChange={set("saleTime")} />
          </div>
          <div className="field field-check">
            <input id="show-queue" type="checkbox" checked={form.queue ?? false} onChange={(event) => setForm({ ...form, queue: event.target.checked })} aria-describedby="show-queue-hint" />
            <label htmlFor="show-queue">Sell through a queue</label>
            <p id="show-queue-hint" className="field-hint">Buyers wait in line and book in turn. Everyone who joins before sales open gets a place drawn at random, which anyone can check afterwards.</p>
          </div>
          {form.queue && (
            <div className="field-pair">
              <Field id="show-admit" label="People let in each minute" type="number" inputMode="numeric" min={1} max={100000} value={form.admitPerMinute} onChange={set("admitPerMinute")} error={errors.admitPerMinute || undefined} />
              <Field id="show-pass" label="Minutes each has to book" type="number" inputMode="numeric" min={1} max={60} value={form.passMinutes} onChange={set("passMinutes")} error={errors.passMinutes || undefined} hint="1 to 60 minutes." />
            </div>
          )}
        </fieldset>
        <button type="submit" className="button button-primary" disabled={busy}>Create show</button>
      </form>
    </section>
  );
}
