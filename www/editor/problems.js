// The Problems panel: every finding with its line, a "Show" that selects its text in the
// source, and the one-click fixes the core's findings allow.

import * as core from "../core.js";
import { el } from "../dom.js";
import { state, panel, apply, sameList } from "./store.js";
import { findingsShown, sameFinding } from "./findings.js";
import { showSpan } from "./source.js";

// Notes of one kind (a file of 100 token-file profiles has 100 requires-version notes)
// show as their first, with the rest in a disclosure built when it is opened.
const GROUP_NOTES_FROM = 4;

let shown = [];

export function mountProblems() {
  panel("problems", render);
}

function render() {
  const findings = findingsShown();
  // Most edits leave the findings as they were: keep the list (and an opened disclosure).
  if (sameList(findings, shown, sameFinding) && document.getElementById("problems-summary").textContent) return;
  shown = findings;
  const count = (severity, word) => {
    const n = findings.filter((f) => f.severity === severity).length;
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  };
  document.getElementById("problems-summary").textContent = findings.length
    ? `${count("error", "error")}, ${count("warning", "warning")}, ${count("info", "note")}`
    : "No problems: influxctl will accept this file.";
  const notes = new Map();
  for (const f of findings) {
    if (f.severity !== "info") continue;
    if (!notes.has(f.code)) notes.set(f.code, []);
    notes.get(f.code).push(f);
  }
  document.getElementById("problems").replaceChildren(...findings.flatMap((f) => {
    const same = f.severity === "info" ? notes.get(f.code) : [];
    if (same.length < GROUP_NOTES_FROM) return [findingItem(f)];
    return same[0] === f ? [findingItem(f, moreLikeIt(same.slice(1)))] : [];
  }));
}

function findingItem(f, more = null) {
  return el("li", { class: `finding sev-${f.severity}` },
    el("span", { class: "severity", text: f.severity }), " ",
    el("code", { text: f.code }), " ",
    f.line ? el("span", { class: "where", text: `line ${f.line}` }) : null, f.line ? ": " : null,
    el("span", { text: f.message }), " ",
    f.span ? el("button", { type: "button", class: "link", onclick: () => showSpan(f.span) }, "Show") : null,
    ...fixes(f), more);
}

function moreLikeIt(rest) {
  const list = el("ul", { class: "more-findings" });
  return el("details", {
    ontoggle: (e) => { if (e.target.open && !list.firstChild) list.append(...rest.map((f) => findingItem(f))); },
  }, el("summary", { text: `${rest.length} more like it` }), list);
}

/** The one-click fixes a finding has: remove a removed or unknown key. */
function fixes(finding) {
  if (!finding.profile || !finding.key || !["removed-key", "unknown-key"].includes(finding.code)) return [];
  return [" ", el("button", { type: "button", class: "fix",
    onclick: () => apply((t) => core.unsetKey(t, finding.profile, finding.key)) }, `Remove ${finding.key}`)];
}

/** The problems of one key of one profile (shown beside its form field). */
export const problemsOf = (profile, path) =>
  (state.parseError ? [] : state.view?.findings ?? []).filter((f) => f.profile === profile && f.key === path);
