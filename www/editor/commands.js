// The kubectl commands panel: each admin-token procedure as the script
// `influxctl-admin plan … --shell` prints, for the selected profile and its token file.

import * as core from "../core.js";
import { el } from "../dom.js";
import { copyButton } from "../copy.js";
import { panel, selectedProfile, whenIdle } from "./store.js";
import { DEFAULT_TOKEN_FILE } from "./form.js";

const $ = (id) => document.getElementById(id);
let shown = null; // the values the scripts were made for
let deferred = true; // not drawn yet: see mountCommands

export function mountCommands() {
  $("namespace").addEventListener("input", render);
  panel("commands", render);
  // The panel is below the first screen and its four scripts were half of the start's
  // script time: it is drawn once the editor is shown (in idle time), or as soon as it comes
  // into view, whichever is first.
  const start = () => {
    if (!deferred) return;
    deferred = false;
    inView.disconnect();
    render();
  };
  const inView = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) start(); });
  inView.observe(document.querySelector(".panel.commands"));
  whenIdle(start, 500);
}

function render() {
  if (deferred) return;
  const profile = selectedProfile();
  const namespace = $("namespace").value.trim();
  const tokenFile = profile?.keys.token_file || DEFAULT_TOKEN_FILE;
  const profileName = profile?.keys.name || "default";
  // Most edits change none of the values the commands use: keep what is shown.
  const values = `${namespace}\n${tokenFile}\n${profileName}`;
  if (values === shown) return;
  shown = values;
  try {
    const blocks = core.procedures().map(({ procedure, method, title: heading }) => {
      method ??= "current";
      const plan = core.plan({ procedure, method, namespace, tokenFile, profile: profileName });
      return el("section", { class: "procedure" },
        el("h3", { text: heading }),
        el("pre", { id: `script-${procedure}-${method}`, tabindex: "0", "aria-label": `${heading}: script` }, el("code", { text: plan.shell })),
        copyButton(plan.shell, `Copy script: ${heading.toLowerCase()}`, `Copy script: ${heading.toLowerCase()}`));
    });
    showError("");
    $("procedures").replaceChildren(...blocks);
  } catch (err) {
    if (!(err instanceof core.CoreError)) throw err;
    showError(err.shown);
    $("procedures").replaceChildren();
  }
}

function showError(message) {
  $("namespace-error").textContent = message;
  $("namespace-error").hidden = !message;
  $("namespace").setAttribute("aria-invalid", String(!!message));
}
