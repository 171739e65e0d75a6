// Type-checks the app and bundles it into Sources/MarqueeServer/Public, the folder the
// server serves (the bundle is committed so that `swift run` needs no Node).
//   node build.mjs          build and replace the committed bundle
//   node build.mjs --check  build into a temporary folder and fail if the committed
//                           bundle differs (it is stale against web/)
import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { ensureModules, run, webDir } from "./tools.mjs";

const committed = join(webDir, "..", "Sources", "MarqueeServer", "Public");
const check = process.argv.includes("--check");

ensureModules();
run("tsc", ["-p", ".", "--noEmit"]);

const out = mkdtempSync(join(tmpdir(), "marquee-web-"));
try {
  bundle(out);
  if (check) {
    const differences = compare(out, committed);
    if (differences.length > 0) {
      console.error("The committed web bundle is stale against web/ (run scripts/build-web):");
      for (const line of differences) console.error(`  ${line}`);
      process.exitCode = 1;
    } else {
      console.log("web: the committed bundle matches web/");
    }
  } else {
    rmSync(committed, { recursive: true, force: true });
    cpSync(out, committed, { recursive: true });
    chmodSync(committed, 0o755); // mkdtemp made it private
    console.log(`web: bundle written to ${relative(process.cwd(), committed) || committed}`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

function bundle(into) {
  const meta = join(into, "..", `${basename(into)}.meta.json`);
  run("esbuild", [
    "src/main.tsx",
    "--bundle",
    // web/node_modules may be links to Debian's /usr/share/nodejs: resolve from the links.
    "--preserve-symlinks",
    "--minify",
    "--format=esm",
    "--target=es2020",
    "--jsx=automatic",
    "--legal-comments=none",
    "--define:process.env.NODE_ENV=\"production\"",
    `--outdir=${join(into, "assets")}`,
    "--entry-names=app-[hash]",
    `--metafile=${meta}`,
    "--log-level=warning",
  ]);
  const outputs = JSON.parse(readFileSync(meta, "utf8")).outputs;
  rmSync(meta);
  const entry = Object.entries(outputs).find(([, output]) => output.entryPoint === "src/main.tsx");
  if (!entry) throw new Error("esbuild produced no bundle for src/main.tsx");
  const [script, { cssBundle }] = entry;
  if (!cssBundle) throw new Error("esbuild produced no stylesheet (src/main.tsx imports styles.css)");
  const assetPath = (file) => `/assets/${basename(file)}`;
  const html = readFileSync(join(webDir, "index.html"), "utf8")
    .replace("%SCRIPT%", assetPath(script))
    .replace("%STYLESHEET%", assetPath(cssBundle));
  writeFileSync(join(into, "index.html"), html);
  cpSync(join(webDir, "public"), into, { recursive: true });
}

function compare(built, existing) {
  const a = listFiles(built);
  const b = listFiles(existing);
  const differences = [];
  for (const file of a) {
    if (!b.includes(file)) differences.push(`missing: ${file}`);
    else if (!readFileSync(join(built, file)).equals(readFileSync(join(existing, file)))) differences.push(`differs: ${file}`);
  }
  for (const file of b) if (!a.includes(file)) differences.push(`not built from web/: ${file}`);
  return differences;
}

function listFiles(root, prefix = "") {
  let files = [];
  let names = [];
  try { names = readdirSync(join(root, prefix)); } catch { return files; }
  for (const name of names.sort()) {
    const path = join(prefix, name);
    if (statSync(join(root, path)).isDirectory()) files = files.concat(listFiles(root, path));
    else files.push(path);
  }
  return files;
}
