// Measures the docs widget against its budgets (below), in headless Chromium: run after
// scripts/build-web (`node scripts/measure-embed.mjs`).
//   - bytes: everything each example page loads, gzipped (-9), against 150 KB;
//   - first paint with commands: navigation to the end of the first frame with a widget's
//     commands (embed.js marks "influxctl-admin-shown"), against this machine's floor in the
//     same run: the same page's HTML, CSS and the site's own script, with embed.js replaced
//     by a module that only marks the end of the first frame. Budget: floor + 50 ms. Cold: a
//     new context per run. In two views: 1280 x 720 (Playwright's default), where the first
//     widget of both pages is just below the view (within a screen, so the page's first frame
//     holds it), and 1400 x 1000 (the browser tests' view), where it is in view, as it is on
//     a docs page whose widget a reader came for.

import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./static-server.mjs";

const site = process.env.SITE ?? fileURLToPath(new URL("../target/site/", import.meta.url));
const RUNS = Number(process.env.RUNS ?? 9);
const PAGES = ["docs-site-example.html", "embed-example.html"];

// Both marks at the end of the frame (the task after it), as the editor's page and its floor
// mark "editor-shown" (scripts/measure-web.mjs): the first frame's own style, layout and paint
// count on both sides. (Marked at the frame's start instead, the floor left out the page's
// first frame, which the widget's frame waits for, and the widget's frame was left out.)
const mark = 'requestAnimationFrame(() => setTimeout(() => performance.mark("influxctl-admin-shown"), 0));';
const extra = { "/__floor/mark.js": mark };
for (const path of PAGES) {
  const html = readFileSync(join(site, path), "utf8");
  const floor = html.replace(/<script type="module"( async)?( blocking="render")? src="embed.js"><\/script>/, '<script type="module" src="/__floor/mark.js"></script>')
    .replace(/<link rel="(modulepreload|preload)"[^>]*>\n?/g, "");
  if (floor === html) throw new Error(`${path}: no embed.js script to replace`);
  extra[`/__floor/${path}`] = floor;
}
// Served as a static host serves them (cacheable); each run is a new context, so nothing is
// cached yet (with no-store, Chromium fetches a preloaded stylesheet twice).
const server = await serve(site, 0, { extra, cache: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const VIEWS = [{ width: 1280, height: 720 }, { width: 1400, height: 1000 }];

async function shownAt(url, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  // Nothing of the harness runs in the page while it starts: Playwright's first evaluate
  // installs its utility script, which costs the page's main thread tens of milliseconds.
  // The page's own mark says when it was shown; it is read once the page has loaded.
  await page.goto(url, { waitUntil: "load" });
  for (;;) {
    await sleep(100);
    const at = await page.evaluate(() => ["influxctl-admin-core-loaded", "influxctl-admin-drawn", "influxctl-admin-shown"]
      .map((name) => performance.getEntriesByName(name)[0]?.startTime));
    if (at[2] !== undefined && (at[0] !== undefined || url.includes("/__floor/"))) {
      await context.close();
      return { loaded: at[0], drawn: at[1], shown: at[2] };
    }
  }
}

for (const path of PAGES) {
  const page = await browser.newPage();
  const urls = new Set();
  page.on("request", (r) => urls.add(new URL(r.url()).pathname));
  await page.goto(`${server.url}${path}`);
  await page.waitForFunction(() => performance.getEntriesByName("influxctl-admin-shown").length > 0);
  await page.close();
  let gzipped = 0;
  for (const p of urls) gzipped += gzipSync(readFileSync(join(site, p.slice(1))), { level: 9 }).length;
  console.log(`${path}: loads ${(gzipped / 1000).toFixed(1)} KB gzipped (${urls.size} files; budget 150 KB)`);
  for (const viewport of VIEWS) {
    const widget = [];
    const floor = [];
    const phases = [];
    for (let run = 0; run < RUNS; run++) {
      floor.push((await shownAt(`${server.url}__floor/${path}`, viewport)).shown);
      phases.push(await shownAt(`${server.url}${path}`, viewport));
      widget.push(phases.at(-1).shown);
    }
    const [w, f] = [median(widget), median(floor)];
    // Each widget run against the floor run just before it: how much the figure moves with the
    // machine (a busy 2-core machine moves it by tens of milliseconds).
    const paired = widget.map((at, run) => at - floor[run]).sort((a, b) => a - b);
    const quartile = (q) => paired[Math.floor((paired.length - 1) * q)].toFixed(0);
    console.log(`    in a ${viewport.width} x ${viewport.height} view: first frame with commands ${w.toFixed(0)} ms, floor ${f.toFixed(0)} ms: floor + ${(w - f).toFixed(0)} ms ` +
      `(budget floor + 50 ms; medians of ${RUNS} cold runs; run by run, floor + ${quartile(0.25)}..${quartile(0.75)} ms for the middle half)`);
    // Where the time goes: when the first commands were drawn (the build's default views
    // need no core; other values wait for it), when the frame showing them ended, and when
    // the core had loaded (modules fetched and run, the wasm fetched and compiled).
    const at = (f) => median(phases.map(f)).toFixed(0);
    console.log(`        the first commands drawn at ${at((p) => p.drawn)} ms, shown at ${at((p) => p.shown)} ms; the core loaded at ${at((p) => p.loaded)} ms (medians)`);
  }
}
await browser.close();
await server.close();
