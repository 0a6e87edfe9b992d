// The editor's one store. The file's text is the single source of truth: an edit maps
// text to text through the core, and every panel renders from this state. Panels say
// which parts of the state they show; one scheduler renders each changed panel once, in
// a microtask after the change (several changes in one task render once).

import * as core from "../core.js";
import { afterNextFrame } from "../dom.js";
import prerendered from "./prerendered.js";

export const state = {
  original: "", // the text as opened, for the diff
  text: "",
  view: null, // the core's view of `text`, or of the last text that parsed
  parseError: null,
  selected: 0, // index of the selected profile
  fieldErrors: new Map(), // key path → the core's message for a refused field edit
  editError: "", // the core's message for a refused edit that is not a field's
  schema: null,
  opened: 0, // how many files were opened: a new one replaces the source's text at once
};

const panels = new Map(); // name → render()
const dirty = new Set();
let scheduled = false;

/** Adds a panel; `render` reads `state` and updates its part of the page. */
export function panel(name, render) {
  panels.set(name, render);
}

/** Marks panels (all when none are named) to render in the next scheduled pass. */
export function invalidate(...names) {
  for (const name of names.length ? names : panels.keys()) dirty.add(name);
  if (!scheduled) {
    scheduled = true;
    queueMicrotask(flush);
  }
}

/** Renders what is pending now (before moving the focus into what a render builds). */
export function flush() {
  scheduled = false;
  const pending = [...panels.keys()].filter((name) => dirty.has(name));
  dirty.clear();
  for (const name of pending) panels.get(name)();
}

export const selectedProfile = () => state.view?.profiles[state.selected] ?? null;
export const currentName = () => selectedProfile()?.keys.name ?? "";

/** Makes `text` current: re-parses and re-lints it, and renders every panel. */
export function setText(text, { original } = {}) {
  const started = performance.now();
  if (original !== undefined) {
    state.original = original;
    state.selected = 0;
    state.opened += 1;
  }
  state.text = text;
  state.fieldErrors.clear();
  state.editError = "";
  try {
    // An empty file's view is the build's (the same core's), so the first paint does not
    // compile the core's view code: the warm-up does, once the editor is shown.
    state.view = text === "" && prerendered ? structuredClone(prerendered.emptyView) : core.view(text);
    state.parseError = null;
  } catch (err) {
    if (!(err instanceof core.CoreError)) throw err;
    state.parseError = err;
  }
  const profiles = state.view?.profiles.length ?? 0;
  state.selected = Math.min(state.selected, Math.max(profiles - 1, 0));
  invalidate();
  flush();
  performance.measure("render", { start: started, end: performance.now() });
}

/**
 * Applies one core edit to the current text. On refusal the core's message goes beside
 * the field `fieldPath` (or above the form) and the text stays as it was.
 */
export function apply(change, fieldPath = null) {
  const started = performance.now();
  try {
    const text = change(state.text);
    setText(text);
    performance.measure("edit", { start: started, end: performance.now() });
    afterNextFrame(() => performance.measure("edit-shown", { start: started, end: performance.now() }));
    return true;
  } catch (err) {
    if (!(err instanceof core.CoreError)) throw err;
    if (fieldPath) state.fieldErrors.set(fieldPath, err.shown);
    else state.editError = err.shown;
    invalidate("form");
    flush();
    return false;
  }
}

/** Selects profile `index` (the list, the form and the commands follow). */
export function select(index) {
  state.selected = index;
  state.fieldErrors.clear();
  invalidate("profiles", "form", "commands");
  flush();
}

/** Whether two arrays hold the same items (`same` compares two items). */
export function sameList(a, b, same = (x, y) => x === y) {
  return a.length === b.length && a.every((x, i) => same(x, b[i]));
}
