// Shared by build.mjs and test/run.mjs: finding the tools and the packages, whether they
// came from npm (node_modules) or from Debian (/usr/share/nodejs, /usr/bin).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const webDir = dirname(fileURLToPath(import.meta.url));

// What the app and its type-check need. Debian ships these as node-react, node-react-dom,
// node-typescript, node-csstype and node-prop-types.
const packages = [
  "react", "react-dom", "scheduler", "csstype", "prop-types",
  "@types/react", "@types/react-dom", "@types/scheduler", "@types/prop-types",
];
const debianModules = "/usr/share/nodejs";

/** Links Debian's packages into web/node_modules when npm has not installed them. */
export function ensureModules() {
  for (const name of packages) {
    const target = join(webDir, "node_modules", name);
    if (existsSync(target)) continue;
    const source = join(debianModules, name);
    if (!existsSync(source)) {
      throw new Error(`${name} is missing: run "npm install" in web/, or install Debian's node-react, ` +
        "node-react-dom, node-typescript, node-csstype, node-prop-types and esbuild.");
    }
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(source, target);
  }
}

/** The path of a command-line tool: npm's copy first, then the system's. */
export function tool(name) {
  const local = join(webDir, "node_modules", ".bin", name);
  return existsSync(local) ? local : name;
}

/** Runs a tool in web/, printing its output, and throws when it fails. */
export function run(name, args) {
  try {
    execFileSync(tool(name), args, { cwd: webDir, stdio: "inherit" });
  } catch (error) {
    // The tool has printed why; stop without a Node stack trace on top.
    console.error(error.code === "ENOENT" ? `${name} is not installed (see web/package.json)` : `web: ${name} failed`);
    process.exit(1);
  }
}
