// The venue builder's model: sections described as rows × seats with aisles, a curve and a
// rake, categories, and accessible or companion seats marked by clicking; turned into the
// API's `layout` document. Pure functions, tested without a browser.
import type { Layout, LayoutSeat } from "../../api/types";
import { rowLabel } from "../../lib/format";

export interface SectionSpec {
  label: string;
  rows: number;
  seatsPerRow: number;
  /** The first row's label: rows run A, B, C… (or 1, 2, 3… from a number). */
  firstRow: string;
  /** "10, 20": an aisle after seat 10 and after seat 20 of every row. */
  aislesAfter: string;
  /** How far (in seat pitches) the row ends come forward, 0 for straight rows. */
  curve: number;
  /** Extra depth between rows, in seat pitches: 0 for a flat floor, more for a steep rake. */
  rake: number;
  /** The key of the category every seat of the section is in, or "". */
  category: string;
}

export interface CategorySpec {
  label: string;
  /** "#RRGGBB". */
  color: string;
}

export type SeatMark = "accessible" | "companion";

export interface VenueDraft {
  sections: SectionSpec[];
  categories: CategorySpec[];
  /** Marked seats, by `section:row:seat` (indexes from 0). */
  marks: Record<string, SeatMark>;
}

export const newSection = (index: number): SectionSpec => ({
  label: index === 0 ? "Stalls" : `Section ${index + 1}`, rows: 5, seatsPerRow: 10, firstRow: "A", aislesAfter: "",
  curve: 0, rake: 0, category: "",
});

export const emptyDraft: VenueDraft = { sections: [newSection(0)], categories: [], marks: {} };

export const markKey = (section: number, row: number, seat: number) => `${section}:${row}:${seat}`;

/** The next mark when a seat is clicked: none, accessible, companion, none. */
export function nextMark(mark: SeatMark | undefined): SeatMark | undefined {
  return mark === undefined ? "accessible" : mark === "accessible" ? "companion" : undefined;
}

/** The seats an aisle comes after, or an error for text that is not a list of seat numbers. */
export function parseAisles(text: string, seatsPerRow: number): { after: number[] } | { error: string } {
  const parts = text.split(",").map((part) => part.trim()).filter((part) => part !== "");
  const after = parts.map(Number);
  if (after.some((n) => !Number.isInteger(n) || n < 1 || n >= seatsPerRow)) {
    return { error: `Aisles go after seats 1 to ${seatsPerRow - 1}, as a list like "5, 10".` };
  }
  return { after: [...new Set(after)].sort((a, b) => a - b) };
}

/** "A", "B", … "Z", "AA", … counted on from `first`; a number counts on as numbers. */
export function rowLabelFrom(first: string, index: number): string {
  const start = first.trim() || "A";
  if (/^\d+$/.test(start)) return String(Number(start) + index);
  const from = [...start.toUpperCase()].reduce((value, char) => value * 26 + (char.charCodeAt(0) - 64), 0) - 1;
  return rowLabel(from + index);
}

/** A key for a label: lowercase words joined by dashes, made unique among `taken`. */
export function keyFor(label: string, taken: Set<string>): string {
  const base = label.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "section";
  let key = base;
  for (let n = 2; taken.has(key); n += 1) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

/** Problems the form can tell before asking the server, by field ("sections[0].rows"). */
export function draftErrors(draft: VenueDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  let total = 0;
  draft.sections.forEach((section, s) => {
    if (!Number.isInteger(section.rows) || section.rows < 1 || section.rows > 200) errors[`sections[${s}].rows`] = "1 to 200 rows.";
    if (!Number.isInteger(section.seatsPerRow) || section.seatsPerRow < 1 || section.seatsPerRow > 500) {
      errors[`sections[${s}].seatsPerRow`] = "1 to 500 seats per row.";
    }
    const aisles = parseAisles(section.aislesAfter, section.seatsPerRow);
    if ("error" in aisles) errors[`sections[${s}].aislesAfter`] = aisles.error;
    total += Math.max(0, section.rows) * Math.max(0, section.seatsPerRow);
  });
  if (draft.sections.length === 0) errors.sections = "Add at least one section.";
  if (total > 100_000) errors.sections = `${total} seats: a venue has at most 100,000.`;
  return errors;
}

/**
 * The `layout` for a draft. Seats are numbered 1… section by section, row by row (front to
 * back), left to right, and placed by x/y: rows centred on the stage, an aisle one pitch
 * wide, row ends brought forward by the curve, rows spaced by 1 + rake, sections one behind
 * the other.
 */
export function layoutOf(draft: VenueDraft): Layout {
  const categoryKeys = new Set<string>();
  const categories = draft.categories.map((category) => ({ key: keyFor(category.label, categoryKeys), label: category.label, color: category.color }));
  const sectionKeys = new Set<string>();
  let n = 0;
  let depth = 0;
  const sections = draft.sections.map((section, s) => {
    const aisles = parseAisles(section.aislesAfter, section.seatsPerRow);
    const after = "after" in aisles ? aisles.after : [];
    const width = section.seatsPerRow - 1 + after.length;
    const spacing = 1 + Math.max(0, section.rake);
    const category = categories[draft.categories.findIndex((_, index) => String(index) === section.category)]?.key;
    const rows = Array.from({ length: Math.max(0, section.rows) }, (_, r) => {
      let x = -width / 2;
      const seats: LayoutSeat[] = [];
      for (let i = 0; i < section.seatsPerRow; i += 1) {
        const aisleBefore = i > 0 && after.includes(i);
        if (aisleBefore) x += 1;
        n += 1;
        const bend = width > 0 ? section.curve * (2 * x / width) ** 2 : 0;
        const seat: LayoutSeat = { n, label: String(i + 1), x: round(x), y: round(depth + r * spacing - bend) };
        if (category) seat.category = category;
        if (aisleBefore) seat.aisleBefore = true;
        const mark = draft.marks[markKey(s, r, i)];
        if (mark === "accessible") seat.accessible = true;
        if (mark === "companion") seat.companion = true;
        seats.push(seat);
        x += 1;
      }
      return { label: rowLabelFrom(section.firstRow, r), seats };
    });
    depth += Math.max(0, section.rows) * spacing + 2 + Math.max(0, section.curve);
    return { key: keyFor(section.label, sectionKeys), label: section.label, rows };
  });
  const layout: Layout = { version: 1, stage: { x: 0, y: -2 - Math.max(0, draft.sections[0]?.curve ?? 0), label: "Stage" }, sections };
  if (categories.length > 0) layout.categories = categories;
  return layout;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Which part of the form an API error's member path belongs to. */
export function fieldOfPath(path: string): { section: number } | { category: number } | "name" | "plan" {
  if (path === "name") return "name";
  const section = path.match(/^layout\.sections\[(\d+)\]/);
  if (section) return { section: Number(section[1]) };
  const category = path.match(/^layout\.categories\[(\d+)\]/);
  if (category) return { category: Number(category[1]) };
  return "plan";
}

/** A layout read from JSON text (an imported plan), or why it cannot be. */
export function parseLayout(text: string): { layout: Layout } | { error: string } {
  try {
    const value: unknown = JSON.parse(text);
    const layout = (value && typeof value === "object" && "layout" in value ? (value as { layout: unknown }).layout : value) as Layout;
    if (!layout || typeof layout !== "object" || !Array.isArray(layout.sections)) {
      return { error: "This is not a seating plan: it needs a \"sections\" list." };
    }
    return { layout };
  } catch {
    return { error: "This is not valid JSON." };
  }
}
