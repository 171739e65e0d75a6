// Admins build a venue: sections of rows × seats with aisles, a curve and a rake, categories,
// accessible and companion seats marked by clicking the live preview; or a plan imported as
// JSON. The server's validation messages appear beside the part they are about. Once the
// venue is made, a show can be created on it.
import { useMemo, useState } from "react";
import type { FormEvent } from "react";
import { ApiError } from "../../api/client";
import type { Layout, Venue } from "../../api/types";
import { Link } from "../../app/router";
import { Field } from "../../components/Field";
import { Callout, Empty } from "../../components/Status";
import { VenueSeatMap } from "../../components/VenueSeatMap";
import { useAuth } from "../../lib/AuthContext";
import { useTitle } from "../../lib/hooks";
import { hallOf } from "../../lib/venuePlan";
import type { SectionSpec, VenueDraft } from "./venueBuilder";
import { draftErrors, emptyDraft, fieldOfPath, layoutOf, markKey, newSection, nextMark, parseLayout } from "./venueBuilder";

const noSeats = new Set<number>();

interface ServerErrors {
  name?: string;
  sections: Record<number, string[]>;
  categories: Record<number, string[]>;
  plan: string[];
}

const noServerErrors: ServerErrors = { sections: {}, categories: {}, plan: [] };

