// The browser profile editor (www/index.html) in headless Chromium, used as a person
// would: through the accessible names a screen reader announces. Its downloads are
// compared byte for byte with what the real influxctl-admin writes for the same edits.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { join } from "node:path";
import {
  cli, configFile, eventually, fixtures, foreignRequests, makeToken, openPage, readBytes, readText, secretJson, shot, startBrowser, tempDir,
} from "./harness.mjs";

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

const FIXTURE = join(fixtures, "docs-sample-clustered.toml");
const TOKEN_FILE = "/home/operator/.config/influxctl/token.json";

/** A field edit as a person makes it: type, then leave the field (the change event). */
async function fillField(page, name, value) {
  const field = page.getByRole("textbox", { name, exact: true });
  await field.fill(value);
  await field.press("Tab");
}

/** The whole resulting file, as a reader sees it: "Whole file" opened, the Result textbox read. */
async function resultText(page) {
  const disclosure = page.getByRole("group").filter({ has: page.getByText("Whole file", { exact: true }) });
  if (!(await disclosure.evaluate((d) => d.open))) await page.getByText("Whole file", { exact: true }).click();
  return page.getByRole("textbox", { name: "Result" }).inputValue();
}

async function download(page, buttonName, into) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: buttonName }).click()]);
  const path = join(into, file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

for (const scheme of ["light", "dark"]) {
  describe(`the editor, ${scheme}`, () => {
    test("open, edit, add, switch to a token file, paste a secret, download: the same bytes as the CLI", async () => {
      const { page, seen } = await openPage(env.browser, `${env.server.url}index.html`, { scheme });
      const stage = (name) => shot(page, `editor-${scheme}-${name}`);
      await stage("1-empty");
      // The footer names the core's version, the CLI's (the build's copy of it, when built).
      assert.equal(await page.getByRole("contentinfo").innerText(),
        `${cli(["--version"]).trim()} · the same core as the command line, compiled to WebAssembly.`);

      // Open a fixture config exactly as the documentation prints it.
      await page.getByLabel("Open file…").setInputFiles(FIXTURE);
      const source = page.getByRole("textbox", { name: "config.toml", exact: true });
      await eventually(async () => assert.equal(await source.inputValue(), readText(FIXTURE)));
      const profiles = page.getByRole("listbox", { name: "Profiles" });
      await assert.doesNotReject(profiles.getByRole("option", { name: /^PROFILE_NAME/ }).waitFor());
      const problems = page.getByRole("list", { name: "Problems" });
      assert.match(await problems.innerText(), /placeholder/);
      await stage("2-opened");

      // Edit the host, add a profile, rename it, and point it at a token file.
      await fillField(page, "Host", "cluster.example.com");
      assert.equal(await page.getByRole("textbox", { name: "Host", exact: true }).inputValue(), "cluster.example.com");
      await page.getByRole("button", { name: "Add profile" }).click();
      await assert.doesNotReject(profiles.getByRole("option", { name: /^default/ }).waitFor());
      assert.equal(await profiles.getByRole("option", { selected: true }).getAttribute("aria-selected"), "true");
      await fillField(page, "Name", "staging");
      await assert.doesNotReject(profiles.getByRole("option", { name: /^staging/ }).waitFor());
      await fillField(page, "Port", "8443");
      await page.getByRole("textbox", { name: "Token file", exact: true }).fill(TOKEN_FILE);
      await page.getByRole("button", { name: "Use a token file" }).click();
      await assert.doesNotReject(profiles.getByRole("option", { name: /^staging.*token-file/ }).waitFor());
      await stage("3-edited");

      // The CLI, given the same edits, writes the same bytes.
      const config = configFile(readText(FIXTURE));
      cli(["--config", config, "profile", "set", "PROFILE_NAME", "host", "cluster.example.com"]);
      cli(["--config", config, "profile", "add", "default", "--product", "clustered", "--host", "cluster.example.com"]);
      cli(["--config", config, "profile", "rename", "default", "staging"]);
      cli(["--config", config, "profile", "set", "staging", "port", "8443"]);
      cli(["--config", config, "profile", "use-token", "staging", "--token-file", TOKEN_FILE]);
      const expected = readText(config);
      assert.equal(await resultText(page), expected);
      const downloads = tempDir();
      assert.deepEqual(readBytes(await download(page, "Download config.toml", downloads)), readBytes(config));
      assert.match(await page.getByLabel("Changes").innerText(), /\+\s*token_file = "\/home\/operator/);

      // Paste the admin-token Secret: claims shown, the token never in the page.
      const token = makeToken();
      await page.getByRole("textbox", { name: "Secret" }).fill(secretJson(token.file));
      const decoded = page.getByRole("definition").filter({ hasText: "sha256:" });
      await assert.doesNotReject(decoded.waitFor());
      const summary = await page.locator("#secret-summary").innerText();
      assert.match(summary, /admin-token in namespace influxdb/);
      assert.match(summary, /sub: "admin"/);
      const expires = new Date(token.exp * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
      assert.match(summary, new RegExp(`Expires\\s+${expires} \\(in 36[45] days\\)`));
      await stage("4-secret");
      assert.deepEqual(readBytes(await download(page, "Download token.json", downloads)), token.file);

      // Nothing secret in the DOM, the form values or the console; nothing left the page.
      const dom = await page.evaluate(() => document.documentElement.outerHTML
        + [...document.querySelectorAll("input, textarea")].map((e) => e.value).join("\n"));
      for (const secret of [token.jwt, token.signature, token.file.toString("base64")]) {
        assert.ok(!dom.includes(secret), "a secret is in the DOM");
        assert.ok(!seen.console.join("\n").includes(secret), "a secret is in the console");
      }
      assert.deepEqual(foreignRequests(seen, env.server.url.slice(0, -1)), []);
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
      assert.deepEqual(seen.errors, []);
      await stage("5-done");
      await page.context().close();
    });
  });
}

test("a malformed config shows the error with line and column, and loses nothing", async () => {
  const { page, seen } = await openPage(env.browser, `${env.server.url}index.html`);
  const source = page.getByRole("textbox", { name: "config.toml", exact: true });
  const broken = '[[profile]]\n  name = "default"\n  host = \n  # my notes stay\n';
  await source.fill(broken);
  const alert = page.getByRole("alert").filter({ hasText: "does not parse" });
  assert.match(await alert.innerText(), /line 3, column 10/);
  assert.ok(await page.getByText("No profiles yet").isHidden(), "no claim about profiles while the text does not parse");
  assert.equal(await page.locator("#problems-summary").innerText(), "1 error, 0 warnings, 0 notes");
  assert.equal(await source.inputValue(), broken, "the typed text is kept");
  assert.equal(await resultText(page), broken);
  assert.ok(await page.getByRole("button", { name: "Download config.toml" }).isDisabled());
  assert.match(await page.getByRole("list", { name: "Problems" }).innerText(), /parse/);
  await shot(page, "editor-light-malformed");

  // Fixed by typing: editing goes on from the fixed text.
  await source.fill(broken.replace("host = ", 'host = "h.example.com"'));
  assert.ok(await alert.isHidden());
  await assert.doesNotReject(page.getByRole("option", { name: /^default/ }).waitFor());

  // A value the core refuses: the message beside the field, the file unchanged.
  const before = await resultText(page);
  await fillField(page, "Port", "not-a-port");
  const port = page.getByRole("textbox", { name: "Port", exact: true });
  assert.equal(await port.getAttribute("aria-invalid"), "true");
  assert.match(await page.locator("#field-port-problems").innerText(), /invalid value "not-a-port" for `port`/);
  assert.equal(await resultText(page), before);
  assert.deepEqual(seen.errors, []);
  await page.context().close();
});

test("lint findings sit beside their fields, with fixes, as you type", async () => {
  const { page } = await openPage(env.browser, `${env.server.url}index.html`);
  const text = '[[profile]]\n  name = "default"\n  product = "clustered"\n  host = "h"\n  [profile.auth.oauth2]\n    client_id = "c"\n    client_secret = "s3"\n';
  await page.getByRole("textbox", { name: "config.toml", exact: true }).fill(text);
  const problems = page.getByRole("list", { name: "Problems" });
  assert.match(await problems.innerText(), /removed-key line 7/);
  await page.getByRole("button", { name: "Remove auth.oauth2.client_secret" }).click();
  assert.doesNotMatch(await problems.innerText(), /removed-key/);
  assert.ok(!(await resultText(page)).includes("client_secret"));

  // "Show" selects the exact text in the source.
  await page.getByRole("textbox", { name: "config.toml", exact: true }).fill(text.replace('host = "h"', 'host = "h"\n  hots = "x"'));
  assert.match(await problems.innerText(), /did you mean `host`/);
  await problems.getByRole("listitem").filter({ hasText: "unknown-key" }).getByRole("button", { name: "Show" }).click();
  const selected = await page.evaluate(() => { const s = document.getElementById("source"); return s.value.slice(s.selectionStart, s.selectionEnd); });
  assert.equal(selected, "hots");
  await page.context().close();
});

test("many notes of one kind show as one item, the rest a keypress away; errors and warnings stay one each", async () => {
  const { page } = await openPage(env.browser, `${env.server.url}index.html`);
  let text = "";
  for (let i = 0; i < 12; i++) {
    text += `[[profile]]\n  name = "c${i}"\n  product = "clustered"\n  host = "h${i}"\n  [profile.auth.token]\n    token_file = "/t/${i}.json"\n`;
  }
  await page.getByRole("textbox", { name: "config.toml", exact: true }).fill(text);
  const problems = page.getByRole("list", { name: "Problems" });
  assert.equal(await page.locator("#problems-summary").innerText(), "0 errors, 1 warning, 12 notes");
  // The warning, and the first requires-version note holding "11 more like it".
  assert.equal(await problems.locator(":scope > li").count(), 2);
  const more = problems.getByText("11 more like it");
  assert.equal(await problems.getByText(/requires-version/).count(), 1);
  await more.focus();
  await page.keyboard.press("Enter");
  const rest = problems.getByRole("list").getByRole("listitem");
  await eventually(async () => assert.equal(await rest.count(), 11));
  assert.match(await problems.locator(":scope > li").nth(1).innerText(), /requires-version line 6: .*profile `c0`/);
  for (let i = 1; i < 12; i++) assert.equal(await rest.filter({ hasText: `profile \`c${i}\`` }).count(), 1, `c${i}`);
  // An edit that leaves the findings as they were keeps the list, opened as it was.
  await fillField(page, "Host", "edited.example.com");
  assert.match(await resultText(page), /host = "edited.example.com"/);
  assert.equal(await rest.count(), 11);
  await shot(page, "editor-light-notes-grouped");
  await page.context().close();
});

test("keyboard only: choose a profile, add one, edit it", async () => {
  const { page } = await openPage(env.browser, `${env.server.url}index.html`, { scheme: "dark" });
  await page.getByLabel("Open file…").setInputFiles(join(fixtures, "docs-idp-keycloak.toml"));
  const list = page.getByRole("listbox", { name: "Profiles" });
  await list.focus();
  await page.keyboard.press("End");
  const selectedName = await list.getByRole("option", { selected: true }).innerText();
  await page.keyboard.press("Home");
  assert.notEqual(await list.getByRole("option", { selected: true }).innerText(), undefined);
  assert.ok(selectedName.length > 0);
  // Tab reaches the buttons in reading order; Enter presses them.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Add profile");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label") ?? document.activeElement.labels?.[0]?.textContent), "Name");
  await page.keyboard.type("kb-profile");
  await page.keyboard.press("Tab");
  await assert.doesNotReject(list.getByRole("option", { name: /^kb-profile/ }).waitFor());
  // The edit did not take the keyboard focus away: Tab went on to the next field.
  const focusedLabel = () => page.evaluate(() => document.activeElement.labels?.[0]?.textContent ?? document.activeElement.tagName);
  assert.equal(await focusedLabel(), "Product");
  await page.keyboard.press("Tab");
  assert.equal(await focusedLabel(), "Host");
  await page.keyboard.press("End"); // Tab selects the whole value
  await page.keyboard.type(".internal");
  await page.keyboard.press("Tab");
  assert.equal(await focusedLabel(), "Port");
  assert.match(await resultText(page), /host = "cluster\.example\.com\.internal"/);
  await shot(page, "editor-dark-keyboard");
  await page.context().close();
});

test("the kubectl commands are the CLI's plan --shell, with the namespace filled in", async () => {
  // A short view: the panel is more than a screen below it.
  const { page } = await openPage(env.browser, `${env.server.url}index.html`, { viewport: { width: 1400, height: 400 } });
  await page.getByRole("textbox", { name: "config.toml", exact: true })
    .fill(`[[profile]]\n  name = "prod"\n  product = "clustered"\n  host = "h"\n  [profile.auth.token]\n    token_file = "${TOKEN_FILE}"\n`);
  // The panel is screens below: it follows the file when the page is idle, unscrolled.
  // (Its text, not its innerText: content-visibility skips the panel until it comes near
  // the view, and innerText does not see what changed in it until then.)
  const [top, height] = await page.locator(".panel.commands").evaluate((panel) => [panel.getBoundingClientRect().top, innerHeight]);
  assert.ok(top > 2 * height, `the commands panel is at ${top} px, the view ${height} px tall`);
  await eventually(async () => assert.ok((await page.locator("#script-fetch-current").textContent()).includes(TOKEN_FILE)));
  for (const namespace of ["influxdb", "team-a-influx"]) {
    await page.getByRole("textbox", { name: "Namespace" }).fill(namespace);
    for (const [procedure, method] of [["fetch", "current"], ["revoke", "current"], ["revoke", "original"], ["create", "current"]]) {
      const shown = await page.locator(`#script-${procedure}-${method}`).innerText();
      const expected = cli(["plan", procedure, "--shell", "--method", method, "-n", namespace, "--token-file", TOKEN_FILE, "--profile", "prod"]);
      assert.equal(shown.trimEnd(), expected.trimEnd(), `${procedure} ${method} in ${namespace}`);
    }
  }
  await page.getByRole("textbox", { name: "Namespace" }).fill("Not A Namespace");
  assert.match(await page.locator("#namespace-error").innerText(), /is not a valid Kubernetes name/);
  assert.equal(await page.locator("#procedures pre").count(), 0);
  await page.context().close();
});

test("once loaded, the editor works offline", async () => {
  const { page, context, seen } = await openPage(env.browser, `${env.server.url}index.html`);
  // Loaded: the Secret reader, a module of its own, follows the first paint.
  await page.waitForSelector("body[data-loaded]");
  await context.setOffline(true);
  const before = seen.requests.length;
  await page.getByRole("textbox", { name: "config.toml", exact: true }).fill('[[profile]]\n  name = "default"\n  product = "clustered"\n  host = "h"\n');
  await page.getByRole("button", { name: "Add profile" }).click();
  await assert.doesNotReject(page.getByRole("option", { name: /^new-profile/ }).waitFor());
  const token = makeToken();
  await page.getByRole("textbox", { name: "Secret" }).fill(secretJson(token.file));
  await assert.doesNotReject(page.getByRole("button", { name: "Download token.json" }).and(page.locator(":enabled")).waitFor());
  assert.equal(seen.requests.length, before, "no request while offline");
  await context.close();
});

test("a Secret pasted when its reader cannot load says so, keeps the paste and recovers on the next paste", async () => {
  // The reader is a module of its own that follows the first paint: here it never arrives.
  const { page, context, seen } = await openPage(env.browser, `${env.server.url}index.html`,
    { setUp: (c) => c.route(/influxctl_admin_secrets/, (route) => route.abort()) });
  const token = makeToken();
  const secret = page.getByRole("textbox", { name: "Secret" });
  await secret.fill(secretJson(token.file));
  const alert = page.getByRole("alert").filter({ hasText: "Secret reader" });
  await assert.doesNotReject(alert.waitFor());
  assert.match(await alert.innerText(), /^The Secret reader could not load \(.+\); paste the Secret again to retry$/);
  assert.equal(await secret.inputValue(), secretJson(token.file), "the paste is kept");
  assert.ok(await page.getByRole("button", { name: "Download token.json" }).isDisabled());
  await context.unroute(/influxctl_admin_secrets/);
  await secret.fill(secretJson(token.file));
  await assert.doesNotReject(page.getByRole("button", { name: "Download token.json" }).and(page.locator(":enabled")).waitFor());
  assert.ok(await alert.isHidden(), "the error is gone");
  assert.deepEqual(seen.errors, [], "the failed load in idle time is no uncaught error");
  await context.close();
});

test("a refused edit says what happened and what to do next, in the page's words (no command line)", async () => {
  const { page } = await openPage(env.browser, `${env.server.url}index.html`);
  await page.getByRole("textbox", { name: "config.toml", exact: true })
    .fill('[[profile]]\n  name = "default"\n  product = "clustered"\n  host = "h"\n[[profile]]\n  name = "b"\n  product = "clustered"\n  host = "h"\n');
  await page.getByRole("listbox", { name: "Profiles" }).getByRole("option", { name: /^b\b/ }).click();
  const before = await page.getByRole("textbox", { name: "config.toml", exact: true }).inputValue();
  await fillField(page, "Name", "default");
  const alert = page.getByRole("alert").filter({ hasText: "already exists" });
  assert.equal(await alert.innerText(), "a profile named `default` already exists; change profile `default` instead, or pick another name");
  assert.doesNotMatch(await alert.innerText(), /profile set|--|influxctl-admin/, "no CLI remedy in the page");
  assert.equal(await page.getByRole("textbox", { name: "config.toml", exact: true }).inputValue(), before, "nothing changed");
  await page.context().close();
});
