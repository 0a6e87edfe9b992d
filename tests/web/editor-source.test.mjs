// The editor's source view: config.toml highlighted, each problem underlined at its exact
// text (the spans of the real CLI's `config lint`), its message on hover and at the caret,
// F8 / Shift+F8 between problems with the keyboard only, the caret and scroll kept across
// form edits, and a 100-profile file edited in the page byte for byte as the CLI edits it.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { artifacts, cli, configFile, eventually, holdIdle, openPage, readText, root, runIdle, shot, startBrowser, tempDir } from "./harness.mjs";
import { bigConfig } from "../../scripts/big-config.mjs";

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

// Three problems, one after non-ASCII text on its line (columns count characters, the page
// counts UTF-16 units), one in a sub-table.
const WITH_PROBLEMS = [
  "# prod — café ☕",
  "[[profile]]",
  '  name = "default"',
  '  product = "clustered"',
  '  host = "h.example.com"',
  '  "hôsts😀" = "x" # 😀 typo',
  '  hots = "y"',
  "  [profile.auth.oauth2]",
  '    client_id = "c"',
  '    client_secret = "s3"',
  "",
].join("\n");

/** The whole page, and the source panel alone (what the problem looks like close up). */
async function shots(page, name) {
  await shot(page, name);
  await page.locator(".panel.source").screenshot({ path: join(artifacts, `${name}-source.png`) });
}

const source = (page) => page.getByRole("textbox", { name: "config.toml", exact: true });

/** The text each underline covers, by mark: what the page shows as a problem's text. */
const underlined = (page) => page.evaluate(() => {
  const byMark = new Map();
  for (const span of document.querySelectorAll("#source-view .token.lint")) {
    const mark = [...span.classList].find((c) => c.startsWith("mark-"));
    byMark.set(mark, (byMark.get(mark) ?? "") + span.textContent);
  }
  return [...byMark.values()].sort();
});

/** What the CLI's `config lint` says each finding covers: its span's text, by characters. */
function cliSpans(text) {
  const report = (() => {
    try {
      return cli(["--config", configFile(text), "config", "lint", "--output", "json"]);
    } catch (err) {
      return err.stdout; // lint exits 1 when it finds errors
    }
  })();
  const lines = text.split("\n");
  return JSON.parse(report).findings.filter((f) => f.span).map(({ message, span }) => {
    assert.equal(span.line, span.end_line, "single-line spans in this fixture");
    return { message, text: [...lines[span.line - 1]].slice(span.column - 1, span.end_column - 1).join("") };
  });
}

