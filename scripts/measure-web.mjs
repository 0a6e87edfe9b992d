// Measures the browser faces against their budgets, in headless Chromium, with
// the page's own Performance API marks (editor.js measures "open-file", "render" and
// "edit"), and prints the figures. Run through scripts/measure-web (which builds first).
//   - bytes: everything the editor page and the docs widget example load, gzipped (-9);
//   - start: navigation to the editor ready (wasm loaded, first render), plus opening a
//     100-profile config.toml (read, parse, lint, render) once the page has done its work
//     for after the start, and 200 ms after it is shown; cold (a new browser context,
//     nothing cached) and warm (files cached, as a static host allows: Chromium then also
//     reuses the compiled wasm);
//   - edit: 20 field edits and 20 characters typed in the source, each to the next frame, on
//     that config and on a 2-profile one (cost per edit against file size); and the work a
//     field edit leaves for when the page is idle (the source's textarea taking the edit).

import { gzipSync } from "node:zlib";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./static-server.mjs";
import { bigConfig } from "./big-config.mjs";

// The built site (scripts/build-web), as deployed: minified JavaScript and CSS.
const www = fileURLToPath(new URL("../target/site/", import.meta.url));
const RUNS = Number(process.env.RUNS ?? 10);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;

// Reference pages for the floor (see below), marking "editor-shown" as editor.js does.
const mark = 'requestAnimationFrame(() => setTimeout(() => performance.mark("editor-shown"), 0));\n';
const editorHtml = readFileSync(join(www, "index.html"), "utf8");
const floorPages = {
  "/__floor/mark.js": mark,
  "/__floor/empty.html": '<!doctype html><html lang="en"><meta charset="utf-8"><title>empty</title><p>Nothing here.</p><script type="module" src="/__floor/mark.js"></script></html>',
  "/__floor/static.html": editorHtml
    .replace(/<script type="module"( async)? src="editor.js"><\/script>/, '<script type="module" src="/__floor/mark.js"></script>')
    .replace(/<link rel="(modulepreload|preload)"[^>]*>\n?/g, "")
    .replace(/<link rel="stylesheet" href="([^"]+)">/g, '<link rel="stylesheet" href="/$1">'),
};
if (floorPages["/__floor/static.html"].includes('src="editor.js"')) throw new Error("index.html changed: update the floor page");
// Served as a static host serves them (cacheable); each cold run is a new context, so nothing
// is cached yet (with no-store, Chromium fetches a preloaded stylesheet twice).
const server = await serve(www, 0, { extra: floorPages, cache: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const configPath = join(mkdtempSync(join(tmpdir(), "measure-web-")), "config.toml");
writeFileSync(configPath, bigConfig(100));

/** Sizes of the site's files at these paths: rows, raw and gzipped totals. */
function sizes(paths) {
  let raw = 0;
  let gzipped = 0;
  const rows = paths.map((p) => {
    const body = readFileSync(join(www, p === "/" ? "index.html" : p.slice(1)));
    const gz = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gzipped += gz;
    return `    ${p.padEnd(42)} ${String(body.length).padStart(7)} bytes, ${String(gz).padStart(6)} gzipped`;
  });
  return { rows, raw, gzipped };
}
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB (${(bytes / 1024).toFixed(1)} KiB)`;

/**
 * What a page loads: what it requested before its first paint with content (`shown`, a
 * performance mark: the editor shown, a widget's commands), by the page's own resource
 * timing, then everything once `loaded` (the editor's Secret reader follows the paint).
 */
async function pageBytes(path, shown, loaded) {
  const page = await browser.newPage();
  await page.goto(`${server.url}${path}`);
  await page.waitForFunction(loaded);
  await page.waitForLoadState("networkidle");
  const { before, after } = await page.evaluate(async (mark) => {
    while (!performance.getEntriesByName(mark).length) await new Promise((r) => setTimeout(r, 5));
    const at = performance.getEntriesByName(mark)[0].startTime;
    const resources = performance.getEntriesByType("resource");
    const path = (e) => new URL(e.name).pathname;
    return { before: resources.filter((e) => e.startTime < at).map(path), after: resources.filter((e) => e.startTime >= at).map(path) };
  }, shown);
  await page.close();
  const first = [`/${path}`, ...new Set(before)];
  return { firstPaint: sizes(first), all: sizes([...first, ...new Set(after)]), later: [...new Set(after)] };
}

for (const [path, shown, loaded] of [
  ["index.html", "editor-shown", () => document.body.dataset.loaded],
  ["embed-example.html", "influxctl-admin-shown", () => performance.getEntriesByName("influxctl-admin-shown").length > 0],
]) {
  try {
    const { firstPaint, all, later } = await pageBytes(path, shown, loaded);
    console.log(`${path}: its first paint loads ${firstPaint.raw} bytes, ${kb(firstPaint.gzipped)} gzipped (budget 150 KB)`);
    console.log(firstPaint.rows.join("\n"));
    if (later.length) {
      console.log(`  then ${later.join(", ")}: everything it loads ${all.raw} bytes, ${kb(all.gzipped)} gzipped`);
    }
  } catch (err) {
    console.log(`${path}: not measured (${err.message.split("\n")[0]})`);
  }
}

// Nothing of the harness runs in a page while it starts (it loads with `waitUntil: "load"`
// and the harness reads the page's own marks afterwards): Playwright's first evaluate
// installs its utility script and its selector engine, which cost the page's main thread
// tens of milliseconds here, and that is the harness's time, not the page's.
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
async function entry(page, name, field = "startTime") {
  for (;;) {
    const value = await page.evaluate(([n, f]) => performance.getEntriesByName(n)[0]?.[f], [name, field]);
    if (value !== undefined) return value;
    await sleep(50);
  }
}

const coreLoaded = [];
const ready = [];
const shown = [];
const opened = [];
const openedShown = [];
const openedSynced = [];
const edits = [];
const focusMoves = [];
const editsShown = [];
const synced = [];
const typed = [];

/**
 * 20 field edits (Host of the profile in the middle, then Tab) and 20 characters typed at
 * the end of the source, on the file open in `page`: each one's time to the next frame.
 */
async function editCosts(page) {
  const profiles = page.getByRole("listbox", { name: "Profiles" }).getByRole("option");
  await profiles.nth(Math.floor((await profiles.count()) / 2)).click();
  const host = page.getByRole("textbox", { name: "Host", exact: true });
  // One at a time: the harness's next fill (its selector engine restyles the page) must
  // not fall inside the frame being measured.
  await page.evaluate(() => ["edit", "edit-shown", "source-sync"].forEach((name) => performance.clearMeasures(name)));
  for (let i = 0; i < 20; i++) {
    await host.fill(`edited-${i}.example.com`);
    await host.press("Tab");
    await page.waitForFunction((n) => performance.getEntriesByName("source-sync").length >= n, i + 1);
  }
  const source = page.getByRole("textbox", { name: "config.toml", exact: true });
  await source.evaluate((t) => { t.focus(); t.setSelectionRange(t.value.length, t.value.length); });
  await page.evaluate(() => performance.clearMeasures("source-edit-shown"));
  for (let i = 0; i < 20; i++) {
    await page.keyboard.type("#");
    await page.waitForFunction((n) => performance.getEntriesByName("source-edit-shown").length >= n, i + 1);
  }
  const durations = (name) => page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
  // Moving the focus into the source and out of it (the Namespace field), 20 times each:
  // the focus() calls alone, which restyle what the focus changes.
  const focus = await page.evaluate(() => {
    const [source, other] = [document.getElementById("source"), document.getElementById("namespace")];
    const times = [];
    for (let i = 0; i < 20; i++) {
      other.focus({ preventScroll: true });
      document.body.getBoundingClientRect(); // nothing pending from the last move
      const started = performance.now();
      source.focus({ preventScroll: true });
      other.focus({ preventScroll: true });
      times.push(performance.now() - started);
    }
    return times;
  });
  return { form: await durations("edit"), formShown: await durations("edit-shown"), synced: await durations("source-sync"), typedShown: await durations("source-edit-shown"), focus };
}
// The floor: what this machine's Chromium takes for a page with nothing to do (one
// module script that marks), and for the editor's own HTML and CSS without its scripts.
// Measured between the editor's runs, so that both see the machine in the same state.
// Also the browser's own cost of the 100-profile text in a textarea (the source is one,
// holding the whole file): a bare textarea in the source's font and size, on the floor page,
// its value set, to the next frame. Chromium holds a textarea's text as a text node and a
// line break per line, all laid out: the least that opening the file can cost.
const floor = { empty: [], static: [], textarea: [] };
async function floorRun() {
  for (const [name, path] of [["empty", "__floor/empty.html"], ["static", "__floor/static.html"]]) {
    const page = await browser.newPage();
    await page.goto(`${server.url}${path}`, { waitUntil: "load" });
    await sleep(200);
    floor[name].push(await entry(page, "editor-shown"));
    if (name === "static") floor.textarea.push(await page.evaluate((text) => new Promise((done) => {
      const textarea = Object.assign(document.createElement("textarea"), { wrap: "off", spellcheck: false });
      textarea.style.cssText = 'font: 13px/19px ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre; width: 40rem; height: 24rem';
      document.body.prepend(textarea);
      document.body.getBoundingClientRect();
      const started = performance.now();
      textarea.value = text;
      requestAnimationFrame(() => setTimeout(() => done(performance.now() - started), 0));
    }), bigConfig(100)));
    await page.close();
  }
}
for (let run = 0; run < RUNS; run++) {
  await floorRun();
  const page = await browser.newPage();
  await page.goto(`${server.url}index.html`, { waitUntil: "load" });
  await sleep(200);
  shown.push(await entry(page, "editor-shown"));
  ready.push(await entry(page, "editor-ready"));
  coreLoaded.push(await entry(page, "core-loaded"));
  // The file is opened once the page has done what it does after its start (the core warmed
  // up, the Secret reader loaded, both when idle): a reader's file picker or drop takes
  // longer than that. (Opened sooner, the open shares the page with that work: see `early`.)
  await entry(page, "warmed-up");
  await entry(page, "secrets-loaded");
  const open = page.getByLabel("Open file…");
  await open.count(); // the selector engine is injected now, before the measured open
  await open.setInputFiles(configPath);
  openedShown.push(await entry(page, "open-file-shown", "duration"));
  opened.push(await entry(page, "open-file", "duration"));
  openedSynced.push(await entry(page, "source-sync-open", "duration"));
  if (run === 0) {
    const big = await editCosts(page);
    edits.push(...big.form);
    editsShown.push(...big.formShown);
    synced.push(...big.synced);
    typed.push(...big.typedShown);
    focusMoves.push(...big.focus);
  }
  await page.close();
}

// The same open 200 ms after the editor is shown, while it still warms up and loads its Secret
// reader: what a file dropped at once would cost.
const early = [];
for (let run = 0; run < Math.ceil(RUNS / 2); run++) {
  const page = await browser.newPage();
  await page.goto(`${server.url}index.html`, { waitUntil: "load" });
  await entry(page, "editor-shown");
  const open = page.getByLabel("Open file…");
  await open.count();
  await sleep(200);
  await open.setInputFiles(configPath);
  early.push(await entry(page, "open-file-shown", "duration"));
  await page.close();
}

// The same edits on a 2-profile file (22 lines): what an edit costs whatever the file's size.
const smallPath = join(dirname(configPath), "small.toml");
writeFileSync(smallPath, bigConfig(2));
const small = await (async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}index.html`);
  await page.waitForSelector("body[data-ready]");
  await page.getByLabel("Open file…").setInputFiles(smallPath);
  const costs = await editCosts(page);
  await page.close();
  return costs;
})();

