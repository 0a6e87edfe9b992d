// The docs widget (www/embed.js) on the example docs page, in headless Chromium: every
// command it shows is the CLI's `plan … --docs` text for the same values, its whole script
// is `plan … --shell`, it follows the
// page's placeholders both ways, and the page's CSS and the widget's stay apart.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { cli, eventually, foreignRequests, holdIdle, openPage, runIdle, shot, startBrowser, widgetsDrawn } from "./harness.mjs";

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

const widget = (page, procedure, method) =>
  page.locator(`influxctl-admin-procedure[procedure="${procedure}"]${method ? `[method="${method}"]` : ""}`);

/**
 * The commands a widget shows, in order, as the lines of text they hold (a loop spans
 * several lines in one block; comment lines are notes, not commands).
 */
const commandsOf = async (locator) => (await locator.locator(".command pre").allTextContents()).flatMap((c) => c.split("\n"));

/** `influxctl-admin plan …` for these values, with `format` ("--docs" or "--shell"). */
function cliPlan(format, procedure, method, namespace, directory, keyGenJob) {
  const args = ["plan", procedure, format, "-n", namespace, "--token-file", `${directory}/token.json`, "--profile", "default"];
  if (method) args.push("--method", method);
  if (keyGenJob) args.push("--key-gen-job-name", keyGenJob);
  return cli(args);
}

/** The commands of `influxctl-admin plan … --docs`: the lines after `$ `. */
const cliCommands = (...args) => cliPlan("--docs", ...args).split("\n").filter((l) => l.startsWith("    $ ")).map((l) => l.slice(6));

async function open(scheme = "light", query = "") {
  const opened = await openPage(env.browser, `${env.server.url}embed-example.html${query}`, { scheme, ready: widgetsDrawn });
  return opened;
}

const WIDGETS = [["fetch", undefined], ["revoke", "current"], ["revoke", "original"], ["create", undefined]];

for (const scheme of ["light", "dark"]) {
  describe(`the example docs page, ${scheme}`, () => {
    test("every widget shows the CLI's commands, for several namespaces and directories", async () => {
      const { page, seen } = await open(scheme);
      await shot(page, `embed-${scheme}-1-loaded`);
      const cases = [["influxdb", "/home/you/.config/influxctl"], ["team-a", "/srv/influx tokens"], ["x1", "/"]];
      for (const [namespace, directory] of cases) {
        const fetch = widget(page, "fetch");
        await fetch.getByRole("textbox", { name: "Namespace (INFLUXDB_NAMESPACE)" }).fill(namespace);
        await fetch.getByRole("textbox", { name: "Directory (DIRECTORY_PATH)" }).fill(directory);
        for (const [procedure, method] of WIDGETS) {
          // The page's KEY_GEN_JOB names the key-gen job of both revoke methods.
          const keyGenJob = procedure === "revoke" ? "key-gen-abcde" : undefined;
          const dir = directory === "/" ? "" : directory;
          await eventually(async () => assert.deepEqual(
            await commandsOf(widget(page, procedure, method)),
            cliCommands(procedure, method, namespace, dir, keyGenJob),
            `${procedure} ${method ?? ""} in ${namespace}, ${directory}`));
        }
      }
      await shot(page, `embed-${scheme}-2-edited`);
      assert.deepEqual(foreignRequests(seen, env.server.url.slice(0, -1)), []);
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
      assert.deepEqual(seen.errors, []);
      await page.context().close();
    });
  });
}