for (const scheme of ["light", "dark"]) {
  describe(`the source view, ${scheme}`, () => {
    test("each problem is underlined at the exact text the CLI's lint names, its message on hover", async () => {
      const { page, seen } = await openPage(env.browser, `${env.server.url}index.html`, { scheme });
      await source(page).fill(WITH_PROBLEMS);
      const expected = cliSpans(WITH_PROBLEMS);
      assert.equal(expected.length, 3);
      await eventually(async () => assert.deepEqual(await underlined(page), expected.map((f) => f.text).sort()));
      assert.ok(expected.some((f) => f.text === '"hôsts😀"'), "the span after non-ASCII text is exact");

      // Highlighted as TOML: tables, keys, strings and comments.
      const view = page.locator("#source-view");
      assert.equal(await view.locator(".token.table").first().innerText(), "profile");
      assert.ok((await view.locator(".token.key").allInnerTexts()).includes("client_id"));
      assert.ok((await view.locator(".token.string").allInnerTexts()).includes('"clustered"'));
      assert.match(await view.locator(".token.comment").first().innerText(), /café/);

      // Hovering an underline shows that finding's message.
      const tooltip = page.getByRole("tooltip");
      const target = expected.find((f) => f.text === "hots");
      // The textarea lies over the text (it takes the pointer): move the mouse onto the word.
      await view.locator(".token.lint", { hasText: /^hots$/ }).hover({ force: true });
      await eventually(async () => assert.ok((await tooltip.innerText()).includes(target.message)));
      await shots(page, `editor-source-${scheme}-hover`);
      await page.mouse.move(5, 5);
      await eventually(async () => assert.ok(await tooltip.isHidden()));
      assert.deepEqual(seen.errors, []);
      await page.context().close();
    });

    test("keyboard only: Tab in, F8 and Shift+F8 go from problem to problem, Tab leaves", async () => {
      const { page } = await openPage(env.browser, `${env.server.url}index.html`, { scheme });
      await source(page).fill(WITH_PROBLEMS);
      const expected = cliSpans(WITH_PROBLEMS);
      await page.getByRole("button", { name: "Start empty" }).focus();
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "config.toml");
      const selection = () => page.evaluate(() => { const s = document.activeElement; return s.value.slice(s.selectionStart, s.selectionEnd); });
      const described = () => page.evaluate(() => (document.activeElement.getAttribute("aria-describedby") ?? "").split(" ")
        .map((id) => document.getElementById(id)?.textContent ?? "").join(" | "));

      await page.keyboard.press("Control+Home");
      const order = [];
      for (let i = 0; i < expected.length; i++) {
        await page.keyboard.press("F8");
        order.push(await selection());
        const finding = expected.find((f) => f.text === order[i]);
        assert.ok(finding, `F8 selected "${order[i]}", a problem's text`);
        // The textbox's description (what a screen reader reads) is the problem's message.
        assert.ok((await described()).includes(finding.message));
        assert.ok(await page.getByRole("tooltip").isVisible());
      }
      assert.deepEqual(order, ['"hôsts😀"', "hots", "client_secret"], "in the order of the text");
      await page.keyboard.press("F8");
      assert.equal(await selection(), order[0], "F8 after the last wraps to the first");
      await page.keyboard.press("Shift+F8");
      assert.equal(await selection(), order[2], "Shift+F8 goes back, wrapping");
      await shots(page, `editor-source-${scheme}-keyboard`);

      // Typing over a problem re-lints at once; a parse error is marked where it is.
      await page.keyboard.press("Shift+F8"); // "hots"
      await page.keyboard.type("host");
      const alert = page.getByRole("alert").filter({ hasText: "does not parse" });
      await eventually(async () => assert.match(await alert.innerText(), /line 7, column 3/));
      assert.equal((await underlined(page)).length, 1);
      assert.ok((await page.locator("#source-view .token.lint.sev-error").first().innerText()).length > 0);
      await shots(page, `editor-source-${scheme}-parse-error`);

      // Tab leaves the source: no keyboard trap.
      await page.keyboard.press("Tab");
      assert.notEqual(await page.evaluate(() => document.activeElement.id), "source");
      await page.context().close();
    });
  });
}

