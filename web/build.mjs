// Bundles the dashboard into dist/: index.html and assets/app-<hash>.js and
// .css (named by content, so the server may let browsers cache them).
// Everything is local: no CDN, no web fonts.
import { build } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const here = new URL(".", import.meta.url).pathname;
const out = process.env.WEB_DIST || `${here}dist`;
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/assets`, { recursive: true });
const result = await build({
  entryNames: "[name]-[hash]",
  metafile: true,
  entryPoints: { app: `${here}src/main.tsx` },
  bundle: true,
  minify: true,
  sourcemap: false,
  target: ["chrome100", "firefox100", "safari15"],
  outdir: `${out}/assets`,
  define: { "process.env.NODE_ENV": '"production"', "process.env.SC_DISABLE_SPEEDY": "false" },
  legalComments: "linked",
  logLevel: "warning",
});
const outputs = Object.keys(result.metafile.outputs).map((f) => path.basename(f));
const js = outputs.find((f) => /^app-.*\.js$/.test(f));
const css = outputs.find((f) => /^app-.*\.css$/.test(f));
if (!js || !css) throw new Error(`bundle outputs: ${outputs.join(", ")}`);
const html = readFileSync(`${here}index.html`, "utf8")
  .replace("assets/app.css", `assets/${css}`)
  .replace("assets/app.js", `assets/${js}`);
writeFileSync(`${out}/index.html`, html);
console.log(`web: built ${out}`);
