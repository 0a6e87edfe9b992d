// The Profiles panel: a listbox of the file's profiles (arrow keys, Home, End), and adding,
// duplicating and removing one.

import * as core from "../core.js";
import { el } from "../dom.js";
import { state, panel, apply, select, selectedProfile, flush, sameList } from "./store.js";

const $ = (id) => document.getElementById(id);
let shown = null; // [selected, summaries] the list shows

export function mountProfiles() {
  $("profile-list").addEventListener("keydown", onListKey);
  $("add-profile").addEventListener("click", addProfile);
  $("duplicate-profile").addEventListener("click", duplicateProfile);
  $("remove-profile").addEventListener("click", removeProfile);
  panel("profiles", render);
}

const summary = (p) => [p.display_name, p.keys.product, p.address, p.auth.method];

function render() {
  const profiles = state.view?.profiles ?? [];
  const broken = !!state.parseError;
  $("add-profile").disabled = broken;
  $("duplicate-profile").disabled = broken || profiles.length === 0;
  $("remove-profile").disabled = broken || profiles.length === 0;
  $("no-profiles").hidden = profiles.length > 0 || broken;
  // Rebuilt only when what the list shows changed (most edits change one field).
  const now = [state.selected, profiles.map(summary)];
  if (shown && shown[0] === now[0] && sameList(shown[1], now[1], (a, b) => sameList(a, b))) return;
  shown = now;
  const list = $("profile-list");
  list.replaceChildren(...profiles.map((p, index) => {
    const details = [p.keys.product ?? "no product", p.address ?? "no address", `auth: ${p.auth.method}`];
    return el("li", {
      role: "option", id: `profile-${index}`, "aria-selected": String(index === state.selected),
      onclick: () => select(index),
    }, el("span", { class: "name", text: p.display_name }),
    p.keys.name === "default" ? el("span", { class: "badge", text: "default" }) : null,
    el("span", { class: "details", text: details.join(" · ") }));
  }));
  list.setAttribute("aria-activedescendant", profiles.length ? `profile-${state.selected}` : "");
}

function addProfile() {
  const names = new Set((state.view?.profiles ?? []).map((p) => p.keys.name));
  let name = names.has("default") ? "new-profile" : "default";
  for (let n = 2; names.has(name); n++) name = `new-profile-${n}`;
  if (!apply((t) => core.addProfile(t, { name, product: "clustered", host: "cluster.example.com" }))) return;
  select(state.view.profiles.length - 1);
  flush();
  $("field-name").focus();
  $("field-name").select();
}

function duplicateProfile() {
  const profile = selectedProfile();
  if (!profile?.keys.name) return;
  const names = new Set(state.view.profiles.map((p) => p.keys.name));
  let name = `${profile.keys.name}-copy`;
  for (let n = 2; names.has(name); n++) name = `${profile.keys.name}-copy-${n}`;
  if (apply((t) => core.duplicateProfile(t, profile.keys.name, name))) select(state.view.profiles.length - 1);
}

function removeProfile() {
  const profile = selectedProfile();
  if (profile?.keys.name) apply((t) => core.removeProfile(t, profile.keys.name));
}

function onListKey(event) {
  const count = state.view?.profiles.length ?? 0;
  if (!count) return;
  const moves = { ArrowDown: state.selected + 1, ArrowUp: state.selected - 1, Home: 0, End: count - 1 };
  if (!(event.key in moves)) return;
  event.preventDefault();
  select(Math.max(0, Math.min(count - 1, moves[event.key])));
  $(`profile-${state.selected}`)?.scrollIntoView({ block: "nearest" });
}
