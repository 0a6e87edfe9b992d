// The selected profile's form: one field per schema key, grouped as influxctl's docs
// group them, each edit a core edit of the text, each field with its problems beside it.

import * as core from "../core.js";
import { el, whenIdle } from "../dom.js";
import { state, panel, apply, selectedProfile, currentName } from "./store.js";
import { problemsOf } from "./problems.js";

const $ = (id) => document.getElementById(id);

const GROUPS = [
  ["Connection", ["product", "host", "port", "account_id", "cluster_id", "database"]],
  ["Admin token file", ["auth.token.token_file"]],
  ["Tokens", ["token", "mgmt_token"]],
  ["TLS", ["tls.insecure", "tls.disable", "tls.cert", "tls.key", "tls.ca"]],
  ["OAuth2", ["auth.oauth2.client_id", "auth.oauth2.scopes", "auth.oauth2.parameters", "auth.oauth2.token_url", "auth.oauth2.device_url"]],
];
const FIELD_PATHS = GROUPS.flatMap(([, paths]) => paths);
// The groups a form is built with at once: what a window shows of it when a file is opened.
// The others follow when the page is idle (their fields, two of them selects, cost an opened
// file's first frame 3 ms of main-thread time here). A rebuild keeps the focus: the fields
// that cause one (product, and the fields only one product has) are in the first group.
const GROUPS_AT_ONCE = 2;
// Shown only for the product that uses them (unless the profile already has a value).
const ONLY_FOR = { host: "clustered", port: "clustered", account_id: "dedicated", cluster_id: "dedicated" };
export const DEFAULT_TOKEN_FILE = "$HOME/.config/influxctl/token.json";

// The form is built once per profile and product and then updated in place, so an edit
// never replaces the field that has (or is about to get) the keyboard focus.
let form = null; // {selected, product, visible, fields: Map(path → {input, problems, secret}), name}

export function mountForm() {
  panel("form", render);
}

/** The value of dotted `path` in a profile view, as the form shows it. */
function valueOf(profile, path) {
  const k = profile.keys;
  switch (path) {
    case "token": case "mgmt_token": return "";
    case "auth.token.token_file": return k.token_file ?? "";
    case "auth.oauth2.scopes": return k.oauth2?.scopes.join(", ") ?? "";
    case "auth.oauth2.parameters": return k.oauth2?.parameters.map(([key, v]) => `${key}=${v}`).join(", ") ?? "";
    default: {
      const [head, tail] = path.startsWith("auth.oauth2.") ? ["oauth2", path.slice(12)] : path.split(".");
      const v = tail === undefined ? k[head] : k[head]?.[tail];
      return v === null || v === undefined ? "" : String(v);
    }
  }
}

function render() {
  const editError = $("edit-error");
  editError.textContent = state.editError;
  editError.hidden = !state.editError;
  const root = $("profile-form");
  const profile = selectedProfile();
  if (!profile || state.parseError) {
    root.replaceChildren();
    form = null;
    return;
  }
  const product = profile.keys.product ?? null;
  const visible = FIELD_PATHS.filter((path) => !(ONLY_FOR[path] && product && ONLY_FOR[path] !== product && valueOf(profile, path) === ""));
  if (!form || form.selected !== state.selected || form.product !== product || form.visible.join() !== visible.join()) {
    const focused = root.contains(document.activeElement) ? document.activeElement.id : null;
    form = build(root, visible, product);
    if (focused) document.getElementById(focused)?.focus();
  }
  update(profile);
}

