// The seat map of a show on a venue: the stage, sections with headings, rows labelled at
// both ends, aisles as gaps, seats placed by x/y when the plan has them, category colours
// with a legend. Each seat is a button named by its label and state; a seat's state shows
// as a symbol and a pattern as well as a colour. A large hall is drawn a part at a time.
import { useMemo, useRef, useState } from "react";
import type { CSSProperties, KeyboardEvent, ReactElement } from "react";
import type { Hall, HallPart, PlacedSeat, SeatState } from "../lib/venuePlan";
import { freeIn, nextVenueSeat, partOf, seatName } from "../lib/venuePlan";

export interface VenueSeatMapProps {
  hall: Hall;
  /** Seats held or sold, the visitor's own included. */
  taken: ReadonlySet<number>;
  /** Seats not for sale. */
  blocked: ReadonlySet<number>;
  mine: ReadonlySet<number>;
  conflicts: ReadonlySet<number>;
  selected: readonly number[];
  onToggle: (seat: number) => void;
}

const movementKeys = new Set(["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"]);
/** One seat pitch of the plan's x/y, in rem. */
const pitch = 2.6;

export function VenueSeatMap({ hall, taken, blocked, mine, conflicts, selected, onToggle }: VenueSeatMapProps) {
  const [partIndex, setPartIndex] = useState(() => partOf(hall, selected[0] ?? 0));
  const [focusSeat, setFocusSeat] = useState<number | null>(null);
  const buttons = useRef(new Map<number, HTMLButtonElement>());
  const picked = useMemo(() => new Set(selected), [selected]);
  const visible = useMemo(
    () => (hall.drawAll ? hall.parts.map((_, index) => index) : [Math.min(partIndex, hall.parts.length - 1)]),
    [hall, partIndex],
  );

  const isFree = (seat: number) => !taken.has(seat) && !blocked.has(seat) && !conflicts.has(seat);
  const stateOf = (seat: number): SeatState =>
    mine.has(seat) ? "mine" : blocked.has(seat) ? "blocked" : conflicts.has(seat) ? "conflict"
      : taken.has(seat) ? "taken" : picked.has(seat) ? "picked" : "free";
  const drawn = visible.flatMap((index) => hall.parts[index].rows.flatMap((row) => row.seats));
  const tabStop = focusSeat !== null && drawn.some((seat) => seat.n === focusSeat) && isFree(focusSeat)
    ? focusSeat
    : drawn.find((seat) => isFree(seat.n))?.n ?? null;

  const focus = (seat: number) => {
    setFocusSeat(seat);
    // A seat in a part not drawn yet gets the focus once its part is drawn.
    requestAnimationFrame(() => buttons.current.get(seat)?.focus());
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!movementKeys.has(event.key)) return;
    const from = Number((event.target as HTMLElement).dataset.seat);
    if (!Number.isInteger(from)) return;
    event.preventDefault();
    const to = nextVenueSeat(from, event.key, hall, visible, isFree);
    if (to === null) return;
    if (!hall.drawAll) setPartIndex(partOf(hall, to));
    buttons.current.get(to)?.focus();
    focus(to);
  };

  const seatButton = (seat: PlacedSeat, style?: CSSProperties) => {
    const state = stateOf(seat.n);
    const category = seat.category ? hall.categories.get(seat.category) : undefined;
    const classes = ["seat", `seat-${state}`, seat.accessible ? "seat-accessible" : seat.companion ? "seat-companion" : "", seat.aisleBefore && !hall.placed ? "seat-aisle" : ""];
    return (
      <button
        key={seat.n}
        ref={(element) => { if (element) buttons.current.set(seat.n, element); else buttons.current.delete(seat.n); }}
        type="button"
        className={classes.filter(Boolean).join(" ")}
        style={{ ...style, ...(category ? { "--category": category.color } as CSSProperties : {}) }}
        aria-label={seatName(seat, state)}
        aria-pressed={picked.has(seat.n) && isFree(seat.n)}
        disabled={!isFree(seat.n)}
        tabIndex={seat.n === tabStop ? 0 : -1}
        data-seat={seat.n}
        onClick={() => { setFocusSeat(seat.n); onToggle(seat.n); }}
      >
        {seat.label}
      </button>
    );
  };

  return (
    <div className="seat-map venue-map">
      {!hall.drawAll && (
        <label className="field field-inline">
          <span className="field-label">Part of the hall</span>
          <select value={visible[0]} onChange={(event) => { setPartIndex(Number(event.target.value)); setFocusSeat(null); }}>
            {hall.parts.map((part, index) => (
              <option key={part.title} value={index}>{part.title} ({freeIn(part, isFree)} free)</option>
            ))}
          </select>
        </label>
      )}
      <div className="stage">{hall.stageLabel}</div>
      <div className="seat-scroll">
        <div className="venue-sections" role="group" aria-label="Seat map" onKeyDown={onKeyDown}>
          {visible.map((index) => (
            <PartDrawing key={hall.parts[index].title} part={hall.parts[index]} placed={hall.placed} seatButton={seatButton} />
          ))}
        </div>
      </div>
      <VenueLegend hall={hall} />
    </div>
  );
}

