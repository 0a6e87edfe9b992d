// What the browser tests share: the static server for the built site (target/site/, what
// scripts/build-web makes of www/: what is deployed), Debian's Chromium driven by
// playwright-core, the real influxctl-admin binary to compare against, generated tokens,
// and screenshots kept as artifacts (tests/web/artifacts/, one per stage and theme).

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/static-server.mjs";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const artifacts = join(root, "tests/web/artifacts");
export const fixtures = join(root, "tests/fixtures/configs");
mkdirSync(artifacts, { recursive: true });

// Without the background-networking flags,
// Chromium tries to reach Google's hosts, which this closed network refuses.
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions"];

export async function startBrowser() {
  const server = await serve(join(root, "target/site"));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  return { server, browser, close: async () => { await browser.close(); await server.close(); } };
}

/**
 * A page of `url` in `scheme` that records what a test must check afterwards: every
 * request's URL, every console message and page error, and CSP violations. `ready` is a
 * selector to wait for, or a function of the page that waits; `waitUntil` is the navigation's (Playwright's).
 */
export async function openPage(browser, url, { scheme = "light", viewport = { width: 1400, height: 1000 }, ready = "body[data-ready]", setUp, waitUntil = "load" } = {}) {
  const context = await browser.newContext({ colorScheme: scheme, viewport, acceptDownloads: true });
  await setUp?.(context); // before the first request: routes, for instance
  const page = await context.newPage();
  const seen = { requests: [], console: [], errors: [] };
  page.on("request", (r) => seen.requests.push(r.url()));
  page.on("console", (m) => seen.console.push(m.text()));
  page.on("pageerror", (e) => seen.errors.push(e.message));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url, { waitUntil });
  if (typeof ready === "function") await ready(page);
  else await page.waitForSelector(ready);
  return { page, context, seen };
}

/**
 * Waits until every docs widget of the page is drawn (its commands, or its error): those out
 * of view are drawn when they come near it or the page is idle (www/embed.js).
 */
export const widgetsDrawn = (page) => page.waitForFunction(() =>
  [...document.querySelectorAll("influxctl-admin-procedure, influxctl-admin-profile")].every((host) => host.shadowRoot?.querySelector("section")));

/**
 * Holds a page's idle callbacks (a `setUp` for openPage): the page's work for when it is
 * idle waits until `runIdle(page)` lets it run.
 */
export const holdIdle = (context) => context.addInitScript(() => {
  window.heldIdle = [];
  window.requestIdleCallback = (callback) => window.heldIdle.push(callback);
});
export const runIdle = (page) =>
  page.evaluate(() => window.heldIdle.splice(0).forEach((callback) => callback({ didTimeout: false, timeRemaining: () => 50 })));

/** Requests that left the page's origin (data: and blob: URLs stay in the page). */
export function foreignRequests(seen, origin) {
  return seen.requests.filter((u) => !u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:"));
}

/** Retries `check` (which throws until it holds) for up to `ms`: pages update asynchronously. */
export async function eventually(check, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export async function shot(page, name) {
  // As a person scrolling through the page sees it: the editor draws what is below the first
  // screen only when it comes near the view (content-visibility), so the view is made as
  // tall as the page for the shot (until the page's height settles), then put back.
  const viewport = page.viewportSize();
  const scrolled = await page.evaluate(() => window.scrollY);
  for (let i = 0; i < 3; i++) {
    const height = await page.evaluate(() => new Promise((done) =>
      requestAnimationFrame(() => requestAnimationFrame(() => done(document.documentElement.scrollHeight)))));
    if (height <= page.viewportSize().height) break;
    await page.setViewportSize({ width: viewport.width, height });
  }
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  await page.setViewportSize(viewport);
  await page.evaluate((y) => window.scrollTo(0, y), scrolled);
}

/** Runs the real influxctl-admin binary (built by scripts/test) and returns its stdout. */
export function cli(args, { home } = {}) {
  const bin = process.env.INFLUXCTL_ADMIN ?? join(root, "target/debug/influxctl-admin");
  return execFileSync(bin, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HOME: home ?? tempDir(), NO_COLOR: "1" } });
}

export function tempDir() {
  return mkdtempSync(join(tmpdir(), "influxctl-admin-web-"));
}

/** A config file with `text` in a fresh directory, for the CLI to edit. */
export function configFile(text) {
  const path = join(tempDir(), "config.toml");
  writeFileSync(path, text);
  return path;
}

export const readText = (path) => readFileSync(path, "utf8");
export const readBytes = (path) => readFileSync(path);

const b64url = (value) => Buffer.from(value).toString("base64url");

/** A freshly generated admin token file (JSON with a JWT inside, as the cluster's job writes it). */
export function makeToken({ exp = Math.floor(Date.now() / 1000) + 86400 * 365 } = {}) {
  const jwt = [
    b64url(JSON.stringify({ alg: "RS256", kid: randomBytes(8).toString("hex"), typ: "JWT" })),
    b64url(JSON.stringify({ iss: "https://token-management.influxdb.svc", sub: "admin", aud: "influxdb", iat: Math.floor(Date.now() / 1000), exp, jti: randomBytes(16).toString("hex") })),
    b64url(randomBytes(256)),
  ].join(".");
  const file = JSON.stringify({ access_token: jwt, token_type: "Bearer", expiry: "0001-01-01T00:00:00Z" });
  return { jwt, exp, file: Buffer.from(file), signature: jwt.split(".")[2] };
}

/** `kubectl get secret admin-token -n NAMESPACE -o json` for `tokenFile`. */
export function secretJson(tokenFile, namespace = "influxdb") {
  return JSON.stringify({
    apiVersion: "v1", kind: "Secret", type: "Opaque",
    metadata: { name: "admin-token", namespace, resourceVersion: "4242", uid: "3b4f0e7c-1f1e-4d8e-9a51-6a0a9c1c2d3e" },
    data: { token: tokenFile.toString("base64") },
  }, null, 4);
}
