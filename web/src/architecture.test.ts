// The web app's layout rules, checked on the sources: a feature never imports another
// feature (what two features share lives in components/ or lib/), and nothing shared
// imports a feature. Only app/ puts the features together.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";

const src = process.env.MARQUEE_WEB_SRC ?? "";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every relative import of `file`, as a path under src/ ("features/booking/SeatMap"). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/from "(\.[^"]+)"/g)].map((match) =>
    relative(src, normalize(join(dirname(file), match[1]))).split(sep).join("/"));
}

function featureOf(path: string): string | null {
  const parts = path.split("/");
  return parts[0] === "features" ? parts[1] : null;
}

test("the sources are found", () => {
  assert.ok(src !== "", "MARQUEE_WEB_SRC names web/src (test/run.mjs sets it)");
  assert.ok(sources(src).length > 20);
});

test("no feature imports another feature, and nothing shared imports a feature", () => {
  const broken: string[] = [];
  for (const file of sources(src)) {
    const path = relative(src, file).split(sep).join("/");
    const own = featureOf(path);
    if (path.startsWith("app/") || path === "main.tsx") continue;
    for (const target of importsOf(file)) {
      const other = featureOf(target);
      if (other !== null && other !== own) broken.push(`${path} imports ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});