// Warm: one context, files cacheable; the first load fills the caches.
const cached = await serve(www, 0, { cache: true });
const context = await browser.newContext();
const warm = [];
for (let run = 0; run <= RUNS; run++) {
  const page = await context.newPage();
  await page.goto(`${cached.url}index.html`, { waitUntil: "load" });
  await sleep(200);
  await entry(page, "editor-ready");
  if (run > 0) warm.push(await entry(page, "editor-ready"));
  await page.close();
}
await context.close();
await cached.close();
const lines = (text) => text.split("\n").length;
const floorShown = median(floor.static);
const vsFloor = (ms) => `${fmt(ms)} = floor + ${fmt(ms - floorShown)}`;
console.log(`machine: load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} (1, 5, 15 min) at the end; figures vary with it`);
console.log(`floor, this machine's Chromium (medians of ${RUNS}): navigation to shown for an empty page with one module script ${fmt(median(floor.empty))}; for the editor's HTML and CSS without its scripts ${fmt(floorShown)} (the floor below)`);
console.log(`start (medians of ${RUNS}): navigation to the core loaded ${fmt(median(coreLoaded))}, to the editor ready ${fmt(median(ready))}, shown (next frame) ${vsFloor(median(shown))} (budget floor + 50 ms)`);
console.log(`start, warm (cached files and compiled wasm): navigation to the editor ready ${fmt(median(warm))} (median of ${RUNS})`);
console.log(`open 100 profiles (${lines(bigConfig(100))} lines): ${fmt(median(opened))} (shown: ${fmt(median(openedShown))}); navigation to shown with them: ${vsFloor(median(shown) + median(openedShown))} (budget floor + 100 ms)`);
console.log(`    opened 200 ms after the editor is shown, while it still warms up (median of ${early.length}): shown ${fmt(median(early))}`);
console.log(`    after the frame, when the page is idle, the source's textarea takes the file (to the next frame): ${fmt(median(openedSynced))}`);
console.log(`    the same text set into a bare textarea (the source's font and size) on the floor page, to the next frame: ${fmt(median(floor.textarea))}`);
const editLine = (label, xs) => `${label}: median ${fmt(median(xs))}, worst ${fmt(Math.max(...xs))} of ${xs.length}`;
console.log(`edit to the next frame (budget 33 ms, median of 20), 100 profiles (${lines(bigConfig(100))} lines) against 2 profiles (${lines(bigConfig(2))} lines):`);
console.log(`    ${editLine("a field edit, 100 profiles", editsShown)} (the core's edit + re-lint + render alone: median ${fmt(median(edits))})`);
console.log(`    ${editLine("a field edit, 2 profiles  ", small.formShown)}`);
console.log(`    after the frame, when the page is idle, the source's textarea takes the field edit (to the next frame): ${editLine("100 profiles", synced)}; ${editLine("2 profiles", small.synced)}`);
console.log(`    ${editLine("a character typed in the source, 100 profiles", typed)}`);
console.log(`    ${editLine("a character typed in the source, 2 profiles  ", small.typedShown)}`);
console.log(`focus into the source and out again (the two focus() calls), 100 profiles against 2:`);
console.log(`    ${editLine("100 profiles", focusMoves)}`);
console.log(`    ${editLine("2 profiles  ", small.focus)}`);
await browser.close();
await server.close();
