// The docs widget on pages built like the real docs site (www/docs-site-example.html: Chroma
// spans, wrapper divs, var elements whose unedited value is their own name, pencil icons, the
// site's click → input → blur editing, a Copy button copying innerText) and on
// www/embed-example.html: unedited placeholders are "not given", the page and the widgets
// follow each other both ways without breaking the page, and DIRECTORY_PATH, KEY_GEN_JOB and
// CREATE_ADMIN_TOKEN_JOB mean what the page means.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { cli, eventually, foreignRequests, openPage, shot, startBrowser, widgetsDrawn } from "./harness.mjs";

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

const SITE = "docs-site-example.html";
const widget = (page, procedure, method) =>
  page.locator(`influxctl-admin-procedure[procedure="${procedure}"]${method ? `[method="${method}"]` : ":not([method])"}`);
const field = (locator, name) => locator.getByRole("textbox", { name });
const commandsOf = async (locator) => (await locator.locator(".command pre").allTextContents()).flatMap((c) => c.split("\n"));

/** `influxctl-admin plan … FORMAT` for these values. */
function cliPlan(format, procedure, { method, namespace = "influxdb", directory = "/home/you/.config/influxctl", keyGenJob, createTokenJob } = {}) {
  const args = ["plan", procedure, format, "-n", namespace, "--token-file", `${directory.replace(/\/$/, "")}/token.json`, "--profile", "default"];
  if (method) args.push("--method", method);
  if (keyGenJob) args.push("--key-gen-job-name", keyGenJob);
  if (createTokenJob) args.push("--create-token-job-name", createTokenJob);
  return cli(args);
}

/** The commands a reader pastes, as `influxctl-admin plan … --docs` prints them. */
const cliCommands = (procedure, values) => cliPlan("--docs", procedure, values).split("\n").filter((l) => l.startsWith("    $ ")).map((l) => l.slice(6));

const open = (url = SITE, scheme = "light") =>
  openPage(env.browser, `${env.server.url}${url}`, { scheme, ready: widgetsDrawn });

/** Edits a placeholder on the docs-site page the way a reader does there: click, type, Enter. */
async function editOnSite(page, name, value) {
  await page.getByTitle(`Edit ${name}`).first().click();
  const input = page.locator("input.placeholder-edit");
  await input.fill(value);
  await input.press("Enter");
  await eventually(async () => assert.equal(await input.count(), 0));
}

/** Each var of `name` as {value, text, icon, wrapper, title, elements}: what the page shows. */
const varsOf = (page, name) => page.locator(`var.code-placeholder[data-code-var="${name}"]`).evaluateAll((nodes) => nodes.map((n) => ({
  value: n.getAttribute("data-code-var-value"),
  text: n.firstChild?.nodeType === Node.TEXT_NODE ? n.firstChild.data : null,
  icon: n.lastElementChild?.matches(".code-placeholder-edit-icon.cf-icon.Pencil") ?? false,
  elements: n.querySelectorAll("*").length,
  wrapper: n.parentElement.matches("div.code-placeholder-wrapper[data-component=code-placeholder]"),
  title: n.title,
})));

const PROCEDURES = [["fetch"], ["revoke", "current"], ["revoke", "original"], ["create"]];