export function VenueBuilderPage() {
  const { api, user } = useAuth();
  const [name, setName] = useState("");
  const [draft, setDraft] = useState<VenueDraft>(emptyDraft);
  const [imported, setImported] = useState<Layout | null>(null);
  const [json, setJson] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [serverErrors, setServerErrors] = useState<ServerErrors>(noServerErrors);
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<Venue | null>(null);
  const [busy, setBusy] = useState(false);
  useTitle("New venue");

  const errors = imported ? {} : draftErrors(draft);
  const layout = useMemo(() => imported ?? layoutOf(draft), [imported, draft]);
  const hall = useMemo(() => hallOf(layout), [layout]);
  const seatCount = hall.seats.size;

  if (!user || user.role !== "admin") {
    return (
      <Empty title="Only admins can build venues">
        <p>{user ? "Your account is not an admin account." : <><Link to="/login?next=%2Fadmin%2Fvenues%2Fnew">Log in</Link> with an admin account.</>}</p>
      </Empty>
    );
  }

  const setSection = (index: number, change: Partial<SectionSpec>) =>
    setDraft((current) => ({ ...current, sections: current.sections.map((section, s) => (s === index ? { ...section, ...change } : section)) }));
  const removeSection = (index: number) =>
    setDraft((current) => ({
      ...current,
      sections: current.sections.filter((_, s) => s !== index),
      // Marks belong to a section's place in the list: those of later sections move up.
      marks: Object.fromEntries(Object.entries(current.marks).flatMap(([key, mark]) => {
        const [s, ...rest] = key.split(":").map(Number);
        if (s === index) return [];
        return [[[s > index ? s - 1 : s, ...rest].join(":"), mark]];
      })),
    }));

  /** A click on a preview seat: accessible, then companion, then neither. */
  const mark = (n: number) => {
    const seat = hall.seats.get(n);
    if (!seat) return;
    if (imported) {
      setImported(markImported(imported, n));
      return;
    }
    const key = markKey(seat.section, seat.row, seat.index);
    setDraft((current) => {
      const marks = { ...current.marks };
      const next = nextMark(marks[key]);
      if (next) marks[key] = next; else delete marks[key];
      return { ...current, marks };
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setCreated(null);
    setServerErrors(noServerErrors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      setCreated(await api.createVenue({ name, layout }));
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        setServerErrors(groupErrors(error.fieldErrors));
      } else {
        setFailure(error instanceof ApiError ? error.message : "The venue could not be created.");
      }
    } finally {
      setBusy(false);
    }
  };

  const exportJson = () => { setJson(JSON.stringify(layout, null, 2)); setJsonError(null); };
  const importJson = () => {
    const parsed = parseLayout(json);
    if ("error" in parsed) { setJsonError(parsed.error); return; }
    setJsonError(null);
    setImported(parsed.layout);
  };

  return (
    <section className="builder">
      <header className="page-header">
        <p className="breadcrumb"><Link to="/">All shows</Link></p>
        <h1>New venue</h1>
        <p className="muted">Describe the hall section by section; the preview shows what buyers will see.</p>
      </header>
      {created && (
        <Callout kind="success">
          Created the venue {created.name} with {created.totalSeats} seats.{" "}
          <Link to={`/admin/shows/new?venue=${encodeURIComponent(created.id)}`}>Create a show on it</Link>
        </Callout>
      )}
      {failure && <Callout kind="error">{failure}</Callout>}
      {serverErrors.plan.length > 0 && (
        <Callout kind="error">
          <ul className="error-list">{serverErrors.plan.map((message) => <li key={message}>{message}</li>)}</ul>
        </Callout>
      )}
      <form className="builder-layout" onSubmit={(event) => { void submit(event); }} noValidate>
        <div className="panel form builder-form">
          <Field id="venue-name" label="Venue name" value={name} onChange={(event) => setName(event.target.value)} error={serverErrors.name} />
          {imported ? (
            <div className="imported">
              <p><strong>Imported plan</strong>: {imported.sections.length} sections, {seatCount} seats.</p>
              <button type="button" className="button button-secondary" onClick={() => setImported(null)}>Discard the imported plan</button>
            </div>
          ) : (
            <>
              <CategoriesEditor draft={draft} setDraft={setDraft} errors={serverErrors.categories} />
              {draft.sections.map((section, s) => (
                <SectionEditor
                  key={s}
                  index={s}
                  section={section}
                  categories={draft.categories.map((category) => category.label)}
                  errors={errors}
                  serverErrors={serverErrors.sections[s] ?? []}
                  onChange={(change) => setSection(s, change)}
                  onRemove={draft.sections.length > 1 ? () => removeSection(s) : undefined}
                />
              ))}
              {errors.sections && <p className="field-error">{errors.sections}</p>}
              <button type="button" className="button button-secondary" onClick={() => setDraft((current) => ({ ...current, sections: [...current.sections, newSection(current.sections.length)] }))}>
                Add a section
              </button>
            </>
          )}
          <details className="json-box">
            <summary>Import or export the plan as JSON</summary>
            <label className="field-label" htmlFor="venue-json">Plan as JSON</label>
            <textarea id="venue-json" rows={8} value={json} onChange={(event) => setJson(event.target.value)} aria-describedby={jsonError ? "venue-json-error" : undefined} />
            {jsonError && <p id="venue-json-error" className="field-error">{jsonError}</p>}
            <div className="actions">
              <button type="button" className="button button-secondary" onClick={exportJson}>Export</button>
              <button type="button" className="button button-secondary" onClick={importJson}>Import</button>
              <a className="button button-ghost" download={`${name.trim() || "venue"}.json`}
                href={`data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(layout, null, 2))}`}>Download</a>
            </div>
          </details>
          <button type="submit" className="button button-primary" disabled={busy || Object.keys(errors).length > 0}>
            {busy ? "Creating…" : `Create venue (${seatCount} seats)`}
          </button>
        </div>
        <section className="panel builder-preview" aria-label="Preview">
          <h2>Preview</h2>
          <p className="hint">Click a seat to mark it accessible; click again for a companion seat, and again to clear it.</p>
          <VenueSeatMap hall={hall} taken={noSeats} blocked={noSeats} mine={noSeats} conflicts={noSeats} selected={[]} onToggle={mark} />
        </section>
      </form>
    </section>
  );
}

function CategoriesEditor({ draft, setDraft, errors }: {
  draft: VenueDraft; setDraft: (change: (draft: VenueDraft) => VenueDraft) => void; errors: Record<number, string[]>;
}) {
  const setCategory = (index: number, change: Partial<{ label: string; color: string }>) =>
    setDraft((current) => ({ ...current, categories: current.categories.map((category, c) => (c === index ? { ...category, ...change } : category)) }));
  return (
    <fieldset className="builder-group">
      <legend>Categories (optional)</legend>
      {draft.categories.map((category, c) => (
        <div className="category-row" key={c}>
          <Field id={`category-${c}-label`} label={`Category ${c + 1}`} value={category.label} onChange={(event) => setCategory(c, { label: event.target.value })} error={errors[c]?.join(" ")} />
          <Field id={`category-${c}-color`} label="Colour" type="color" value={category.color} onChange={(event) => setCategory(c, { color: event.target.value })} />
          <button type="button" className="link-button" onClick={() => setDraft((current) => ({
            ...current,
            categories: current.categories.filter((_, other) => other !== c),
            sections: current.sections.map((section) => ({ ...section, category: section.category === String(c) ? "" : section.category })),
          }))}>Remove</button>
        </div>
      ))}
      <button type="button" className="button button-ghost" onClick={() => setDraft((current) => ({
        ...current, categories: [...current.categories, { label: `Category ${current.categories.length + 1}`, color: palette[current.categories.length % palette.length] }],
      }))}>Add a category</button>
    </fieldset>
  );
}

const palette = ["#2f6fdf", "#aa3300", "#15803d", "#7c3aed", "#b45309"];

function SectionEditor({ index, section, categories, errors, serverErrors, onChange, onRemove }: {
  index: number; section: SectionSpec; categories: string[]; errors: Record<string, string>; serverErrors: string[];
  onChange: (change: Partial<SectionSpec>) => void; onRemove?: () => void;
}) {
  const id = (field: string) => `section-${index}-${field}`;
  const number = (field: keyof SectionSpec) => (event: { target: { value: string } }) => onChange({ [field]: Number(event.target.value) });
  const error = (field: string) => errors[`sections[${index}].${field}`];
  return (
    <fieldset className="builder-group">
      <legend>Section {index + 1}</legend>
      <Field id={id("label")} label="Section name" value={section.label} onChange={(event) => onChange({ label: event.target.value })} />
      <div className="field-pair">
        <Field id={id("rows")} label="Rows" type="number" min={1} max={200} value={section.rows} onChange={number("rows")} error={error("rows")} />
        <Field id={id("seats")} label="Seats per row" type="number" min={1} max={500} value={section.seatsPerRow} onChange={number("seatsPerRow")} error={error("seatsPerRow")} />
      </div>
      <div className="field-pair">
        <Field id={id("first-row")} label="First row" value={section.firstRow} onChange={(event) => onChange({ firstRow: event.target.value })} hint="A, or 1" />
        <Field id={id("aisles")} label="Aisles after seats" value={section.aislesAfter} onChange={(event) => onChange({ aislesAfter: event.target.value })} error={error("aislesAfter")} hint="e.g. 5, 10" />
      </div>
      <div className="field-pair">
        <Field id={id("curve")} label="Curve" type="number" min={0} max={10} step={0.5} value={section.curve} onChange={number("curve")} hint="0 for straight rows" />
        <Field id={id("rake")} label="Rake" type="number" min={0} max={3} step={0.25} value={section.rake} onChange={number("rake")} hint="extra depth between rows" />
      </div>
      {categories.length > 0 && (
        <label className="field">
          <span className="field-label">Category</span>
          <select value={section.category} onChange={(event) => onChange({ category: event.target.value })}>
            <option value="">None</option>
            {categories.map((label, c) => <option key={c} value={String(c)}>{label}</option>)}
          </select>
        </label>
      )}
      {serverErrors.length > 0 && (
        <ul className="field-error error-list">{serverErrors.map((message) => <li key={message}>{message}</li>)}</ul>
      )}
      {onRemove && <button type="button" className="link-button" onClick={onRemove}>Remove this section</button>}
    </fieldset>
  );
}

/** The server's field errors, each beside the part of the form it is about. */
function groupErrors(fieldErrors: ReadonlyArray<{ field: string; message: string }>): ServerErrors {
  const grouped: ServerErrors = { sections: {}, categories: {}, plan: [] };
  for (const { field, message } of fieldErrors) {
    const place = fieldOfPath(field);
    if (place === "name") grouped.name = message;
    else if (place === "plan") grouped.plan.push(message);
    else if ("section" in place) (grouped.sections[place.section] ??= []).push(message);
    else (grouped.categories[place.category] ??= []).push(message);
  }
  return grouped;
}

/** An imported plan with seat `n`'s mark moved on: accessible, companion, neither. */
function markImported(layout: Layout, n: number): Layout {
  return {
    ...layout,
    sections: layout.sections.map((section) => ({
      ...section,
      rows: section.rows.map((row) => ({
        ...row,
        seats: row.seats.map((seat) => {
          if (seat.n !== n) return seat;
          const next = nextMark(seat.accessible ? "accessible" : seat.companion ? "companion" : undefined);
          const { accessible: _a, companion: _c, ...rest } = seat;
          return { ...rest, ...(next === "accessible" ? { accessible: true } : next === "companion" ? { companion: true } : {}) };
        }),
      })),
    })),
  };
}
