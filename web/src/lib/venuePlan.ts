// A venue's seating plan as the seat map draws it: each seat placed in its section and row,
// the parts drawn at once (a large hall a part at a time), what a seat is called for a screen
// reader, and how the keyboard moves between seats. Pure functions, tested without a browser.
import type { Layout, LayoutSeat } from "../api/types";

/** A seat of the plan with its place. */
export interface PlacedSeat extends LayoutSeat {
  /** "Stalls, Row C, Seat 12": what bookings call it. */
  name: string;
  section: number;
  row: number;
  /** Its place in its row, from the left. */
  index: number;
}

export interface HallRow {
  label: string;
  seats: PlacedSeat[];
}

/** What the map draws at one time: a whole section, or some of its rows in a large hall. */
export interface HallPart {
  section: number;
  /** "Stalls", or "Stalls, rows A–T" for a slice of a section. */
  title: string;
  rows: HallRow[];
  seatCount: number;
}

export interface Hall {
  seats: Map<number, PlacedSeat>;
  parts: HallPart[];
  /** Whether every part is drawn at once (a hall of up to `largestDrawnAtOnce` seats). */
  drawAll: boolean;
  /** Whether the plan places every seat by `x` and `y`. */
  placed: boolean;
  categories: Map<string, { label: string; color: string }>;
  stageLabel: string;
}

/** Up to this many seats are drawn at once; a bigger hall is picked a part at a time. */
export const largestDrawnAtOnce = 1000;

export function hallOf(layout: Layout): Hall {
  const seats = new Map<number, PlacedSeat>();
  const parts: HallPart[] = [];
  let total = 0;
  for (const section of layout.sections) for (const row of section.rows) total += row.seats.length;
  const drawAll = total <= largestDrawnAtOnce;
  layout.sections.forEach((section, s) => {
    const rows: HallRow[] = section.rows.map((row, r) => ({
      label: row.label,
      seats: row.seats.map((seat, index) => {
        const placed: PlacedSeat = { ...seat, name: `${section.label}, Row ${row.label}, Seat ${seat.label}`, section: s, row: r, index };
        seats.set(seat.n, placed);
        return placed;
      }),
    }));
    // A slice holds whole rows and at most `largestDrawnAtOnce` seats (a longer row alone).
    let slice: HallRow[] = [];
    let count = 0;
    let sliced = false;
    const flush = (whole: boolean) => {
      if (slice.length === 0) return;
      const title = whole ? section.label : `${section.label}, rows ${slice[0].label}–${slice[slice.length - 1].label}`;
      parts.push({ section: s, title, rows: slice, seatCount: count });
      slice = [];
      count = 0;
    };
    for (const row of rows) {
      if (!drawAll && count > 0 && count + row.seats.length > largestDrawnAtOnce) {
        flush(false);
        sliced = true;
      }
      slice.push(row);
      count += row.seats.length;
    }
    flush(!sliced);
  });
  const all = [...seats.values()];
  return {
    seats,
    parts,
    drawAll,
    placed: all.length > 0 && all.every((seat) => Number.isFinite(seat.x) && Number.isFinite(seat.y)),
    categories: new Map((layout.categories ?? []).map((category) => [category.key, { label: category.label, color: category.color }])),
    stageLabel: layout.stage?.label ?? "Stage",
  };
}

export type SeatState = "free" | "picked" | "taken" | "mine" | "conflict" | "blocked";

const stateWords: Record<SeatState, string> = {
  free: "available",
  picked: "selected",
  taken: "taken",
  mine: "yours",
  conflict: "just taken by someone else",
  blocked: "not for sale",
};

/** "Stalls, Row C, Seat 12, accessible, available": a seat's accessible name. */
export function seatName(seat: PlacedSeat, state: SeatState): string {
  const kind = seat.accessible ? ", accessible" : seat.companion ? ", companion seat" : "";
  return `${seat.name}${kind}, ${stateWords[state]}`;
}

/** The part that holds `seat`, or 0. */
export function partOf(hall: Hall, seat: number): number {
  const placed = hall.seats.get(seat);
  if (!placed) return 0;
  const index = hall.parts.findIndex((part) => part.section === placed.section && part.rows.some((row) => row.seats[0]?.row === placed.row));
  return Math.max(index, 0);
}

/** Where a seat sits across its row, for moving up and down: its `x`, else its place from the row's middle. */
function across(seat: PlacedSeat, row: HallRow, placed: boolean): number {
  return placed ? seat.x ?? 0 : seat.index - (row.seats.length - 1) / 2;
}

/**
 * Where a key moves the focus from seat `from` among the parts drawn (`visible`): left and
 * right to the nearest free seat in the row, up and down to the nearest free seat of the
 * nearest row that has one (across sections), Home and End to the row's ends, Page Up and
 * Page Down to the first free seat of the part before or after (which may not be drawn).
 * Seats that cannot be picked are passed over. Null when there is nowhere to go.
 */
export function nextVenueSeat(
  from: number, key: string, hall: Hall, visible: readonly number[], isFree: (seat: number) => boolean,
): number | null {
  const seat = hall.seats.get(from);
  if (!seat) return null;
  const rows = visible.flatMap((part) => hall.parts[part]?.rows ?? []);
  const at = rows.findIndex((row) => row.seats[0]?.section === seat.section && row.seats[0]?.row === seat.row);
  if (at < 0) return null;
  const row = rows[at].seats;
  const firstFree = (list: readonly PlacedSeat[]) => list.find((candidate) => isFree(candidate.n))?.n ?? null;
  switch (key) {
    case "ArrowRight": return firstFree(row.slice(seat.index + 1));
    case "ArrowLeft": return firstFree(row.slice(0, seat.index).reverse());
    case "Home": return firstFree(row.slice(0, seat.index));
    case "End": return firstFree(row.slice(seat.index + 1).reverse());
    case "ArrowUp":
    case "ArrowDown": {
      const step = key === "ArrowDown" ? 1 : -1;
      const where = across(seat, rows[at], hall.placed);
      for (let r = at + step; r >= 0 && r < rows.length; r += step) {
        const free = rows[r].seats.filter((candidate) => isFree(candidate.n));
        if (free.length === 0) continue;
        const distance = (candidate: PlacedSeat) => Math.abs(across(candidate, rows[r], hall.placed) - where);
        return free.reduce((best, candidate) => (distance(candidate) < distance(best) ? candidate : best)).n;
      }
      return null;
    }
    case "PageDown":
    case "PageUp": {
      const step = key === "PageDown" ? 1 : -1;
      const here = partOf(hall, from);
      for (let p = here + step; p >= 0 && p < hall.parts.length; p += step) {
        const free = firstFree(hall.parts[p].rows.flatMap((candidate) => candidate.seats));
        if (free !== null) return free;
      }
      return null;
    }
    default: return null;
  }
}

/** How many of a part's seats are free. */
export function freeIn(part: HallPart, isFree: (seat: number) => boolean): number {
  let free = 0;
  for (const row of part.rows) for (const seat of row.seats) if (isFree(seat.n)) free += 1;
  return free;
}

/** "Stalls, Row A, Seat 3 and Stalls, Row A, Seat 4": seats named for a sentence, by the plan when there is one. */
export function seatNames(seats: readonly number[], hall: Hall | null): string[] {
  return [...seats].sort((a, b) => a - b).map((n) => hall?.seats.get(n)?.name ?? `Seat ${n}`);
}