describe("a page built like the docs site", () => {
  test("unedited placeholders are not given: every widget renders full commands when first drawn", async () => {
    for (const scheme of ["light", "dark"]) {
      const { page, seen } = await open(SITE, scheme);
      for (const [procedure, method] of PROCEDURES) {
        const w = widget(page, procedure, method === "current" ? undefined : method);
        assert.deepEqual(await commandsOf(w), cliCommands(procedure, { method }), `${procedure} ${method ?? ""}`);
        assert.equal(await w.getByRole("alert").isHidden(), true);
      }
      const fetch = widget(page, "fetch");
      assert.equal(await field(fetch, "Namespace (INFLUXDB_NAMESPACE)").inputValue(), "influxdb");
      assert.equal(await field(fetch, "Directory (DIRECTORY_PATH)").inputValue(), "/home/you/.config/influxctl");
      // The page is left as the site rendered it.
      for (const v of await varsOf(page, "INFLUXDB_NAMESPACE")) assert.deepEqual(v, { value: "INFLUXDB_NAMESPACE", text: "INFLUXDB_NAMESPACE", icon: true, elements: 1, wrapper: true, title: "Edit INFLUXDB_NAMESPACE" });
      await shot(page, `docs-site-${scheme}-1-first-paint`);
      assert.deepEqual(foreignRequests(seen, env.server.url.slice(0, -1)), []);
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
      assert.deepEqual(seen.errors, []);
      await page.context().close();
    }
  });

  test("page → widget: the site's own editing changes every widget's commands", async () => {
    for (const scheme of ["light", "dark"]) {
      const { page } = await open(SITE, scheme);
      await editOnSite(page, "INFLUXDB_NAMESPACE", "team-a");
      await editOnSite(page, "DIRECTORY_PATH", "home/me/.influxctl"); // the page puts the leading slash itself
      await editOnSite(page, "KEY_GEN_JOB", "key-gen-x7k2p");
      const values = { namespace: "team-a", directory: "/home/me/.influxctl" };
      for (const [procedure, method] of PROCEDURES) {
        const w = widget(page, procedure, method === "current" ? undefined : method);
        const keyGenJob = procedure === "revoke" ? "key-gen-x7k2p" : undefined;
        await eventually(async () => assert.deepEqual(await commandsOf(w), cliCommands(procedure, { method, keyGenJob, ...values }), `${procedure} ${method ?? ""}`));
        assert.equal(await field(w, "Namespace (INFLUXDB_NAMESPACE)").inputValue(), "team-a");
        // A revoke writes no token file: it has no directory to ask for.
        assert.equal(await field(w, "Directory (DIRECTORY_PATH)").count(), procedure === "revoke" ? 0 : 1);
        if (procedure !== "revoke") assert.equal(await field(w, "Directory (DIRECTORY_PATH)").inputValue(), "/home/me/.influxctl");
      }
      // With the leading slash: the same directory.
      await editOnSite(page, "DIRECTORY_PATH", "/home/me/.influxctl");
      await eventually(async () => assert.deepEqual(await commandsOf(widget(page, "fetch")), cliCommands("fetch", values)));
      // CREATE_ADMIN_TOKEN_JOB names the job the current method deletes and `create` re-runs.
      await editOnSite(page, "CREATE_ADMIN_TOKEN_JOB", "create-admin-token-q9w8e");
      for (const w of [widget(page, "revoke"), widget(page, "create")]) {
        await eventually(async () => assert.equal(await field(w, "Create-admin-token job (CREATE_ADMIN_TOKEN_JOB)").inputValue(), "create-admin-token-q9w8e"));
        await eventually(async () => assert.ok((await commandsOf(w)).some((c) => / create-admin-token-q9w8e /.test(c))));
        assert.match(await w.getByLabel("The whole script", { exact: true }).textContent(), /^CREATE_TOKEN_JOB=create-admin-token-q9w8e$/m);
      }
      // The CLI prints the same for the same name (--create-token-job-name).
      await eventually(async () => assert.deepEqual(
        await commandsOf(widget(page, "create")),
        cliCommands("create", { ...values, createTokenJob: "create-admin-token-q9w8e" }),
      ));
      await shot(page, `docs-site-${scheme}-2-edited-on-page`);
      // Put back to its name, a placeholder is "not given" again: the widget's default.
      await editOnSite(page, "KEY_GEN_JOB", "KEY_GEN_JOB");
      await eventually(async () => assert.deepEqual(await commandsOf(widget(page, "revoke", "original")), cliCommands("revoke", { method: "original", ...values })));
      await page.context().close();
    }
  });

  test("widget → page: values written as the site writes them, each var keeping its structure", async () => {
    for (const scheme of ["light", "dark"]) {
      const { page, context } = await open(SITE, scheme);
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.server.url.slice(0, -1) });
      // Keyboard only: Tab to the fetch widget's namespace field and type.
      const fetch = widget(page, "fetch");
      const ns = field(fetch, "Namespace (INFLUXDB_NAMESPACE)");
      await page.locator("h2#retrieve-the-admin-token").evaluate((h) => h.scrollIntoView());
      await page.keyboard.press("Tab");
      for (let i = 0; i < 40 && !(await ns.evaluate((n) => n.matches(":focus"))); i++) await page.keyboard.press("Tab");
      assert.ok(await ns.evaluate((n) => n.matches(":focus")), "the namespace field is reachable with Tab");
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.type("from-widget");
      await page.keyboard.press("Tab");
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.type("/home/me/.influxctl");
      for (const v of await varsOf(page, "INFLUXDB_NAMESPACE")) assert.deepEqual(v, { value: "from-widget", text: "from-widget", icon: true, elements: 1, wrapper: true, title: "Edit INFLUXDB_NAMESPACE" });
      // After the page's literal `/`, the directory is written without its own.
      for (const v of await varsOf(page, "DIRECTORY_PATH")) assert.deepEqual(v, { value: "home/me/.influxctl", text: "home/me/.influxctl", icon: true, elements: 1, wrapper: true, title: "Edit DIRECTORY_PATH" });
      for (const [procedure, method] of PROCEDURES) {
        await eventually(async () => assert.deepEqual(await commandsOf(widget(page, procedure, method === "current" ? undefined : method)),
          cliCommands(procedure, { method, namespace: "from-widget", directory: "/home/me/.influxctl" })));
      }
      await shot(page, `docs-site-${scheme}-3-edited-in-widget-keyboard`);
      // The page's Copy button copies what the page shows.
      await page.locator(".codeblock").nth(1).getByRole("button", { name: "Copy" }).click();
      assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^ {4}token_file = "\/home\/me\/\.influxctl\/token\.json"$/m);
      await page.locator(".codeblock").first().getByRole("button", { name: "Copy" }).click();
      assert.match(await page.evaluate(() => navigator.clipboard.readText()), /--namespace from-widget \| base64 -d > token\.json/);
      // A value is text, never HTML.
      await field(widget(page, "create"), "Namespace (INFLUXDB_NAMESPACE)").fill("<b>x</b>");
      for (const v of await varsOf(page, "INFLUXDB_NAMESPACE")) assert.deepEqual([v.text, v.elements, v.icon], ["<b>x</b>", 1, true]);
      await eventually(async () => assert.match(await widget(page, "create").getByRole("alert").innerText(), /namespace "<b>x<\/b>" is not a valid Kubernetes name/));
      // The site's own editing still works afterwards, and the widgets follow it.
      await editOnSite(page, "INFLUXDB_NAMESPACE", "edited-again");
      for (const v of await varsOf(page, "INFLUXDB_NAMESPACE")) assert.deepEqual([v.value, v.text, v.icon], ["edited-again", "edited-again", true]);
      await eventually(async () => assert.equal(await ns.inputValue(), "edited-again"));
      await eventually(async () => assert.deepEqual(await commandsOf(widget(page, "create")), cliCommands("create", { namespace: "edited-again", directory: "/home/me/.influxctl" })));
      // Emptying a field puts the page's placeholder back to "not given" and the widget on its default.
      await ns.fill("");
      for (const v of await varsOf(page, "INFLUXDB_NAMESPACE")) assert.deepEqual([v.value, v.text, v.icon], ["INFLUXDB_NAMESPACE", "INFLUXDB_NAMESPACE", true]);
      await eventually(async () => assert.deepEqual(await commandsOf(fetch), cliCommands("fetch", { directory: "/home/me/.influxctl" })));
      await page.context().close();
    }
  });

  test("the page's value wins over a later attribute; late placeholders and several widgets follow", async () => {
    const { page } = await open();
    await editOnSite(page, "INFLUXDB_NAMESPACE", "page-ns");
    const revoke = widget(page, "revoke");
    await revoke.evaluate((w) => w.setAttribute("namespace", "older-ns"));
    await eventually(async () => assert.equal(await field(revoke, "Namespace (INFLUXDB_NAMESPACE)").inputValue(), "page-ns"));
    assert.deepEqual(await commandsOf(revoke), cliCommands("revoke", { method: "current" , namespace: "page-ns" }));
    // A placeholder added after the widgets, already edited: every widget follows it.
    await page.evaluate(() => {
      const pre = document.createElement("pre");
      pre.innerHTML = "<code>kubectl get pods --namespace <div data-component='code-placeholder' class='code-placeholder-wrapper'><var title='Edit INFLUXDB_NAMESPACE' class='code-placeholder' data-code-var='INFLUXDB_NAMESPACE' data-code-var-value='late-ns'>late-ns<span class='code-placeholder-edit-icon cf-icon Pencil'></span></var></div></code>";
      document.querySelector("main").prepend(pre);
    });
    for (const [procedure, method] of PROCEDURES) {
      const w = widget(page, procedure, method === "current" ? undefined : method);
      await eventually(async () => assert.equal(await field(w, "Namespace (INFLUXDB_NAMESPACE)").inputValue(), "late-ns"));
    }
    await page.context().close();
  });

  test("elements: properties for attributes, a change event, clear messages for unknown values", async () => {
    const { page } = await open();
    const result = await page.evaluate(async () => {
      const { InfluxctlAdminProcedure, InfluxctlAdminProfile } = await import("./embed.js");
      const w = document.querySelector("influxctl-admin-procedure[procedure=fetch]");
      const events = [];
      w.addEventListener("change", (e) => events.push(e.detail));
      const input = w.shadowRoot.querySelector("input");
      input.value = "evt-ns";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      w.tokenFile = "/srv/t/token.json";
      const made = document.createElement("influxctl-admin-procedure");
      made.procedure = "constructor";
      document.body.append(made);
      const odd = document.createElement("influxctl-admin-procedure");
      odd.procedure = "revoke";
      odd.method = "sideways";
      document.body.append(odd);
      const fetchWithMethod = document.createElement("influxctl-admin-procedure");
      Object.assign(fetchWithMethod, { procedure: "fetch", method: "original" });
      document.body.append(fetchWithMethod);
      await new Promise((r) => setTimeout(r, 50));
      const text = (el) => [...el.shadowRoot.querySelectorAll(".title, [role=alert]")].map((n) => n.textContent).join(" | ");
      InfluxctlAdminProcedure.define();
      // Under another tag name, with properties set before it is defined (as frameworks do).
      const early = document.createElement("docs-procedure");
      Object.assign(early, { procedure: "create", namespace: "early-ns" });
      document.body.append(early);
      InfluxctlAdminProcedure.define("docs-procedure");
      await new Promise((r) => setTimeout(r, 50));
      return {
        early: [early.getAttribute("namespace"), early.shadowRoot.querySelector(".title").textContent, early.values.namespace],
        events, attr: w.getAttribute("token-file"), isClass: customElements.get("influxctl-admin-procedure") === InfluxctlAdminProcedure,
        profile: customElements.get("influxctl-admin-profile") === InfluxctlAdminProfile,
        unknown: text(made), method: text(odd), fetchTitle: text(fetchWithMethod),
        fetchCommands: fetchWithMethod.shadowRoot.querySelectorAll(".command").length,
        values: w.values,
      };
    });
    assert.deepEqual(result.events, [{ namespace: "evt-ns", directory: "/home/you/.config/influxctl" }]);
    assert.equal(result.attr, "/srv/t/token.json");
    assert.ok(result.isClass && result.profile);
    assert.match(result.unknown, /unknown procedure "constructor": use fetch, revoke or create/);
    assert.doesNotMatch(result.unknown, /function|object Object/);
    assert.match(result.method, /unknown method "sideways": use current or original/);
    assert.match(result.fetchTitle, /^Fetch the admin token into token.json \| $/);
    assert.equal(result.fetchCommands, 2);
    assert.deepEqual(result.early, ["early-ns", "Re-create the admin token", "evt-ns"]);
    await page.context().close();
  });
});

