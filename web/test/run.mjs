// Bundles test/unit_test.ts for Node with esbuild and runs it.
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const here = new URL(".", import.meta.url).pathname;
const dir = mkdtempSync(path.join(os.tmpdir(), "monipaikka-web-test-"));
const out = path.join(dir, "unit_test.mjs");
try {
  await build({
    entryPoints: [path.join(here, "unit_test.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: out,
    logLevel: "warning",
    // The page modules import React components; stub the DOM-only globals
    // they touch at import time.
    banner: { js: "globalThis.window = globalThis.window ?? { localStorage: { getItem() { return null; }, setItem() {} }, sessionStorage: { getItem() { return null; }, setItem() {}, removeItem() {} }, location: { origin: 'http://127.0.0.1', hash: '' }, addEventListener() {}, removeEventListener() {} };" },
    loader: { ".css": "empty" },
  });
  await import(pathToFileURL(out).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