function PartDrawing({ part, placed, seatButton }: {
  part: HallPart; placed: boolean; seatButton: (seat: PlacedSeat, style?: CSSProperties) => ReactElement;
}) {
  const headingId = `part-${part.section}-${part.rows[0]?.label ?? ""}`.replace(/[^A-Za-z0-9_-]/g, "_");
  if (!placed) {
    return (
      <section className="venue-section" aria-labelledby={headingId}>
        <h3 id={headingId} className="section-heading">{part.title}</h3>
        <div className="seat-rows">
          {part.rows.map((row) => (
            <div className="seat-row" role="group" aria-label={`Row ${row.label}`} key={row.label}>
              <span className="row-label" aria-hidden="true">{row.label}</span>
              {row.seats.map((seat) => seatButton(seat))}
              <span className="row-label row-label-end" aria-hidden="true">{row.label}</span>
            </div>
          ))}
        </div>
      </section>
    );
  }
  // Placed by x/y: each seat at its point, each row's label just beyond its two ends.
  const all = part.rows.flatMap((row) => row.seats);
  const minX = Math.min(...all.map((seat) => seat.x ?? 0)) - 1;
  const minY = Math.min(...all.map((seat) => seat.y ?? 0));
  const maxX = Math.max(...all.map((seat) => seat.x ?? 0)) + 1;
  const maxY = Math.max(...all.map((seat) => seat.y ?? 0));
  const at = (x: number, y: number): CSSProperties => ({ position: "absolute", left: `${(x - minX) * pitch}rem`, top: `${(y - minY) * pitch}rem` });
  return (
    <section className="venue-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="section-heading">{part.title}</h3>
      <div className="placed-seats" style={{ width: `${(maxX - minX + 1) * pitch}rem`, height: `${(maxY - minY + 1) * pitch}rem` }}>
        {part.rows.map((row) => {
          const xs = row.seats.map((seat) => seat.x ?? 0);
          const y = row.seats.reduce((sum, seat) => sum + (seat.y ?? 0), 0) / row.seats.length;
          return (
            <div role="group" aria-label={`Row ${row.label}`} key={row.label}>
              <span className="row-label" aria-hidden="true" style={at(Math.min(...xs) - 1, y)}>{row.label}</span>
              {row.seats.map((seat) => seatButton(seat, at(seat.x ?? 0, seat.y ?? 0)))}
              <span className="row-label row-label-end" aria-hidden="true" style={at(Math.max(...xs) + 1, y)}>{row.label}</span>
            </div>
          );
        })}
      </div>
    </section>
  );
}

function VenueLegend({ hall }: { hall: Hall }) {
  return (
    <div className="legends">
      <ul className="legend" aria-label="Seat states">
        <li><span className="seat seat-free seat-sample" aria-hidden="true" />Free</li>
        <li><span className="seat seat-picked seat-sample" aria-hidden="true" />Selected</li>
        <li><span className="seat seat-taken seat-sample" aria-hidden="true" />Taken</li>
        <li><span className="seat seat-blocked seat-sample" aria-hidden="true" />Not for sale</li>
        <li><span className="seat seat-mine seat-sample" aria-hidden="true" />Yours</li>
        <li><span className="seat seat-conflict seat-sample" aria-hidden="true" />Just taken by someone else</li>
        <li><span className="seat seat-free seat-accessible seat-sample" aria-hidden="true" />Accessible</li>
        <li><span className="seat seat-free seat-companion seat-sample" aria-hidden="true" />Companion seat</li>
      </ul>
      {hall.categories.size > 0 && (
        <ul className="legend" aria-label="Seat categories">
          {[...hall.categories.entries()].map(([key, category]) => (
            <li key={key}>
              <span className="category-swatch" aria-hidden="true" style={{ "--category": category.color } as CSSProperties} />
              {category.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