test("100 profiles: form edits keep the source's caret and scroll, and the file is the CLI's byte for byte", async () => {
  const { page, seen } = await openPage(env.browser, `${env.server.url}index.html`);
  const original = bigConfig(100);
  const path = join(tempDir(), "config.toml");
  writeFileSync(path, original);
  await page.getByLabel("Open file…").setInputFiles(path);
  const profiles = page.getByRole("listbox", { name: "Profiles" });
  await profiles.getByRole("option", { name: /^cluster-99\b/ }).waitFor();
  const scroller = page.locator("#source-view .prism-code-editor");
  // The open's first frame draws the lines in view; those below them (up to three screens
  // from the top) follow when the page is idle, so that a scroll finds them drawn.
  await eventually(async () => {
    const { count, screen } = await scroller.evaluate((s) => ({
      count: s.querySelectorAll(".pce-line").length,
      screen: Math.ceil(s.clientHeight / parseFloat(getComputedStyle(s).lineHeight)),
    }));
    assert.ok(count >= 2.5 * screen, `${count} lines in the page, ${screen} in view`);
  });

  // The reader is at line 500 of the source, its caret there, scrolled to it.
  const caretAt = original.indexOf('name = "cluster-50"');
  await source(page).evaluate((t, at) => { t.focus(); t.setSelectionRange(at, at); }, caretAt);
  await scroller.evaluate((s) => { s.scrollTop = 500 * 19; });
  const scrolled = await scroller.evaluate((s) => s.scrollTop);
  assert.ok(scrolled > 0);
  const caret = () => source(page).evaluate((t) => t.selectionStart);

  const edit = async (profile, field, value) => {
    await profiles.getByRole("option", { name: new RegExp(`^${profile}\\b`) }).click();
    const input = page.getByRole("textbox", { name: field, exact: true });
    await input.fill(value);
    await input.press("Tab");
  };
  // After the caret: it stays; before it: it moves with its text.
  await edit("cluster-90", "Host", "edited-90.example.com");
  await eventually(async () => assert.match(await source(page).inputValue(), /edited-90/));
  assert.equal(await caret(), caretAt);
  await edit("cluster-10", "Host", "longer-name-10.example.com");
  await eventually(async () => assert.match(await source(page).inputValue(), /longer-name-10/));
  const grown = "longer-name-10.example.com".length - "cluster-10.example.com".length;
  assert.equal(await caret(), caretAt + grown);
  assert.equal(await scroller.evaluate((s) => s.scrollTop), scrolled, "the source did not scroll");
  await edit("cluster-50", "Port", "8443");
  await edit("cluster-77", "Token file", "/home/ops/t77.json");
  await page.getByRole("button", { name: "Use a token file" }).click();
  await eventually(async () => assert.match(await source(page).inputValue(), /t77\.json/));

  cli(["--config", path, "profile", "set", "cluster-90", "host", "edited-90.example.com"]);
  cli(["--config", path, "profile", "set", "cluster-10", "host", "longer-name-10.example.com"]);
  cli(["--config", path, "profile", "set", "cluster-50", "port", "8443"]);
  cli(["--config", path, "profile", "use-token", "cluster-77", "--token-file", "/home/ops/t77.json"]);
  assert.equal(await source(page).inputValue(), readText(path));
  await page.getByText("Whole file", { exact: true }).click();
  assert.equal(await page.getByRole("textbox", { name: "Result" }).inputValue(), readText(path));

  // The changes come first, highlighted as TOML.
  const diff = page.getByLabel("Changes");
  assert.match(await diff.innerText(), /^\+\s+host = "edited-90\.example\.com"/m);
  assert.ok(await diff.locator(".da .token.string").count() > 0, "added lines are highlighted");

  // Only the lines in view (and two screens around them) are in the page, wherever the
  // reader scrolls or jumps, each showing its text; the others are blocks of their height.
  const drawn = () => scroller.evaluate((s) => {
    const box = s.getBoundingClientRect();
    const lines = [...s.querySelectorAll(".pce-line")].map((line) => {
      const r = line.getBoundingClientRect();
      return { n: Number(line.dataset.n), text: line.textContent.replace(/\n$/, ""), top: r.top - box.top + s.scrollTop, inView: r.bottom > box.top && r.top < box.bottom };
    });
    const textTop = s.querySelector("textarea").getBoundingClientRect().top - box.top + s.scrollTop;
    return { lines, height: s.scrollHeight, lineHeight: parseFloat(getComputedStyle(s).lineHeight), textTop };
  });
  const covers = async ({ lines, height, lineHeight, textTop }, where) => {
    const sourceLines = (await source(page).inputValue()).split("\n");
    const inView = lines.filter((line) => line.inView);
    assert.ok(inView.length > 5, `${where}: lines in view`);
    for (const line of lines) {
      assert.equal(line.text, sourceLines[line.n - 1], `${where}: line ${line.n} shows its text`);
      // Where the textarea has the same line (the text the caret moves in lies over it).
      assert.ok(Math.abs(line.top - (textTop + (line.n - 1) * lineHeight)) < 0.5, `${where}: line ${line.n} at its place`);
    }
    const numbers = inView.map((line) => line.n);
    assert.deepEqual(numbers, numbers.map((_, k) => numbers[0] + k), `${where}: the lines in view follow each other`);
    assert.ok(lines.length < sourceLines.length / 4, `${where}: ${lines.length} of ${sourceLines.length} lines in the page`);
    assert.ok(Math.abs(height - sourceLines.length * lineHeight) < 2 * lineHeight, `${where}: the view is as tall as the file`);
  };
  await covers(await drawn(), "at line 500");
  await scroller.evaluate((s) => { s.scrollTop = 0; });
  await eventually(async () => covers(await drawn(), "at the top"));
  await source(page).press("Control+End"); // the caret's move scrolls the view
  await eventually(async () => covers(await drawn(), "after Ctrl+End"));
  assert.ok((await drawn()).lines.some((line) => line.inView && line.n === original.split("\n").length), "the last line is in view");
  await shots(page, "editor-source-100-profiles-end");
  assert.deepEqual(seen.errors, []);
  await page.context().close();
});