describe("the same on www/embed-example.html", () => {
  test("a placeholder whose value is its name is not given; both ways, structure kept", async () => {
    const { page } = await open("embed-example.html");
    // As the docs site renders an unedited placeholder: its name as its value.
    await page.evaluate(() => {
      for (const n of document.querySelectorAll('var[data-code-var="KEY_GEN_JOB"]')) { n.setAttribute("data-code-var-value", "KEY_GEN_JOB"); n.textContent = "KEY_GEN_JOB"; }
      for (const n of document.querySelectorAll('var[data-code-var="DIRECTORY_PATH"]')) { n.setAttribute("data-code-var-value", "DIRECTORY_PATH"); n.textContent = "DIRECTORY_PATH"; }
    });
    const original = widget(page, "revoke", "original");
    // Back to "not given": the widget has no key-gen-job attribute, so the job is found on the cluster.
    await eventually(async () => assert.equal(await field(original, "Key-gen job (KEY_GEN_JOB)").inputValue(), ""));
    assert.deepEqual(await commandsOf(original), cliCommands("revoke", { method: "original" }));
    // Edited on the page (its own inline editing): without a leading slash, KEY_GEN_JOB for both methods.
    const dir = page.locator('var.code-placeholder[data-code-var="DIRECTORY_PATH"]').first();
    await dir.click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("opt/tokens");
    const job = page.locator('var.code-placeholder[data-code-var="KEY_GEN_JOB"]');
    await job.click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("key-gen-zz9");
    for (const [procedure, method] of [["revoke", "current"], ["revoke", "original"]]) {
      await eventually(async () => assert.deepEqual(await commandsOf(widget(page, procedure, method)),
        cliCommands(procedure, { method, directory: "/opt/tokens", keyGenJob: "key-gen-zz9" })));
    }
    // Typed in a widget: the page's vars get the value as text.
    await field(widget(page, "fetch"), "Namespace (INFLUXDB_NAMESPACE)").fill("<i>n</i>");
    for (const v of await page.locator('var[data-code-var="INFLUXDB_NAMESPACE"]').evaluateAll((ns) => ns.map((n) => [n.getAttribute("data-code-var-value"), n.textContent, n.children.length])))
      assert.deepEqual(v, ["<i>n</i>", "<i>n</i>", 0]);
    await page.context().close();
  });
});