function build(root, visible, product) {
  const { schema } = state;
  const fields = new Map();
  const field = (path) => {
    const spec = schema.keys.find((s) => s.path === path);
    const id = `field-${path.replaceAll(".", "-")}`;
    const secret = schema.secret_keys.includes(path);
    let input;
    if (path === "product") {
      input = el("select", { onchange: (e) => apply((t) => core.setKey(t, currentName(), path, e.target.value), path) },
        ...(product && !schema.products.includes(product) ? [el("option", { value: product, text: product })] : []),
        ...(product ? [] : [el("option", { value: "", text: "(not set)" })]),
        ...schema.products.map((p) => el("option", { value: p, text: p })));
    } else if (spec.kind === "bool") {
      input = el("select", { onchange: (e) => change(path, e.target.value) },
        ...["", "true", "false"].map((v) => el("option", { value: v, text: v || "(not set)" })));
    } else {
      input = el("input", {
        type: secret ? "password" : "text", autocomplete: secret ? "new-password" : "off", spellcheck: "false",
        placeholder: path === "auth.token.token_file" ? DEFAULT_TOKEN_FILE : null,
        onchange: (e) => change(path, e.target.value),
      });
    }
    Object.assign(input, { id, name: path });
    const problems = el("ul", { id: `${id}-problems`, class: "field-problems" });
    fields.set(path, { input, problems, secret });
    const help = `${spec.help}${spec.since ? ` (influxctl ${spec.since} or newer)` : ""}`;
    return el("div", { class: "field" },
      el("label", { for: id, text: spec.label ?? path }),
      input,
      path === "auth.token.token_file"
        ? el("button", { type: "button", id: "use-token", onclick: useTokenFile }, "Use a token file")
        : null,
      el("p", { id: `${id}-help`, class: "help", text: help }),
      problems);
  };
  const name = el("input", { id: "field-name", spellcheck: "false", autocomplete: "off", "aria-describedby": "field-name-help",
    onchange: (e) => rename(currentName(), e.target.value) });
  const group = (later) => ([legend, paths]) => {
    const shown = paths.filter((p) => visible.includes(p)).map(field);
    return shown.length ? el("fieldset", { class: later ? "later" : null }, el("legend", { text: legend }), ...shown) : null;
  };
  root.replaceChildren(
    el("div", { class: "field" },
      el("label", { for: "field-name", text: state.schema.keys.find((s) => s.path === "name").label }),
      name,
      el("p", { id: "field-name-help", class: "help", text: "chosen with influxctl --profile NAME; influxctl uses \"default\" unless told otherwise" })),
    ...GROUPS.slice(0, GROUPS_AT_ONCE).map(group(false)).filter(Boolean));
  const built = { selected: state.selected, product, visible, fields, name };
  whenIdle(() => {
    if (form !== built) return; // rebuilt since: that build has its own rest
    root.append(...GROUPS.slice(GROUPS_AT_ONCE).map(group(true)).filter(Boolean));
    const profile = selectedProfile();
    if (profile && !state.parseError) update(profile);
  }, 200);
  return built;
}

/** Puts `profile`'s values and its problems into the form (a focused field keeps its text). */
function update(profile) {
  const name = profile.keys.name ?? "";
  const setValue = (input, value) => {
    if (input.value !== value && document.activeElement !== input) input.value = value;
  };
  setValue(form.name, name);
  for (const [path, { input, problems, secret }] of form.fields) {
    if (secret) {
      // A typed secret has been applied: it does not stay in the page.
      if (document.activeElement !== input) input.value = "";
      input.placeholder = profile.keys[path] ? "set (hidden); type to replace" : "not set";
    } else {
      setValue(input, valueOf(profile, path));
    }
    // Beside the field: a refused edit, then lint findings (notes do not make it invalid).
    const refused = state.fieldErrors.get(path);
    const messages = [...(refused ? [{ severity: "error", message: refused }] : []), ...problemsOf(name, path)];
    // Written only where something changed: most edits change one field of one profile.
    const shown = messages.map((m) => `${m.severity}\n${m.message}`).join("\n\n");
    if (problems.dataset.shown === shown && problems.dataset.profile === name) continue;
    problems.dataset.shown = shown;
    problems.dataset.profile = name;
    input.setAttribute("aria-invalid", String(messages.some((m) => m.severity !== "info")));
    input.setAttribute("aria-describedby", [`${input.id}-help`, messages.length ? problems.id : null].filter(Boolean).join(" "));
    problems.replaceChildren(...messages.map((m) => el("li", { class: `sev-${m.severity}`, text: m.message })));
    problems.hidden = messages.length === 0;
  }
}

/** A field's new value: set, or unset when emptied. */
function change(path, after) {
  const profile = selectedProfile();
  const before = state.schema.secret_keys.includes(path) ? "" : valueOf(profile, path);
  if (after === before) return;
  if (after === "") apply((t) => core.unsetKey(t, currentName(), path), path);
  else apply((t) => core.setKey(t, currentName(), path, after), path);
}

function rename(from, to) {
  if (to === from) return;
  if (!apply((t) => core.renameProfile(t, from, to))) $("field-name").value = from;
}

function useTokenFile() {
  const path = $("field-auth-token-token_file").value.trim() || DEFAULT_TOKEN_FILE;
  apply((t) => core.useTokenFile(t, currentName(), path), "auth.token.token_file");
}
