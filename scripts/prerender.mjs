// Makes ahead of time, with the core the pages load (the WebAssembly module in www/pkg/, run
// here by Node), the core's answers a page needs before its core has loaded or would ask for
// first. SITE/prerendered.js: the docs widget's default views, made with the widget's own code
// (www/widget-model.js), each procedure and method and the profile with no attribute given and
// no placeholder edited; a widget whose values are these draws at once, before its core has
// loaded (tests/web/embed.test.mjs checks the loaded core draws the same).
// SITE/editor/prerendered.js: what the editor starts with, the schema, the view of an empty
// file and the core's version (its first three calls, which would compile their code in the
// core on the way to the first paint; the editor warms the core up once shown).
// Usage: node scripts/prerender.mjs SITE   (scripts/build-web passes target/site)

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as core from "../www/core.js";
import { FIELDS, fieldsOf, viewKey, viewOf } from "../www/widget-model.js";

const [site] = process.argv.slice(2);
if (!site) throw new Error("usage: node scripts/prerender.mjs SITE");

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
const editor = { schema: core.schema(), emptyView: core.view(""), version: core.version() };

for (const [path, value, what] of [
  ["prerendered.js", views, `${Object.keys(views).length} default widget views`],
  ["editor/prerendered.js", editor, "the editor's schema, empty view and core version"],
]) {
  const text = `export default ${JSON.stringify(value)};\n`;
  writeFileSync(join(site, path), text);
  console.log(`    ${join(site, path)}: ${what}, made ahead (${text.length} bytes)`);
}
