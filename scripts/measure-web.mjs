// Measures the browser faces against the budgets of design §5, in headless Chromium, with
// the page's own Performance API marks (editor.js measures "open-file", "render" and
// "edit"), and prints the figures. Run through scripts/measure-web (which builds first).
//   - bytes: everything the editor page and the docs widget example load, gzipped (-9);
//   - start: navigation to the editor ready (wasm loaded, first render), plus opening a
//     100-profile config.toml (read, parse, lint, render); cold (a new browser context,
//     nothing cached) and warm (files cached, as a static host allows: Chromium then also
//     reuses the compiled wasm);
//   - edit: one field edit on that config, re-lint and re-render (median and worst of 20).

import { gzipSync } from "node:zlib";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./static-server.mjs";

// The built site (scripts/build-web), as deployed: minified JavaScript and CSS.
const www = fileURLToPath(new URL("../target/site/", import.meta.url));
const RUNS = Number(process.env.RUNS ?? 10);

/** A config with `count` profiles in the documentation's style (comments, sub-tables). */
export function bigConfig(count) {
  let text = "## influxctl profiles\n";
  for (let i = 0; i < count; i++) {
    text += `\n[[profile]]\n    ## cluster ${i}\n    name = "cluster-${i}"\n    product = "clustered"\n    host = "cluster-${i}.example.com" # region ${i % 7}\n    port = "443"\n\n    [profile.auth.token]\n        token_file = "/home/ops/.config/influxctl/token-${i}.json"\n`;
  }
  return text;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;

const server = await serve(www);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const configPath = join(mkdtempSync(join(tmpdir(), "measure-web-")), "config.toml");
writeFileSync(configPath, bigConfig(100));

async function pageBytes(path) {
  const page = await browser.newPage();
  const urls = new Set();
  page.on("request", (r) => urls.add(new URL(r.url()).pathname));
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector(path === "index.html" ? "body[data-ready]" : "influxctl-admin-procedure .command");
  await page.close();
  let raw = 0;
  let gzipped = 0;
  const rows = [...urls].map((p) => {
    const body = readFileSync(join(www, p === "/" ? "index.html" : p.slice(1)));
    const gz = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gzipped += gz;
    return `    ${p.padEnd(34)} ${String(body.length).padStart(7)} bytes, ${String(gz).padStart(6)} gzipped`;
  });
  return { rows, raw, gzipped };
}

for (const path of ["index.html", "embed-example.html"]) {
  try {
    const { rows, raw, gzipped } = await pageBytes(path);
    console.log(`${path}: everything it loads, ${raw} bytes, ${(gzipped / 1024).toFixed(1)} KiB gzipped (budget 150 KB)`);
    console.log(rows.join("\n"));
  } catch (err) {
    console.log(`${path}: not measured (${err.message.split("\n")[0]})`);
  }
}

const ready = [];
const coreLoaded = [];
const opened = [];
const edits = [];
for (let run = 0; run < RUNS; run++) {
  const page = await browser.newPage();
  await page.goto(`${server.url}index.html`);
  await page.waitForSelector("body[data-ready]");
  ready.push(await page.evaluate(() => performance.getEntriesByName("editor-ready")[0].startTime));
  coreLoaded.push(await page.evaluate(() => performance.getEntriesByName("core-loaded")[0].startTime));
  await page.getByLabel("Open file…").setInputFiles(configPath);
  await page.waitForFunction(() => performance.getEntriesByName("open-file").length > 0);
  opened.push(await page.evaluate(() => performance.getEntriesByName("open-file")[0].duration));
  if (run === 0) {
    await page.getByRole("listbox", { name: "Profiles" }).getByRole("option", { name: /^cluster-50\b/ }).click();
    for (let i = 0; i < 20; i++) {
      const host = page.getByRole("textbox", { name: "Host", exact: true });
      await host.fill(`edited-${i}.example.com`);
      await host.press("Tab");
    }
    await page.waitForFunction(() => performance.getEntriesByName("edit").length >= 20);
    edits.push(...await page.evaluate(() => performance.getEntriesByName("edit").map((e) => e.duration)));
  }
  await page.close();
}
// Warm: one context, files cacheable; the first load fills the caches.
const cached = await serve(www, 0, { cache: true });
const context = await browser.newContext();
const warm = [];
for (let run = 0; run <= RUNS; run++) {
  const page = await context.newPage();
  await page.goto(`${cached.url}index.html`);
  await page.waitForSelector("body[data-ready]");
  if (run > 0) warm.push(await page.evaluate(() => performance.getEntriesByName("editor-ready")[0].startTime));
  await page.close();
}
await context.close();
await cached.close();
console.log(`start, warm (cached files and compiled wasm): navigation to the editor ready ${fmt(median(warm))} (median of ${RUNS})`);
console.log(`start: navigation to the core loaded ${fmt(median(coreLoaded))}, to the editor ready ${fmt(median(ready))} (medians of ${RUNS}), opening 100 profiles ${fmt(median(opened))}: ${fmt(median(ready) + median(opened))} in all (budget 100 ms)`);
console.log(`edit: one field edit + re-lint + re-render of 100 profiles, median ${fmt(median(edits))}, worst ${fmt(Math.max(...edits))} of ${edits.length} (budget 16 ms)`);
await browser.close();
await server.close();