test("the page's placeholders and the widgets follow each other", async () => {
  const { page } = await open();
  // The docs' own script changes a placeholder: every widget follows.
  await page.locator('var.code-placeholder[data-code-var="INFLUXDB_NAMESPACE"]').first().evaluate((node) => {
    node.textContent = "from-the-page";
    node.dispatchEvent(new Event("input"));
  });
  for (const [procedure, method] of WIDGETS) {
    const input = widget(page, procedure, method).getByRole("textbox", { name: "Namespace (INFLUXDB_NAMESPACE)" });
    await eventually(async () => assert.equal(await input.inputValue(), "from-the-page"));
    await eventually(async () => assert.match((await commandsOf(widget(page, procedure, method))).join("\n"), /--namespace from-the-page /));
  }

  // The reader types in a widget: every matching placeholder on the page follows, attribute and text.
  await widget(page, "create").getByRole("textbox", { name: "Namespace (INFLUXDB_NAMESPACE)" }).fill("typed-in-widget");
  const vars = await page.locator('var.code-placeholder[data-code-var="INFLUXDB_NAMESPACE"]').evaluateAll((nodes) =>
    nodes.map((n) => [n.getAttribute("data-code-var-value"), n.textContent]));
  assert.ok(vars.length >= 2);
  for (const pair of vars) assert.deepEqual(pair, ["typed-in-widget", "typed-in-widget"]);
  await widget(page, "revoke", "original").getByRole("textbox", { name: "Key-gen job (KEY_GEN_JOB)" }).fill("key-gen-x7k2p");
  assert.equal(await page.locator('var.code-placeholder[data-code-var="KEY_GEN_JOB"]').getAttribute("data-code-var-value"), "key-gen-x7k2p");
  assert.deepEqual(await commandsOf(widget(page, "revoke", "original")),
    cliCommands("revoke", "original", "typed-in-widget", "/home/you/.config/influxctl", "key-gen-x7k2p"));

  // Readable like the docs page: plain kubectl commands, no jq, the added steps marked; the
  // exact script one disclosure away, byte for byte the CLI's.
  const revoke = widget(page, "revoke", "current");
  const blocks = await revoke.locator(".command pre").allTextContents();
  assert.ok(blocks.every((b) => b.startsWith("kubectl ") && !b.includes("jq")), blocks.join("\n---\n"));
  assert.equal(await revoke.getByText("added to the docs").count(), 8);
  const script = revoke.getByLabel("The whole script", { exact: true });
  assert.equal(await script.isVisible(), false);
  await revoke.getByText(/^The whole script/).click();
  assert.equal(await script.textContent(), cliPlan("--shell", "revoke", "current", "typed-in-widget", "/home/you/.config/influxctl", "key-gen-x7k2p"));

  // Two widgets keep their own procedure: fetch shows one step, revoke thirteen.
  assert.equal(await widget(page, "fetch").locator(".steps > li").count(), 1);
  assert.equal(await widget(page, "revoke", "current").locator(".steps > li").count(), 13);
  await page.context().close();
});

test("an invalid value shows the core's error and renders no command", async () => {
  const { page } = await open();
  const revoke = widget(page, "revoke", "current");
  await revoke.getByRole("textbox", { name: "Namespace (INFLUXDB_NAMESPACE)" }).fill("Not A Namespace");
  await eventually(async () => assert.match(await revoke.getByRole("alert").innerText(), /namespace "Not A Namespace" is not a valid Kubernetes name/));
  assert.equal(await revoke.locator(".command").count(), 0);
  assert.equal(await revoke.getByRole("textbox", { name: "Key-gen job (KEY_GEN_JOB)" }).getAttribute("aria-invalid"), "false");
  assert.equal(await revoke.getByRole("textbox", { name: "Namespace (INFLUXDB_NAMESPACE)" }).getAttribute("aria-invalid"), "true");
  const fetch = widget(page, "fetch");
  await fetch.getByRole("textbox", { name: "Directory (DIRECTORY_PATH)" }).fill("/tmp/a\tb");
  await eventually(async () => assert.match(await fetch.getByRole("alert").innerText(), /control character/));
  assert.equal(await fetch.locator(".command").count(), 0);
  assert.equal(await fetch.getByRole("textbox", { name: "Namespace (INFLUXDB_NAMESPACE)" }).getAttribute("aria-invalid"), "false");
  await shot(page, "embed-light-invalid");
  await page.context().close();
});

