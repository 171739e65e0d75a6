import { test } from "node:test";
import assert from "node:assert/strict";
import { renderToStaticMarkup } from "react-dom/server";
import { SeatMap } from "./SeatMap";

function render(props: { taken?: number[]; mine?: number[]; conflicts?: number[]; selected?: number[]; totalSeats?: number }) {
  return renderToStaticMarkup(
    <SeatMap
      totalSeats={props.totalSeats ?? 30}
      taken={new Set(props.taken ?? [])}
      mine={new Set(props.mine ?? [])}
      conflicts={new Set(props.conflicts ?? [])}
      selected={props.selected ?? []}
      onToggle={() => undefined}
    />,
  );
}

const seatTag = (html: string, seat: number) => {
  const match = html.match(new RegExp(`<button[^>]*aria-label="Seat ${seat}"[^>]*>`));
  assert.ok(match, `seat ${seat} is a button labelled "Seat ${seat}"`);
  return match[0];
};

test("every seat is a button labelled with its number, in labelled rows", () => {
  const html = render({});
  for (let seat = 1; seat <= 30; seat += 1) seatTag(html, seat);
  assert.match(html, /aria-label="Row C"/);
});

test("a picked seat is pressed, a taken seat is disabled, and the visitor's own seats look different", () => {
  const html = render({ taken: [4, 7], mine: [7], selected: [2] });
  assert.match(seatTag(html, 2), /aria-pressed="true"/);
  assert.match(seatTag(html, 3), /aria-pressed="false"/);
  assert.match(seatTag(html, 4), /disabled=""/);
  assert.match(seatTag(html, 4), /seat-taken/);
  assert.match(seatTag(html, 7), /seat-mine/);
  assert.match(seatTag(html, 7), /aria-describedby="legend-mine"/);
  assert.doesNotMatch(seatTag(html, 2), /disabled/);
});

test("seats someone else just took are marked apart from other taken seats", () => {
  const html = render({ taken: [5], conflicts: [5] });
  assert.match(seatTag(html, 5), /seat-conflict/);
  assert.match(seatTag(html, 5), /disabled=""/);
});

test("exactly one seat is in the tab order, and it is a free one", () => {
  const html = render({ taken: [1, 2] });
  const stops = html.match(/tabindex="0"/g) ?? [];
  assert.equal(stops.length, 1);
  assert.match(seatTag(html, 3), /tabindex="0"/);
});

test("a big hall shows one section at a time with a picker", () => {
  const html = render({ totalSeats: 5000 });
  assert.match(html, /<select/);
  seatTag(html, 512);
  assert.doesNotMatch(html, /aria-label="Seat 513"/);
});
