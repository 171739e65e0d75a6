import { test } from "node:test";
import assert from "node:assert/strict";
import { renderToStaticMarkup } from "react-dom/server";
import type { Layout } from "../api/types";
import { VenueSeatMap } from "./VenueSeatMap";
import { hallOf } from "../lib/venuePlan";

const layout: Layout = {
  version: 1,
  stage: { x: 1, y: -2, label: "Main stage" },
  categories: [{ key: "stalls", label: "Stalls", color: "#2f6fdf" }, { key: "box", label: "Boxes", color: "#aa3300" }],
  sections: [
    { key: "stalls", label: "Stalls", rows: [
      { label: "A", seats: [{ n: 1, label: "1", category: "stalls", accessible: true }, { n: 2, label: "2", category: "stalls" },
        { n: 3, label: "3", category: "stalls", aisleBefore: true }] },
    ] },
    { key: "boxes", label: "Boxes", rows: [{ label: "K", seats: [{ n: 4, label: "1", category: "box" }] }] },
  ],
};

function render(props: { taken?: number[]; blocked?: number[]; mine?: number[]; selected?: number[] }, plan = layout) {
  return renderToStaticMarkup(
    <VenueSeatMap
      hall={hallOf(plan)}
      taken={new Set(props.taken ?? [])}
      blocked={new Set(props.blocked ?? [])}
      mine={new Set(props.mine ?? [])}
      conflicts={new Set()}
      selected={props.selected ?? []}
      onToggle={() => undefined}
    />,
  );
}

const seatTag = (html: string, name: string) => {
  const match = html.match(new RegExp(`<button[^>]*aria-label="${name}"[^>]*>`));
  assert.ok(match, `a seat button named "${name}"`);
  return match[0];
};

test("sections have headings, rows are labelled at both ends, and each seat is named with its state", () => {
  const html = render({ taken: [2], blocked: [4], selected: [3] });
  assert.match(html, /<h3[^>]*>Stalls<\/h3>/);
  assert.match(html, /<h3[^>]*>Boxes<\/h3>/);
  assert.match(html, /Main stage/);
  assert.equal((html.match(/class="row-label[^"]*"[^>]*>A</g) ?? []).length, 2);
  assert.match(seatTag(html, "Stalls, Row A, Seat 1, accessible, available"), /tabindex="0"/);
  assert.match(seatTag(html, "Stalls, Row A, Seat 2, taken"), /disabled=""/);
  assert.match(seatTag(html, "Stalls, Row A, Seat 3, selected"), /aria-pressed="true"/);
  assert.match(seatTag(html, "Stalls, Row A, Seat 3, selected"), /seat-aisle/);
  assert.match(seatTag(html, "Boxes, Row K, Seat 1, not for sale"), /seat-blocked/);
  assert.equal((html.match(/tabindex="0"/g) ?? []).length, 1);
});

test("categories have colours and a legend, and no state is told by colour alone", () => {
  const html = render({ mine: [1] });
  assert.match(seatTag(html, "Stalls, Row A, Seat 1, accessible, yours"), /--category:#2f6fdf/);
  assert.match(html, /aria-label="Seat categories"/);
  assert.match(html, />Boxes<\/li>/);
  assert.match(html, />Not for sale<\/li>/);
  assert.match(html, />Companion seat<\/li>/);
});

test("a plan with coordinates places each seat at its point", () => {
  const placed: Layout = {
    version: 1,
    sections: [{ key: "s", label: "S", rows: [{ label: "A", seats: [{ n: 1, label: "1", x: 0, y: 0 }, { n: 2, label: "2", x: 3, y: 0 }] }] }],
  };
  const html = render({}, placed);
  assert.match(seatTag(html, "S, Row A, Seat 2, available"), /left:10.4rem/);
});
