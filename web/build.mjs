// Bundles the dashboard into dist/: index.html, assets/app-<hash>.js and
// .css, assets/early-<hash>.js (a page's early data calls, see
// src/early.ts) and a chunk per page plus shared chunks in assets/chunks/ (all named
// by content, so the server may let browsers cache them; ES modules, so a
// page's chunk is fetched only when the page is opened). Every script and
// style sheet also gets a gzip copy beside it (<name>.gz), which the server
// sends to browsers that accept gzip. Everything is local: no CDN, no web
// fonts.
import { build } from "esbuild";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const here = new URL(".", import.meta.url).pathname;
const out = process.env.WEB_DIST || `${here}dist`;
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/assets`, { recursive: true });
const result = await build({
  entryNames: "[name]-[hash]",
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
  format: "esm",
  metafile: true,
  entryPoints: { app: `${here}src/main.tsx`, early: `${here}src/earlyStart.ts` },
  bundle: true,
  minify: true,
  sourcemap: false,
  target: ["chrome100", "firefox100", "safari15"],
  outdir: `${out}/assets`,
  define: { "process.env.NODE_ENV": '"production"', "process.env.SC_DISABLE_SPEEDY": "false" },
  legalComments: "linked",
  logLevel: "warning",
});
const assets = path.resolve(out, "assets");
const relative = (f) => path.relative(assets, path.resolve(f)).split(path.sep).join("/");
const outputs = Object.keys(result.metafile.outputs);
const entry = (name) => outputs.find((f) => new RegExp(`^${name}-[^/]*\\.js$`).test(relative(f)));
const js = entry("app");
const earlyJs = entry("early");
const css = outputs.find((f) => /^app-.*\.css$/.test(path.basename(f)));
if (!js || !earlyJs || !css) throw new Error(`bundle outputs: ${outputs.join(", ")}`);
// The chunks the entries import statically: fetched alongside them rather
// than after they have been read.
const preloads = [...new Set([earlyJs, js].flatMap((f) => result.metafile.outputs[f].imports))]
  .filter((i) => i.kind === "import-statement")
  .map((i) => relative(i.path))
  .filter((f, i, all) => all.indexOf(f) === i)
  .map((f) => `<link rel="modulepreload" href="assets/${f}">\n`)
  .join("");
const html = readFileSync(`${here}index.html`, "utf8")
  .replace("assets/app.css", `assets/${relative(css)}`)
  .replace('<script type="module" async src="assets/early.js"></script>', `${preloads}<script type="module" async src="assets/${relative(earlyJs)}"></script>`)
  .replace('<script src="assets/app.js"></script>', `<script type="module" src="assets/${relative(js)}"></script>`);
if (!html.includes(relative(js)) || !html.includes(relative(earlyJs))) {
  throw new Error("index.html names no assets/app.js or assets/early.js script");
}
writeFileSync(`${out}/index.html`, html);
for (const entry of readdirSync(assets, { recursive: true })) {
  const file = path.join(assets, String(entry));
  if (/\.(js|css)$/.test(file)) writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
}
console.log(`web: built ${out}`);
