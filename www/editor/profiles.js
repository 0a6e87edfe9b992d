// The Profiles panel: a listbox of the file's profiles (arrow keys, Home, End), and adding,
// duplicating and removing one.

import * as core from "../core.js";
import { el, whenIdle } from "../dom.js";
import { state, panel, apply, select, selectedProfile, flush, invalidate, sameList } from "./store.js";

const $ = (id) => document.getElementById(id);

export function mountProfiles() {
  $("profile-list").addEventListener("keydown", onListKey);
  $("profile-list").addEventListener("click", (e) => {
    const option = e.target.closest("[role=option]");
    if (option) select([...option.parentNode.children].indexOf(option));
  });
  $("add-profile").addEventListener("click", addProfile);
  $("duplicate-profile").addEventListener("click", duplicateProfile);
  $("remove-profile").addEventListener("click", removeProfile);
  panel("profiles", render);
}

const summary = (p) => [p.display_name, p.keys.name === "default", p.keys.product ?? "no product", p.address ?? "no address", `auth: ${p.auth.method}`];
let shown = []; // the summaries the list shows, one per option
// Options made in one render: the list shows about seven. A file of many profiles gets the
// rest when the page is next idle, not in the frame that first shows it (100 options cost
// an open of 100 profiles 30 ms of its 100 to the first frame here).
const MADE_AT_ONCE = 12;
let restScheduled = false; // the options not made yet are to be made when the page is idle
let restDue = false; // that moment has come

function render() {
  const profiles = state.view?.profiles ?? [];
  const broken = !!state.parseError;
  $("add-profile").disabled = broken;
  $("duplicate-profile").disabled = broken || profiles.length === 0;
  $("remove-profile").disabled = broken || profiles.length === 0;
  $("no-profiles").hidden = profiles.length > 0 || broken;
  // Options are updated in place, and only those whose profile changed (an edit changes
  // one), so that a long list costs an edit no more than a short one.
  const list = $("profile-list");
  // The options already in the list, and as many new ones as needed to reach the selected one.
  const made = restDue ? profiles.length : Math.max(list.children.length, MADE_AT_ONCE, state.selected + 1);
  const later = restDue; // options made now are out of view: laid out when they come near it (editor.css)
  restDue = false;
  if (made < profiles.length && !restScheduled) {
    restScheduled = true;
    whenIdle(() => {
      restScheduled = false;
      restDue = true;
      invalidate("profiles");
      flush();
    }, 200);
  }
  const now = profiles.slice(0, made).map(summary);
  while (list.children.length > profiles.length) list.lastElementChild.remove();
  now.forEach((item, index) => {
    let option = list.children[index];
    if (!option) {
      option = el("li", { role: "option", id: `profile-${index}`, class: later ? "later" : null });
      list.append(option);
    }
    const selected = String(index === state.selected);
    if (option.getAttribute("aria-selected") !== selected) option.setAttribute("aria-selected", selected);
    if (shown[index] && sameList(shown[index], item)) return;
    const [name, isDefault, ...details] = item;
    option.replaceChildren(el("span", { class: "name", text: name }),
      isDefault ? el("span", { class: "badge", text: "default" }) : "",
      el("span", { class: "details", text: details.join(" · ") }));
  });
  shown = now;
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
