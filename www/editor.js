// The profile editor. Every change goes through the core (the same Rust code as
// `influxctl-admin profile …`), and the page only shows what the core returns. One
// module per panel (editor/), one store and one render scheduler (editor/store.js).

import * as core from "./core.js";
import { afterNextFrame, whenIdle } from "./dom.js";
import { state } from "./editor/store.js";
import { mountSource } from "./editor/source.js";
import { mountProfiles } from "./editor/profiles.js";
import { mountForm } from "./editor/form.js";
import { mountProblems } from "./editor/problems.js";
import { mountResult } from "./editor/result.js";
import { mountCommands } from "./editor/commands.js";
import { mountSecret } from "./editor/secret.js";
import { mountFiles, open } from "./editor/files.js";
import prerendered from "./editor/prerendered.js";

// The module loads async: the core loads while the page is still being parsed and laid
// out, and the panels mount once both are done.
const parsed = document.readyState === "loading"
  ? new Promise((done) => document.addEventListener("DOMContentLoaded", done, { once: true }))
  : Promise.resolve();

const WARM_UP = `# profiles
[[profile]]
  name = "default"
  product = "clustered"
  host = "cluster.example.com"
  port = "443"
  [profile.auth.token]
    token_file = "/home/me/token.json"

[[profile]]
  name = "idp"
  product = "clustered"
  host = "other.example.com"
  [profile.auth.oauth2]
    client_id = "id"
    scopes = ["openid"]
`;

/** Ten profiles: WARM_UP five times, renamed. */
const WARM_UP_FILE = Array.from({ length: 5 }, (_, i) => WARM_UP.replaceAll('"default"', `"default-${i}"`).replaceAll('"idp"', `"idp-${i}"`)).join("\n");

/**
 * Warms the core up while the page is idle, one call pair per idle moment (about 5 ms each).
 * Its functions run in WebAssembly's baseline code, compiled one by one on first use, and the
 * engine optimises a function once it has done enough work: one view of a small file left a
 * 100-profile file's first view in baseline code (open to shown 116-129 ms here); five views
 * of WARM_UP_FILE get it optimised (94-102 ms, interleaved A/B, medians of 12).
 */
function warmUp(rounds = 5) {
  if (rounds === 0) {
    performance.mark("warmed-up");
    return;
  }
  whenIdle(() => {
    core.view(WARM_UP_FILE);
    core.setKey(WARM_UP_FILE, "default-0", "port", "8443");
    warmUp(rounds - 1);
  }, 1000);
}

async function main() {
  await Promise.all([core.load(), parsed]);
  performance.mark("core-loaded");
  // The build's copies of the core's schema and version (see editor/prerendered.js), or the core's.
  state.schema = prerendered?.schema ?? core.schema();
  document.getElementById("core-version").textContent = prerendered?.version ?? core.version();
  // The order panels render in: the source first, so that its marks match the text.
  mountSource(document.getElementById("source-view"));
  mountProblems();
  mountProfiles();
  mountForm();
  mountResult();
  mountCommands();
  mountSecret();
  mountFiles();
  open("");
  document.body.dataset.ready = "true";
  performance.mark("editor-ready");
  afterNextFrame(() => {
    performance.mark("editor-shown");
    // The core's first calls on a real file are made now, not at the first open.
    warmUp();
    // Then the Secret reader, a module of its own, so that the first paint does not wait
    // for it and the page still works offline once loaded.
    // (If it cannot load now, a pasted Secret says so and tries again.)
    whenIdle(() => core.loadSecrets().then(() => {
      performance.mark("secrets-loaded");
      document.body.dataset.loaded = "true";
    }, () => {}), 1000);
  });
}

main().catch((err) => {
  const alert = document.getElementById("parse-error");
  alert.textContent = `The editor could not start: ${err.message}`;
  alert.hidden = false;
  throw err;
});