test("the profile widget writes what profile add + use-token write", async () => {
  const { page } = await open();
  const profile = page.locator("influxctl-admin-profile");
  await profile.getByRole("textbox", { name: "Host (INFLUXDB_HOST)" }).fill("db.example.org");
  await profile.getByRole("textbox", { name: "Port (INFLUXDB_PORT)" }).fill("8443");
  const dir = await profile.getByRole("textbox", { name: "Directory (DIRECTORY_PATH)" }).inputValue();
  const shown = await profile.getByLabel("config.toml").innerText();
  const home = (await import("./harness.mjs")).tempDir();
  const config = `${home}/config.toml`;
  cli(["--config", config, "profile", "add", "default", "--product", "clustered", "--host", "db.example.org", "--port", "8443"], { home });
  cli(["--config", config, "profile", "use-token", "default", "--token-file", `${dir}/token.json`], { home });
  assert.equal(shown, (await import("node:fs")).readFileSync(config, "utf8"));
  await profile.getByRole("textbox", { name: "Port (INFLUXDB_PORT)" }).fill("99999");
  await eventually(async () => assert.match(await profile.getByRole("alert").innerText(), /invalid value "99999" for `port`/));
  await page.context().close();
});

test("the host page's CSS does not reach in, and the widget's does not leak out", async () => {
  const { page } = await open("light", "?hostile");
  await eventually(async () => assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("h1")).textTransform), "uppercase"));
  const inside = await widget(page, "fetch").locator(".command pre").first().evaluate((node) => {
    const s = getComputedStyle(node);
    return { transform: s.textTransform, color: s.color, spacing: s.letterSpacing, font: s.fontFamily };
  });
  assert.equal(inside.transform, "none");
  assert.notEqual(inside.color, "rgb(220, 20, 60)");
  assert.equal(inside.spacing, "normal");
  assert.doesNotMatch(inside.font, /Comic/);
  const button = await widget(page, "fetch").getByRole("button", { name: "Copy the whole script" }).evaluate((n) => getComputedStyle(n).backgroundColor);
  assert.notEqual(button, "rgb(255, 255, 0)");
  // The page's own code block keeps the page's look.
  assert.equal(await page.locator("article > pre").first().evaluate((n) => getComputedStyle(n).backgroundColor), "rgb(39, 40, 34)");
  await shot(page, "embed-light-hostile-css");
  await page.context().close();
});

test("copy buttons copy the exact script; render() works without custom elements", async () => {
  const { page, context } = await open();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.server.url.slice(0, -1) });
  await widget(page, "create").getByRole("button", { name: "Copy the whole script" }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, cliPlan("--shell", "create", undefined, "influxdb", "/home/you/.config/influxctl"));

  // A page without placeholders: the widget works on its own values.
  const result = await page.evaluate(async () => {
    for (const node of document.querySelectorAll("var.code-placeholder")) node.remove();
    const { render, ready } = await import("./embed.js");
    await ready();
    const box = document.body.appendChild(document.createElement("div"));
    const handle = render(box, { kind: "procedure", procedure: "fetch", namespace: "api-ns", directory: "/opt/tokens" });
    const lines = () => [...box.shadowRoot.querySelectorAll(".command pre")].flatMap((n) => n.textContent.split("\n"));
    const before = lines();
    handle.update({ namespace: "other-ns" });
    const after = lines();
    handle.dispose();
    return { before, after, empty: box.shadowRoot.childElementCount };
  });
  assert.deepEqual(result.before, cliCommands("fetch", undefined, "api-ns", "/opt/tokens"));
  assert.deepEqual(result.after, cliCommands("fetch", undefined, "other-ns", "/opt/tokens"));
  assert.equal(result.empty, 0);
  await page.context().close();
});

test("a widget whose core cannot load says so, in place of its commands", async () => {
  const { page, context } = await openPage(env.browser, `${env.server.url}embed-example.html`, {
    ready: "influxctl-admin-procedure [role=alert]:not([hidden])",
    setUp: (c) => c.route(/influxctl_admin_bg\.wasm$/, (route) => route.abort()),
  });
  const alert = widget(page, "fetch").getByRole("alert");
  assert.match(await alert.innerText(), /^influxctl-admin could not load its WebAssembly core: .+/);
  assert.equal(await widget(page, "fetch").locator(".command").count(), 0);
  await context.close();
});

/**
 * Opens the example page with its wasm held back until `release()`: the core is not loaded
 * before then. Ready once its create widget, drawn when the page is idle, shows commands.
 */
