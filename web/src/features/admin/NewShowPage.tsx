// Admins create shows: name, start date and time (in the admin's own time zone), seats.
import { useState } from "react";
import type { FormEvent } from "react";
import { ApiError } from "../../api/client";
import type { Show } from "../../api/types";
import { Link } from "../../app/router";
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
}

/**
 * The API body for the form, or the errors to show by field. Only what the API cannot
 * check itself is checked here: that a date and time were given and make a moment.
 */
export function showFromForm(form: NewShowForm): { body: { name: string; startTime: string; totalSeats: number } } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const start = new Date(`${form.date}T${form.time}`);
  if (!form.date) errors.date = "Choose the date of the show.";
  if (!form.time) errors.time = "Choose the time the show starts.";
  if (form.date && form.time && Number.isNaN(start.getTime())) errors.date = "Enter a real date and time.";
  const seats = Number(form.seats);
  if (form.seats.trim() === "" || !Number.isInteger(seats)) errors.seats = "Enter a whole number of seats.";
  if (Object.keys(errors).length > 0) return { errors };
  return { body: { name: form.name, startTime: rfc3339(start), totalSeats: seats } };
}

const emptyForm: NewShowForm = { name: "", date: "", time: "", seats: "" };

export function NewShowPage() {
  const { api, user } = useAuth();
  const [form, setForm] = useState<NewShowForm>(emptyForm);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<Show | null>(null);
  const [busy, setBusy] = useState(false);
  useTitle("New show");

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
      setForm(emptyForm);
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        setErrors({
          name: error.fieldMessage("name") ?? "",
          date: error.fieldMessage("startTime") ?? "",
          seats: error.fieldMessage("totalSeats") ?? "",
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
        <Field id="show-seats" label="Seats" type="number" inputMode="numeric" min={1} max={100000} value={form.seats} onChange={set("seats")} error={errors.seats || undefined} hint="1 to 100,000 numbered seats." />
        <button type="submit" className="button button-primary" disabled={busy}>Create show</button>
      </form>
    </section>
  );
}
