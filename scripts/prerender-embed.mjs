// Makes the docs widget's default views ahead of time, with the core the page loads (the
// WebAssembly module in www/pkg/, run here by Node) and the widget's own code
// (www/widget-model.js): each procedure and method, and the profile, with no attribute
// given and no placeholder edited. A widget whose values are these draws at once, before its
// core has loaded, then uses the core for any other values; tests/web/embed.test.mjs checks
// that the loaded core draws the same.
// Usage: node scripts/prerender-embed.mjs OUT.js   (scripts/build-web writes target/site/prerendered.js)

import { readFileSync, writeFileSync } from "node:fs";
import * as core from "../www/core.js";
import { FIELDS, fieldsOf, viewKey, viewOf } from "../www/widget-model.js";

const [out] = process.argv.slice(2);
if (!out) throw new Error("usage: node scripts/prerender-embed.mjs OUT.js");

await core.load(readFileSync(new URL("../www/pkg/influxctl_admin_bg.wasm", import.meta.url)));

const widgets = [
  ...core.procedures().map(({ procedure, method }) => ["procedure", { procedure, method: method ?? undefined }]),
  ["profile", {}],
];
const views = {};
for (const [kind, attrs] of widgets) {
  const values = Object.fromEntries(fieldsOf(kind, attrs).map((field) => [field, FIELDS[field].fallback]));
  const view = viewOf(core, kind, attrs, values);
  if (view.error) throw new Error(`the default ${kind} ${JSON.stringify(attrs)} fails: ${view.error.shown}`);
  views[viewKey(kind, attrs, values)] = view;
}
writeFileSync(out, `export default ${JSON.stringify(views)};\n`);
console.log(`    ${out}: ${Object.keys(views).length} default views made ahead (${JSON.stringify(views).length} bytes)`);