async function openCoreHeld() {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const opened = await openPage(env.browser, `${env.server.url}embed-example.html`, {
    ready: "influxctl-admin-procedure[procedure=create] .command",
    waitUntil: "domcontentloaded", // the page's load event waits for the wasm it preloads
    setUp: (c) => c.route(/influxctl_admin_bg\.wasm$/, async (route) => { await held; await route.continue(); }),
  });
  const coreLoaded = () => opened.page.waitForFunction(() => performance.getEntriesByName("influxctl-admin-core-loaded").length > 0);
  return { ...opened, release, coreLoaded };
}

/**
 * What each widget of the page shows, by its procedure ("profile" for the profile): its title
 * and its commands or profile, as HTML; null for a widget that shows nothing yet.
 */
const shownByWidgets = (page) => page.evaluate(() =>
  [...document.querySelectorAll("influxctl-admin-procedure, influxctl-admin-profile")].map((host) => {
    const section = host.shadowRoot?.querySelector("section");
    const shown = section && [section.querySelector(".title").textContent, section.querySelector(".output").innerHTML];
    return [host.getAttribute("procedure") ?? "profile", host.getAttribute("method"), shown];
  }));

test("widgets with their default values draw before the core has loaded, exactly what the core draws", async () => {
  const { page, context, seen, release, coreLoaded } = await openCoreHeld();
  const early = await shownByWidgets(page);
  await shot(page, "embed-light-before-core");
  assert.equal(await page.evaluate(() => performance.getEntriesByName("influxctl-admin-core-loaded").length), 0, "the core is not loaded yet");
  // The page names its key-gen job (KEY_GEN_JOB): the revoke widgets wait for the core.
  assert.deepEqual(early.map(([procedure, method, shown]) => [procedure, method, shown !== null]),
    [["fetch", null, true], ["profile", null, true], ["revoke", "current", false], ["revoke", "original", false], ["create", null, true]]);
  assert.deepEqual(await commandsOf(widget(page, "create")), cliCommands("create", undefined, "influxdb", "/home/you/.config/influxctl"));
  release();
  await coreLoaded();
  // The same widgets drawn anew by the loaded core: render() on new elements, in view, with
  // the same attributes (and the same page).
  const byCore = await page.evaluate(async () => {
    const { render } = await import("./embed.js");
    return [...document.querySelectorAll("influxctl-admin-procedure, influxctl-admin-profile")].map((host) => {
      const box = document.body.appendChild(document.createElement("div"));
      box.style.cssText = "position: fixed; top: 0; left: 0";
      const options = { kind: host.localName === "influxctl-admin-profile" ? "profile" : "procedure" };
      for (const attribute of host.getAttributeNames()) options[attribute.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = host.getAttribute(attribute);
      const handle = render(box, options);
      const shown = [box.shadowRoot.querySelector(".title").textContent, box.shadowRoot.querySelector(".output").innerHTML];
      handle.dispose();
      box.remove();
      return shown;
    });
  });
  assert.deepEqual(early.filter(([, , shown]) => shown).map(([, , shown]) => shown), [byCore[0], byCore[1], byCore[4]]);
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test("a value changed before the core has loaded shows no command until the core draws it", async () => {
  const { page, context, seen, release, coreLoaded } = await openCoreHeld();
  const fetch = widget(page, "fetch");
  await fetch.getByRole("textbox", { name: "Namespace (INFLUXDB_NAMESPACE)" }).fill("team-a");
  await eventually(async () => assert.equal(await fetch.locator(".output[aria-busy=true]").count(), 1));
  assert.equal(await fetch.locator(".command").count(), 0, "the old values' commands are gone");
  assert.match(await fetch.locator(".output").innerText(), /Making the commands for these values/);
  await shot(page, "embed-light-edited-before-core");
  release();
  await coreLoaded();
  await eventually(async () => assert.deepEqual(await commandsOf(fetch), cliCommands("fetch", undefined, "team-a", "/home/you/.config/influxctl")));
  assert.equal(await fetch.locator(".output[aria-busy]").count(), 0);
  assert.deepEqual(seen.errors, []);
  await context.close();
});

/**
 * Run in a page when its document is made: at the first animation frame whose page has all
 * its `count` widgets (a frame before the HTML is parsed has none), records in
 * window.firstFrame what each widget shows then: its commands (or profile), its top, and the
 * radius of its box (its stylesheet's 8 px once styled). The module is render-blocking in the
 * pages that use it, so that frame is the page's first with the widgets in it.
 */
function recordFirstFrame(count) {
  const look = () => {
    const widgets = [...document.querySelectorAll("influxctl-admin-procedure, influxctl-admin-profile")];
    if (widgets.length < count) return requestAnimationFrame(look);
    window.firstFrame = widgets.map((w) => {
      const box = w.shadowRoot?.querySelector(".widget");
      return { shown: w.shadowRoot?.querySelectorAll(".command, .toml").length ?? 0, top: w.getBoundingClientRect().top, radius: box ? getComputedStyle(box).borderTopLeftRadius : null };
    });
  };
  requestAnimationFrame(look);
}

/**
 * Opens `html` as the page `name`, its idle callbacks held until `runIdle()` runs them; the
 * page is ready once a widget shows a command. With `widgets`, what the page's first frame
 * holds of them is in window.firstFrame (recordFirstFrame).
 */
async function openIdleHeld(name, html, viewport = undefined, widgets = undefined) {
  const opened = await openPage(env.browser, `${env.server.url}${name}`, {
    ...(viewport ? { viewport } : {}),
    ready: "influxctl-admin-procedure .command",
    setUp: async (c) => {
      await c.route((url) => url.pathname === `/${name}`, (route) => route.fulfill({ contentType: "text/html", body: html }));
      await holdIdle(c);
      if (widgets) await c.addInitScript(recordFirstFrame, widgets);
    },
  });
  return { ...opened, runIdle: () => runIdle(opened.page) };
}

const copyScriptButton = (w) => w.getByRole("button", { name: "Copy the whole script" });

/** Lets the page's held idle callbacks run: widget `w` is then drawn, with the CLI's commands for `procedure`. */
async function drawnWhenIdle(runIdle, w, procedure) {
  await runIdle();
  await eventually(async () => assert.equal(await copyScriptButton(w).count(), 1));
  assert.deepEqual(await commandsOf(w), cliCommands(procedure, undefined, "influxdb", "/home/you/.config/influxctl"));
}

test("a widget that the widgets drawn before it push out of view is not drawn at once", async () => {
  // Two widgets back to back at the top of a page 400 px tall: both are in view while neither
  // is drawn (an undrawn widget is empty), but the first, once drawn, is more than two screens
  // tall. The page's idle callbacks are held.
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>stacked widgets</title>
<script type="module" src="embed.js"></script>
<influxctl-admin-procedure procedure="revoke"></influxctl-admin-procedure>
<influxctl-admin-procedure procedure="fetch"></influxctl-admin-procedure>`;
  const { page, context, seen, runIdle } = await openIdleHeld("stacked-widgets.html", html, { width: 900, height: 400 });
  const [first, second] = [widget(page, "revoke"), widget(page, "fetch")];
  assert.equal(await copyScriptButton(first).count(), 1);
  assert.ok((await first.boundingBox()).height > 800, "the first widget is more than two screens tall");
  await page.waitForTimeout(300); // frames go by
  assert.equal(await copyScriptButton(second).count(), 0, "the second, pushed two screens down, waits");
  await drawnWhenIdle(runIdle, second, "fetch");
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test("when no widget is in view, the first within a screen below is in the page's first frame", async () => {
  // The page's first widget starts 1,200 px down a 1,000 px view (as a docs page's first
  // widget can be just below the fold); a second is 5,000 px further. The module is
  // render-blocking, as on a docs page. Idle callbacks are held.
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>widget below the fold</title>
<script type="module" async blocking="render" src="embed.js"></script>
<div style="height: 1200px"></div>
<influxctl-admin-procedure procedure="fetch"></influxctl-admin-procedure>
<div style="height: 5000px"></div>
<influxctl-admin-procedure procedure="create"></influxctl-admin-procedure>`;
  const { page, context, seen, runIdle } = await openIdleHeld("below-the-fold.html", html, undefined, 2);
  await page.waitForFunction(() => window.firstFrame);
  const [near, far] = [widget(page, "fetch"), widget(page, "create")];
  const [nearInFirstFrame, farInFirstFrame] = await page.evaluate(() => window.firstFrame);
  assert.ok(nearInFirstFrame.shown > 0, "the widget just below the view has its commands in the first frame");
  assert.equal(farInFirstFrame.shown, 0, "a widget screens further down is not in it");
  assert.equal(await page.evaluate(() => window.scrollY), 0, "not scrolled");
  assert.deepEqual(await commandsOf(near), cliCommands("fetch", undefined, "influxdb", "/home/you/.config/influxctl"));
  await page.waitForTimeout(300); // frames go by
  assert.equal(await copyScriptButton(far).count(), 0, "a widget screens further down waits");
  await drawnWhenIdle(runIdle, far, "create");
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test("the widgets in view are all in the page's first frame, so nothing in view moves when one appears", async () => {
  // Two small widgets at the top of a 1,000 px view, a third 5,000 px further; the module is
  // render-blocking, as on a docs page, and nothing else is preloaded.
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>two widgets in view</title>
<script type="module" async blocking="render" src="embed.js"></script>
<influxctl-admin-procedure procedure="fetch"></influxctl-admin-procedure>
<influxctl-admin-profile></influxctl-admin-profile>
<div style="height: 5000px"></div>
<influxctl-admin-procedure procedure="create"></influxctl-admin-procedure>`;
  const { page, context, seen } = await openIdleHeld("two-in-view.html", html, undefined, 3);
  await page.waitForFunction(() => window.firstFrame);
  const [fetch, profile, far] = await page.evaluate(() => window.firstFrame);
  assert.ok(fetch.shown > 0 && profile.shown > 0, "both widgets in view have their commands in the first frame");
  assert.deepEqual([fetch.radius, profile.radius], ["8px", "8px"], "styled in that frame (embed.css's rounded border)");
  assert.ok(profile.top < 1000, "the second is in view once the first is drawn");
  assert.equal(far.shown, 0, "a widget screens further down is not in it");
  assert.equal(await page.locator("influxctl-admin-profile").evaluate((w) => w.getBoundingClientRect().top), profile.top, "nothing moved since");
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test("widgets out of view are drawn when they come near it, or when the page is idle", async () => {
  // A page with one widget in view and two screens below it, each 5,000 px further; the
  // page's idle callbacks are held until the test lets them run.
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>far widgets</title>
<script type="module" src="embed.js"></script>
<influxctl-admin-procedure procedure="fetch"></influxctl-admin-procedure>
<div style="height: 5000px"></div>
<influxctl-admin-procedure procedure="create"></influxctl-admin-procedure>
<div style="height: 5000px"></div>
<influxctl-admin-procedure procedure="revoke"></influxctl-admin-procedure>`;
  const { page, context, seen, runIdle } = await openIdleHeld("far-widgets.html", html);
  const [near, scrolled, idle] = [widget(page, "fetch"), widget(page, "create"), widget(page, "revoke")];
  assert.equal(await copyScriptButton(near).count(), 1);
  await page.waitForTimeout(300); // frames go by; nothing below is near the view
  assert.equal(await copyScriptButton(scrolled).count(), 0, "a widget two screens down is not drawn at once");
  assert.equal(await copyScriptButton(idle).count(), 0);
  await page.mouse.wheel(0, 4000); // within a screen of the second widget
  await eventually(async () => assert.equal(await copyScriptButton(scrolled).count(), 1));
  assert.deepEqual(await commandsOf(scrolled), cliCommands("create", undefined, "influxdb", "/home/you/.config/influxctl"));
  assert.equal(await copyScriptButton(idle).count(), 0, "the third is still 5,000 px away");
  // The page is idle: the third is drawn without being scrolled to.
  await drawnWhenIdle(runIdle, idle, "revoke");
  assert.deepEqual(seen.errors, []);
  await context.close();
});
