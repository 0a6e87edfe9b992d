// The kubectl commands panel: each admin-token procedure as the script
// `influxctl-admin plan … --shell` prints, for the selected profile and its token file.

import * as core from "../core.js";
import { el, whenIdle } from "../dom.js";
import { copyButton } from "../copy.js";
import { panel, selectedProfile } from "./store.js";
import { DEFAULT_TOKEN_FILE } from "./form.js";

const $ = (id) => document.getElementById(id);
let shown = null; // the values the scripts were made for
let inView = false; // the panel is in the view (as its observer last said)
let drawLater = false; // a draw is waiting for the page to be idle

export function mountCommands() {
  $("namespace").addEventListener("input", draw);
  panel("commands", render);
  // The panel is below the first screen, and its four scripts are four calls into the core:
  // it is drawn when it comes within a screen of the view, else when the page is idle (at
  // the start, and after an edit or an open that changes what it shows).
  new IntersectionObserver((entries) => {
    if (entries.at(-1).isIntersecting) draw();
  }, { rootMargin: "100% 0px" }).observe(document.querySelector(".panel.commands"));
  // Only a panel in view is drawn in the task that changed it: one that was near before an
  // open may be screens away once the file's panels are drawn.
  new IntersectionObserver((entries) => {
    inView = entries.at(-1).isIntersecting;
  }).observe(document.querySelector(".panel.commands"));
  render();
}

function render() {
  if (inView) {
    draw();
  } else if (!drawLater) {
    drawLater = true;
    whenIdle(() => {
      drawLater = false;
      draw();
    }, 500);
  }
}

function draw() {
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
