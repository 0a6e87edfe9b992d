// What the editor refuses, as the CLI refuses it: a file that is not UTF-8 (Latin-1, UTF-16)
// is never opened with U+FFFD in place of its bytes, and kubectl's own error pasted into the
// Secret box is named as such. Driven through the accessible names a screen reader uses.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { eventually, openPage, root, shot, startBrowser, tempDir } from "./harness.mjs";

let env;
before(async () => { env = await startBrowser(); });
after(async () => { await env?.close(); });

/** The real CLI's stderr for `config lint` of `path` (it exits non-zero on such files). */
function cliRefusal(path) {
  const bin = process.env.INFLUXCTL_ADMIN ?? join(root, "target/debug/influxctl-admin");
  try {
    execFileSync(bin, ["--config", path, "config", "lint"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HOME: tempDir() } });
  } catch (err) {
    return err.stderr;
  }
  assert.fail(`the CLI accepted ${path}`);
}

for (const scheme of ["light", "dark"]) {
  test(`a Latin-1 or UTF-16 file is refused and nothing is opened, ${scheme}`, async () => {
    const { page } = await openPage(env.browser, `${env.server.url}index.html`, { scheme });
    const dir = tempDir();
    const latin1 = join(dir, "latin1.toml");
    // `é` in Latin-1 (0xE9) inside a comment: the byte at offset 5 is not UTF-8.
    writeFileSync(latin1, Buffer.from([...Buffer.from("# caf"), 0xe9, ...Buffer.from("\n[[profile]]\n  name = \"default\"\n")]));
    const source = page.getByRole("textbox", { name: "config.toml", exact: true });
    // The view draws a file at once (the textarea takes it when the page is idle).
    const viewText = () => page.locator("#source-view .prism-code-editor").evaluate((view) =>
      [...view.querySelectorAll(".pce-line")].map((line) => line.textContent).join("").trim());

    await page.getByLabel("Open file…").setInputFiles(latin1);
    const alert = page.locator("#open-error");
    await alert.waitFor({ state: "visible" });
    const message = await alert.textContent();
    assert.match(message, /latin1\.toml is not UTF-8 text \(invalid byte at offset 5\); TOML files must be UTF-8\. Nothing was opened\./);
    assert.equal(await alert.getAttribute("role"), "alert");
    assert.equal(await source.inputValue(), "", "nothing was opened");
    assert.equal(await viewText(), "", "nothing is shown");
    // The CLI says the same of the same bytes.
    assert.match(cliRefusal(latin1), /is not UTF-8 text \(invalid byte at offset 5\); TOML files must be UTF-8/);
    await shot(page, `editor-inputs-${scheme}-latin1`);

    const utf16 = join(dir, "utf16.toml");
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("[[profile]]\n  name = \"default\"\n", "utf16le")]));
    await page.getByLabel("Open file…").setInputFiles(utf16);
    await page.waitForFunction(() => document.querySelector("#open-error").textContent.includes("UTF-16"));
    assert.match(await alert.textContent(), /utf16\.toml is UTF-16 text .* not TOML: influxctl reads config\.toml as UTF-8/);
    assert.equal(await source.inputValue(), "", "nothing was opened");
    assert.equal(await viewText(), "", "nothing is shown");

    // A good file afterwards opens and clears the refusal.
    const good = join(dir, "good.toml");
    writeFileSync(good, "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h.example.com\"\n");
    await page.getByLabel("Open file…").setInputFiles(good);
    await page.waitForFunction(() => document.querySelector("#open-error").hidden);
    await eventually(async () => assert.match(await source.inputValue(), /name = "default"/));
    assert.match(await viewText(), /name = "default"/);
    await page.close();
  });
}

test("kubectl's NotFound error pasted as a Secret is named as kubectl's error", async () => {
  const { page } = await openPage(env.browser, `${env.server.url}index.html`);
  await page.getByRole("textbox", { name: "Secret" }).fill('Error from server (NotFound): secrets "admin-token" not found\n');
  const alert = page.locator("#secret-error");
  await alert.waitFor({ state: "visible" });
  assert.match(
    await alert.textContent(),
    /error message from kubectl, not a Secret: Error from server \(NotFound\): secrets "admin-token" not found/,
  );
  assert.doesNotMatch(await alert.textContent(), /has no data/);
  await shot(page, "editor-inputs-light-kubectl-error");
  await page.close();
});