/** What the view shows, line by line: each line's number and text. */
const viewLines = (page) => page.locator("#source-view .prism-code-editor").evaluate((view) =>
  [...view.querySelectorAll(".pce-line")].map((line) => `${line.dataset.n}|${line.textContent.replace(/\n$/, "")}`));
const numbered = (text) => text.split("\n").map((line, i) => `${i + 1}|${line}`);

test("100 profiles: an option scrolled into the list's view stays where it is as the options around it are laid out", async () => {
  // Options out of the list's view stand in at a height until they are laid out: at any other
  // height than their own, the list shifts under the pointer (a click that starts on one
  // option and ends on another selects neither).
  const { page } = await openPage(env.browser, `${env.server.url}index.html`, { viewport: { width: 1280, height: 720 } });
  const path = join(tempDir(), "config.toml");
  writeFileSync(path, bigConfig(100));
  await page.getByLabel("Open file…").setInputFiles(path);
  const option = page.getByRole("listbox", { name: "Profiles" }).getByRole("option", { name: /^cluster-90\b/ });
  await option.waitFor();
  const tops = await option.evaluate((o) => new Promise((done) => {
    o.scrollIntoView({ block: "center" });
    const seen = [o.getBoundingClientRect().top];
    const frame = () => {
      seen.push(o.getBoundingClientRect().top);
      if (seen.length < 6) requestAnimationFrame(frame);
      else done(seen);
    };
    requestAnimationFrame(frame);
  }));
  assert.deepEqual(tops, tops.map(() => tops[0]), `the option's top, frame by frame: ${tops.join(", ")}`);
  // Each option is one line: what does not fit ends in "…", the accessible name keeps it all.
  const heights = await page.locator("[role=option]").evaluateAll((options) => [...new Set(options.slice(80, 100).map((o) => o.getBoundingClientRect().height))]);
  assert.equal(heights.length, 1, `one height for all: ${heights}`);
  await page.context().close();
});

test("100 profiles: the list's first options come with the open, the rest when the page is idle; the keyboard reaches every one before that", async () => {
  // The page's idle callbacks are held until the test lets them run.
  const { page, seen } = await openPage(env.browser, `${env.server.url}index.html`, {
    setUp: holdIdle,
  });
  await page.waitForSelector("body[data-ready]");
  const path = join(tempDir(), "config.toml");
  writeFileSync(path, bigConfig(100));
  await page.getByLabel("Open file…").setInputFiles(path);
  const list = page.getByRole("listbox", { name: "Profiles" });
  const options = list.getByRole("option");
  await options.first().waitFor();
  const before = await options.count();
  assert.ok(before >= 7 && before < 100, `${before} options before the page is idle`);
  // End goes to the last profile, which the list then holds; Home comes back.
  await list.focus();
  await page.keyboard.press("End");
  const last = list.getByRole("option", { name: /^cluster-99\b/ });
  assert.equal(await last.getAttribute("aria-selected"), "true");
  assert.equal(await list.getAttribute("aria-activedescendant"), await last.getAttribute("id"));
  assert.equal(await page.getByRole("textbox", { name: "Name", exact: true }).inputValue(), "cluster-99");
  await page.keyboard.press("Home");
  assert.equal(await list.getByRole("option", { name: /^cluster-0\b/ }).getAttribute("aria-selected"), "true");
  await runIdle(page);
  // Every profile, in the file's order, each option named by its profile.
  assert.deepEqual(
    (await options.locator(".name").allTextContents()),
    Array.from({ length: 100 }, (_, i) => `cluster-${i}`));
  assert.deepEqual(seen.errors, []);
  await page.context().close();
});

