// The Result panel: the changes against the opened file first (a unified diff, each line
// highlighted as TOML), the whole resulting file one action away, and its download.

import { highlightText } from "../vendor/code-editor.js";
import { el } from "../dom.js";
import { lineDiff, unified } from "../diff.js";
import { state, panel } from "./store.js";
import { replaceText } from "./source.js";
import { download } from "./files.js";

const $ = (id) => document.getElementById(id);
const KIND = { " ": "dc", "@": "dh", "+": "da", "-": "dr" };

export function mountResult() {
  $("download-config").addEventListener("click", () => download(new Blob([state.text], { type: "application/toml" }), "config.toml"));
  $("whole-file").querySelector("summary").addEventListener("click", () => replaceText($("result"), state.text));
  panel("result", render);
}

function render() {
  $("download-config").disabled = !!state.parseError;
  // Kept current only while shown (a closed disclosure's textarea still costs each edit a
  // restyle of its text); filled on the click that opens it, before it opens.
  if ($("whole-file").open) replaceText($("result"), state.text);
  const ops = lineDiff(state.original, state.text);
  const lines = unified(ops);
  $("diff").replaceChildren(...(lines.length ? lines.map(diffLine) : [el("span", { class: "hint", text: "No changes against the opened file." })]));
  const added = ops.filter((o) => o.kind === "+").length;
  const removed = ops.filter((o) => o.kind === "-").length;
  $("result-summary").textContent = state.parseError ? "" : `${added} lines added, ${removed} removed`;
}

function diffLine({ kind, text }) {
  const line = el("span", { class: KIND[kind] });
  if (kind === "@") line.textContent = `${text}\n`;
  else {
    // The highlighter escapes the text (`<` and `&`): what it returns is markup of spans only.
    line.append(text[0]);
    line.insertAdjacentHTML("beforeend", highlightText(text.slice(1), "toml"));
    line.append("\n");
  }
  return line;
}
