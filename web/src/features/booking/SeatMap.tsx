// The seat map: one button per seat, in labelled rows, usable with the keyboard alone.
// A seat's state shows as a symbol and a pattern as well as a colour.
import { useMemo, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import { focusableSeat, nextSeat, rowsOf, sectionIndexOf, sectionsOf } from "./seatGrid";

export interface SeatMapProps {
  totalSeats: number;
  /** Seats held or sold, the visitor's own included. */
  taken: ReadonlySet<number>;
  /** The visitor's own seats (held or confirmed). */
  mine: ReadonlySet<number>;
  /** Seats that were just taken by someone else while this visitor tried to book them. */
  conflicts: ReadonlySet<number>;
  selected: readonly number[];
  onToggle: (seat: number) => void;
}

const movementKeys = new Set(["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown", "Home", "End"]);

export function SeatMap({ totalSeats, taken, mine, conflicts, selected, onToggle }: SeatMapProps) {
  const sections = useMemo(() => sectionsOf(totalSeats), [totalSeats]);
  const [sectionIndex, setSectionIndex] = useState(() => sectionIndexOf(totalSeats, selected[0] ?? 1));
  const section = sections[Math.min(sectionIndex, sections.length - 1)];
  const rows = useMemo(() => rowsOf(section), [section]);
  const [focusSeat, setFocusSeat] = useState<number | null>(null);
  const buttons = useRef(new Map<number, HTMLButtonElement>());
  const picked = useMemo(() => new Set(selected), [selected]);

  // A seat someone else just took is not free, even before the next read of the map says so.
  const isFree = (seat: number) => !taken.has(seat) && !conflicts.has(seat);
  const tabStop = focusableSeat(section, isFree, focusSeat);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!movementKeys.has(event.key)) return;
    const from = Number((event.target as HTMLElement).dataset.seat);
    if (!Number.isInteger(from)) return;
    event.preventDefault();
    const to = nextSeat(from, event.key, section, isFree);
    if (to === null) return;
    setFocusSeat(to);
    buttons.current.get(to)?.focus();
  };

  return (
    <div className="seat-map">
      {sections.length > 1 && (
        <label className="field field-inline">
          <span className="field-label">Section</span>
          <select
            value={sectionIndex}
            onChange={(event) => { setSectionIndex(Number(event.target.value)); setFocusSeat(null); }}
          >
            {sections.map((candidate, index) => (
              <option key={candidate.first} value={index}>
                Seats {candidate.first}–{candidate.last} ({freeIn(candidate.first, candidate.last, isFree)} free)
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="stage" aria-hidden="true">Stage</div>
      <div className="seat-scroll">
        <div className="seat-rows" role="group" aria-label="Seat map" onKeyDown={onKeyDown}>
          {rows.map((row) => (
            <div className="seat-row" role="group" aria-label={`Row ${row.label}`} key={row.label}>
              <span className="row-label" aria-hidden="true">{row.label}</span>
              {row.seats.map((seat) => {
                const state = mine.has(seat) ? "mine" : conflicts.has(seat) ? "conflict" : taken.has(seat) ? "taken" : picked.has(seat) ? "picked" : "free";
                return (
                  <button
                    key={seat}
                    ref={(element) => { if (element) buttons.current.set(seat, element); else buttons.current.delete(seat); }}
                    type="button"
                    className={`seat seat-${state}`}
                    aria-label={`Seat ${seat}`}
                    aria-pressed={picked.has(seat) && isFree(seat)}
                    aria-describedby={state === "mine" || state === "conflict" ? `legend-${state}` : undefined}
                    disabled={!isFree(seat)}
                    tabIndex={seat === tabStop ? 0 : -1}
                    data-seat={seat}
                    onClick={() => { setFocusSeat(seat); onToggle(seat); }}
                  >
                    {seat}
                  </button>
                );
              })}
              <span className="row-label row-label-end" aria-hidden="true">{row.label}</span>
            </div>
          ))}
        </div>
      </div>
      <SeatLegend />
    </div>
  );
}

function freeIn(first: number, last: number, isFree: (seat: number) => boolean): number {
  let free = 0;
  for (let seat = first; seat <= last; seat += 1) if (isFree(seat)) free += 1;
  return free;
}

function SeatLegend() {
  return (
    <ul className="legend" aria-label="Seat states">
      <li><span className="seat seat-free seat-sample" aria-hidden="true" />Free</li>
      <li><span className="seat seat-picked seat-sample" aria-hidden="true" />Selected</li>
      <li><span className="seat seat-taken seat-sample" aria-hidden="true" />Taken</li>
      <li id="legend-mine"><span className="seat seat-mine seat-sample" aria-hidden="true" />Yours</li>
      <li id="legend-conflict"><span className="seat seat-conflict seat-sample" aria-hidden="true" />Just taken by someone else</li>
    </ul>
  );
}
