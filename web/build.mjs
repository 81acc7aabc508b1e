// Bundles the dashboard into dist/: index.html, assets/app.js, assets/app.css.
// Everything is local: no CDN, no web fonts.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";

const here = new URL(".", import.meta.url).pathname;
const out = process.env.WEB_DIST || `${here}dist`;
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/assets`, { recursive: true });
await build({
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
copyFileSync(`${here}index.html`, `${out}/index.html`);
console.log(`web: built ${out}`);