test("an opened profile's form has its first groups at once, the rest when the page is idle, each field with its value", async () => {
  const { page, seen } = await openPage(env.browser, `${env.server.url}index.html`, { setUp: holdIdle });
  await page.waitForSelector("body[data-ready]");
  const path = join(tempDir(), "config.toml");
  writeFileSync(path, bigConfig(100).replace('port = "443"', 'port = "443"\n    [profile.tls]\n        key = "/etc/influxctl/client.key"'));
  await page.getByLabel("Open file…").setInputFiles(path);
  const groups = () => page.locator("#profile-form fieldset > legend").allTextContents();
  const field = (name) => page.getByRole("textbox", { name, exact: true });
  await field("Host").waitFor();
  assert.deepEqual(await groups(), ["Connection", "Admin token file"]);
  assert.equal(await field("Token file").inputValue(), "/home/ops/.config/influxctl/token-0.json");
  assert.equal(await field("TLS client key").count(), 0, "not made before the page is idle");
  await runIdle(page);
  await eventually(async () => assert.deepEqual(await groups(), ["Connection", "Admin token file", "Tokens", "TLS", "OAuth2"]));
  assert.equal(await field("TLS client key").inputValue(), "/etc/influxctl/client.key");
  // Another profile's form: built again the same way, with its own values.
  await page.getByRole("listbox", { name: "Profiles" }).getByRole("option", { name: /^cluster-1\b/ }).click();
  await eventually(async () => assert.equal(await field("Host").inputValue(), "cluster-1.example.com"));
  assert.deepEqual(await groups(), ["Connection", "Admin token file"]);
  await runIdle(page);
  await eventually(async () => assert.equal(await field("TLS client key").inputValue(), ""));
  assert.deepEqual(seen.errors, []);
  await page.context().close();
});

test("the view shows the source's text line by line through every kind of edit; a form edit shows at once", async () => {
  // The page's idle callbacks are held until the test lets them run: the textarea takes an
  // edit made in the form when the page is idle, or when the reader goes to it.
  const { page, seen } = await openPage(env.browser, `${env.server.url}index.html`, {
    setUp: holdIdle,
  });
  const shows = async (what) => eventually(async () => assert.deepEqual(await viewLines(page), numbered(await source(page).inputValue()), what));

  await source(page).fill(bigConfig(3));
  await shows("a pasted file");
  // Typing: lines split, joined, and removed, at the start, in the middle and at the end.
  await source(page).evaluate((t) => { t.focus(); t.setSelectionRange(0, 0); });
  await page.keyboard.type("# top\n\n");
  await shows("lines typed at the start");
  await source(page).evaluate((t) => { const at = t.value.indexOf("[[profile]]", 40); t.setSelectionRange(at, at); });
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Backspace");
  await shows("a line added in the middle");
  await source(page).evaluate((t) => { const at = t.value.indexOf("[[profile]]", 40); t.setSelectionRange(at, t.value.indexOf("[[profile]]", at + 1)); });
  await page.keyboard.press("Backspace");
  await shows("a profile's lines removed");
  await source(page).evaluate((t) => t.setSelectionRange(0, 0));
  await page.keyboard.type('note = """\nline one\nline two"""\n');
  await shows("a multi-line string");
  await source(page).evaluate((t) => t.setSelectionRange(0, t.value.indexOf("[[profile]]")));
  await page.keyboard.press("Backspace");
  await shows("the string removed");

  // An edit made in the form: in the view at once, in the textarea when the page is idle.
  await runIdle(page);
  const before = await source(page).inputValue();
  await page.getByRole("listbox", { name: "Profiles" }).getByRole("option").first().click();
  const host = page.getByRole("textbox", { name: "Host", exact: true });
  await host.fill("drawn-first.example.com");
  await host.press("Tab");
  await eventually(async () => assert.ok((await viewLines(page)).some((line) => line.includes('host = "drawn-first.example.com"'))));
  assert.equal(await source(page).inputValue(), before, "the textarea takes it when the page is idle");
  await runIdle(page);
  await eventually(async () => assert.match(await source(page).inputValue(), /host = "drawn-first\.example\.com"/));
  await shows("an edit made in the form");
  // Lines added by the form (a table), then the reader goes to the source before the page
  // is idle: it holds the edit as soon as it has the focus.
  await page.getByRole("button", { name: "Use a token file" }).click();
  await eventually(async () => assert.ok((await viewLines(page)).some((line) => line.includes("[profile.auth.token]"))));
  await source(page).focus();
  assert.match(await source(page).inputValue(), /\[profile\.auth\.token\]/);
  await shows("a table added by the form");
  await runIdle(page);
  assert.deepEqual(seen.errors, []);
  await page.context().close();
});

