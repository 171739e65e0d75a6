import { test } from "node:test";
import assert from "node:assert/strict";
import { draftErrors, emptyDraft, fieldOfPath, keyFor, layoutOf, markKey, newSection, nextMark, parseAisles, parseLayout, rowLabelFrom } from "./venueBuilder";
import type { VenueDraft } from "./venueBuilder";

const draft: VenueDraft = {
  categories: [{ label: "Stalls seats", color: "#2f6fdf" }],
  sections: [
    { ...newSection(0), rows: 2, seatsPerRow: 6, aislesAfter: "3", category: "0" },
    { ...newSection(1), label: "Balcony", rows: 1, seatsPerRow: 4, firstRow: "K", curve: 1, rake: 0.5 },
  ],
  marks: { [markKey(0, 0, 0)]: "accessible", [markKey(0, 0, 1)]: "companion" },
};

test("a draft becomes a plan: seats numbered in order, rows labelled, aisles, marks and categories", () => {
  const layout = layoutOf(draft);
  assert.equal(layout.version, 1);
  assert.deepEqual(layout.sections.map((section) => section.key), ["stalls", "balcony"]);
  assert.deepEqual(layout.categories, [{ key: "stalls-seats", label: "Stalls seats", color: "#2f6fdf" }]);
  const stalls = layout.sections[0];
  assert.deepEqual(stalls.rows.map((row) => row.label), ["A", "B"]);
  assert.deepEqual(stalls.rows[1].seats.map((seat) => seat.n), [7, 8, 9, 10, 11, 12]);
  assert.equal(stalls.rows[0].seats[3].aisleBefore, true, "the aisle comes after seat 3");
  assert.equal(stalls.rows[0].seats[2].aisleBefore, undefined);
  assert.equal(stalls.rows[0].seats[0].accessible, true);
  assert.equal(stalls.rows[0].seats[1].companion, true);
  assert.ok(stalls.rows[0].seats.every((seat) => seat.category === "stalls-seats"));
  assert.deepEqual(layout.sections[1].rows.map((row) => row.label), ["K"]);
  assert.deepEqual(layout.sections[1].rows[0].seats.map((seat) => seat.n), [13, 14, 15, 16]);
  assert.equal(layout.sections[1].rows[0].seats[0].category, undefined);
});

test("seats are placed: centred, an aisle a pitch wide, the curve brings the ends forward, sections behind", () => {
  const layout = layoutOf(draft);
  const row = layout.sections[0].rows[0].seats;
  assert.deepEqual(row.map((seat) => seat.x), [-3, -2, -1, 1, 2, 3]);
  assert.ok(row.every((seat) => seat.y === 0));
  assert.ok(layout.sections[0].rows[1].seats.every((seat) => seat.y === 1));
  const balcony = layout.sections[1].rows[0].seats;
  const ends = balcony[0].y ?? 0;
  const middle = balcony[1].y ?? 0;
  assert.ok(ends < middle, "the row ends come forward");
  assert.ok(middle > 1, "the balcony is behind the stalls");
  const points = layout.sections.flatMap((section) => section.rows.flatMap((r) => r.seats.map((seat) => `${seat.x},${seat.y}`)));
  assert.equal(new Set(points).size, points.length, "no two seats share a point");
});

test("the form's own checks, and the rules for labels, keys, aisles and marks", () => {
  assert.deepEqual(draftErrors(emptyDraft), {});
  const broken = draftErrors({ ...draft, sections: [{ ...newSection(0), rows: 0, seatsPerRow: 501, aislesAfter: "x" }] });
  assert.deepEqual(Object.keys(broken).sort(), ["sections[0].aislesAfter", "sections[0].rows", "sections[0].seatsPerRow"]);
  assert.ok(draftErrors({ ...draft, sections: [{ ...newSection(0), rows: 200, seatsPerRow: 501 }] })["sections[0].seatsPerRow"]);
  assert.match(draftErrors({ ...draft, sections: Array.from({ length: 3 }, () => ({ ...newSection(0), rows: 200, seatsPerRow: 200 })) }).sections, /at most 100,000/);
  assert.deepEqual(parseAisles("10, 5, 5", 20), { after: [5, 10] });
  assert.ok("error" in parseAisles("20", 20));
  assert.equal(rowLabelFrom("A", 27), "AB");
  assert.equal(rowLabelFrom("K", 1), "L");
  assert.equal(rowLabelFrom("1", 4), "5");
  const taken = new Set<string>();
  assert.equal(keyFor("Grand Circle", taken), "grand-circle");
  assert.equal(keyFor("Grand circle!", taken), "grand-circle-2");
  assert.equal(nextMark(undefined), "accessible");
  assert.equal(nextMark("accessible"), "companion");
  assert.equal(nextMark("companion"), undefined);
});

test("the server's errors find their place in the form, and a plan can be imported", () => {
  assert.equal(fieldOfPath("name"), "name");
  assert.deepEqual(fieldOfPath("layout.sections[1].rows[2].seats[0].label"), { section: 1 });
  assert.deepEqual(fieldOfPath("layout.categories[0].color"), { category: 0 });
  assert.equal(fieldOfPath("layout.version"), "plan");
  const imported = parseLayout(JSON.stringify({ name: "V", layout: layoutOf(draft) }));
  assert.ok("layout" in imported && imported.layout.sections.length === 2, "a venue document's layout");
  assert.ok("layout" in parseLayout(JSON.stringify(layoutOf(draft))), "a bare layout");
  assert.ok("error" in parseLayout("{"));
  assert.ok("error" in parseLayout("{\"sections\": 3}"));
});
