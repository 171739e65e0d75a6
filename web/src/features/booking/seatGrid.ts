// How a show's seats are laid out in rows, how the keyboard moves between them, and how a
// selection changes. Pure functions, so the seat map's behaviour is tested without a browser.
import { rowLabel } from "../../lib/format";

/** The seats one map shows: `first...last`, in rows of `width`. */
export interface SeatLayout {
  first: number;
  last: number;
  width: number;
}

/** Seats per row: a small hall in one row, then rows of 10, or 16 for a big hall (what fits a desktop panel). */
export function rowWidth(totalSeats: number): number {
  if (totalSeats <= 12) return Math.max(totalSeats, 1);
  if (totalSeats <= 160) return 10;
  return 16;
}

/** Up to this many seats are shown at once; a bigger hall is picked a section at a time. */
export const largestSingleMap = 1000;
/** 32 full rows of 16, so every section starts at the beginning of a row. */
export const sectionSize = 512;

/** The sections of a hall: one for up to 1,000 seats, otherwise blocks of 512. */
export function sectionsOf(totalSeats: number): SeatLayout[] {
  const width = rowWidth(totalSeats);
  if (totalSeats <= largestSingleMap) return [{ first: 1, last: totalSeats, width }];
  const sections: SeatLayout[] = [];
  for (let first = 1; first <= totalSeats; first += sectionSize) {
    sections.push({ first, last: Math.min(first + sectionSize - 1, totalSeats), width });
  }
  return sections;
}

/** The index of the section that holds `seat`. */
export function sectionIndexOf(totalSeats: number, seat: number): number {
  return totalSeats <= largestSingleMap ? 0 : Math.floor((seat - 1) / sectionSize);
}

export { rowLabel };

/** The rows of a layout, each with its label and seats. */
export function rowsOf(layout: SeatLayout): Array<{ label: string; seats: number[] }> {
  const rows: Array<{ label: string; seats: number[] }> = [];
  for (let start = layout.first; start <= layout.last; start += layout.width) {
    const seats: number[] = [];
    for (let seat = start; seat <= Math.min(start + layout.width - 1, layout.last); seat += 1) seats.push(seat);
    rows.push({ label: rowLabel(Math.floor((start - 1) / layout.width)), seats });
  }
  return rows;
}

/**
 * Where a key moves the focus from `from`: arrows step to the nearest free seat that way
 * (up and down stay in the column), Home and End go to the ends of the row. Taken seats
 * cannot be picked, so they are passed over. Null when there is nowhere to go.
 */
export function nextSeat(from: number, key: string, layout: SeatLayout, isFree: (seat: number) => boolean): number | null {
  const rowStart = layout.first + Math.floor((from - layout.first) / layout.width) * layout.width;
  const rowEnd = Math.min(rowStart + layout.width - 1, layout.last);
  const scan = (start: number, step: number, stop: number) => {
    for (let seat = start; step > 0 ? seat <= stop : seat >= stop; seat += step) {
      if (isFree(seat)) return seat;
    }
    return null;
  };
  switch (key) {
    case "ArrowRight": return scan(from + 1, 1, layout.last);
    case "ArrowLeft": return scan(from - 1, -1, layout.first);
    case "ArrowDown": return scan(from + layout.width, layout.width, layout.last);
    case "ArrowUp": return scan(from - layout.width, -layout.width, layout.first);
    case "Home": return scan(rowStart, 1, from - 1);
    case "End": return scan(rowEnd, -1, from + 1);
    default: return null;
  }
}

/** The seat that should take the keyboard focus: `preferred` if it is free, else the first free one. */
export function focusableSeat(layout: SeatLayout, isFree: (seat: number) => boolean, preferred: number | null): number | null {
  if (preferred !== null && preferred >= layout.first && preferred <= layout.last && isFree(preferred)) return preferred;
  for (let seat = layout.first; seat <= layout.last; seat += 1) if (isFree(seat)) return seat;
  return null;
}

/** The selection with `seat` added, or removed if it was there; always sorted. */
export function toggleSeat(selection: readonly number[], seat: number): number[] {
  return selection.includes(seat)
    ? selection.filter((picked) => picked !== seat)
    : [...selection, seat].sort((a, b) => a - b);
}

/** The selection without seats that are no longer free (taken by someone, or conflicting). */
export function keepFree(selection: readonly number[], isFree: (seat: number) => boolean): number[] {
  return selection.filter(isFree);
}