test("the built page holds its styles: one hashed <style>, no stylesheet to wait for, no CSP violation", async () => {
  const { page, seen, context } = await openPage(env.browser, `${env.server.url}index.html`, { waitUntil: "commit" });
  assert.deepEqual(seen.requests.filter((url) => url.endsWith(".css")), [], "asked for a stylesheet");
  // Styled by that element (nothing else could style it): the source's line height is the stylesheet's.
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("#source-view .prism-code-editor")).lineHeight), "19px");
  // The policy admits that element by its hash, and nothing else inline.
  const { policy, css } = await page.evaluate(() => ({
    policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]').content,
    css: [...document.querySelectorAll("style")].map((style) => style.textContent),
  }));
  assert.equal(css.length, 1);
  const hash = createHash("sha256").update(css[0]).digest("base64");
  assert.match(policy, new RegExp(`style-src 'self' 'sha256-${hash.replace(/[+/]/g, "\\$&")}';`));
  assert.doesNotMatch(policy, /unsafe-inline/);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await context.close();
});

test("a stylesheet that arrives after the editor has started (www/ as scripts/serve serves it): the view still shows every line at its place", async () => {
  // Unbuilt, the page links its stylesheets, and its module is async: on a slow network
  // they can come after it. The built page, its styles moved back into a held file:
  let release;
  const held = new Promise((done) => { release = done; });
  const built = readFileSync(join(root, "target/site/index.html"), "utf8");
  const css = built.match(/<style>([^]*?)<\/style>/)[1];
  const linked = built.replace(/<style>[^]*?<\/style>/, '<link rel="stylesheet" href="editor.css">');
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.route(/index\.html$/, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: linked }));
  await context.route(/editor\.css$/, async (route) => {
    await held;
    await route.fulfill({ contentType: "text/css; charset=utf-8", body: css });
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${env.server.url}index.html`, { waitUntil: "commit" });
  await page.waitForSelector("body[data-ready]");
  assert.equal(await page.evaluate(() => [...document.styleSheets].some((sheet) => sheet.href?.endsWith("editor.css"))), false, "started before its stylesheet");
  await source(page).fill(bigConfig(2));
  release();
  await page.waitForFunction(() => getComputedStyle(document.querySelector("#source-view .prism-code-editor")).lineHeight === "19px");
  await eventually(async () => assert.deepEqual(await viewLines(page), numbered(await source(page).inputValue())));
  const places = await page.locator("#source-view .prism-code-editor").evaluate((view) => {
    const top = view.querySelector("textarea").getBoundingClientRect().top;
    return [...view.querySelectorAll(".pce-line")].map((line) => line.getBoundingClientRect().top - top);
  });
  places.forEach((at, i) => assert.ok(Math.abs(at - i * 19) < 0.5, `line ${i + 1} at ${at}, not ${i * 19}`));
  assert.deepEqual(errors, []);
  await context.close();
});

test("an edit made in the form is one step of the source's undo history", async () => {
  const { page } = await openPage(env.browser, `${env.server.url}index.html`);
  const text = '[[profile]]\n  name = "default"\n  product = "clustered"\n  host = "h.example.com"\n';
  await source(page).fill(text);
  const host = page.getByRole("textbox", { name: "Host", exact: true });
  await host.fill("edited.example.com");
  await host.press("Tab");
  await eventually(async () => assert.match(await source(page).inputValue(), /host = "edited\.example\.com"/));
  await source(page).focus();
  await page.keyboard.press("Control+z");
  await eventually(async () => assert.equal(await source(page).inputValue(), text));
  // The page follows the undone text: the form shows the old value again.
  await eventually(async () => assert.equal(await host.inputValue(), "h.example.com"));
  await page.context().close();
});
