// Runs the unit tests (src/**/*.test.ts and .tsx) with Node's own test runner. Node cannot
// read TypeScript, so each test file is bundled with esbuild first.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ensureModules, run, webDir } from "../tools.mjs";

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return /\.test\.tsx?$/.test(name) ? [relative(webDir, path)] : [];
  });
}

ensureModules();
const files = testFiles(join(webDir, "src"));
if (files.length === 0) throw new Error("no unit tests found under web/src");
const out = mkdtempSync(join(tmpdir(), "marquee-web-tests-"));
try {
  run("esbuild", [
    ...files, "--bundle", "--preserve-symlinks", "--platform=node", "--format=cjs", "--jsx=automatic",
    "--target=node18", `--outdir=${out}`, "--out-extension:.js=.cjs", "--log-level=warning",
  ]);
  const built = readdirSync(out, { recursive: true }).filter((name) => name.endsWith(".test.cjs")).map((name) => join(out, name));
  // The architecture test reads the sources themselves, wherever the bundles run from.
  execFileSync(process.execPath, ["--test", ...built], {
    stdio: "inherit", env: { ...process.env, MARQUEE_WEB_SRC: join(webDir, "src") },
  });
} catch (error) {
  process.exitCode = error.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
