// The profile editor: every change goes through the core (the same Rust code as
// `influxctl-admin profile …`), and the page only shows what the core returns.
// The file's text is the single source of truth: an edit maps text to text.

import * as core from "./core.js";
import { el } from "./dom.js";
import { lineDiff, unified } from "./diff.js";

const $ = (id) => document.getElementById(id);

const state = {
  original: "", // the text as opened, for the diff
  text: "",
  view: null, // the core's view of `text`, or of the last text that parsed
  parseError: null,
  selected: 0, // index of the selected profile
  secret: null, // the pasted Secret's bytes: kept in this variable only, never in the DOM
  fieldErrors: new Map(), // key path → the core's message for a refused field edit
};

// Accessible names of the form's fields (the tests and screen readers use them).
const LABELS = {
  product: "Product", host: "Host", port: "Port", database: "Database", token: "Database token",
  account_id: "Account ID", cluster_id: "Cluster ID", mgmt_token: "Management token",
  "tls.insecure": "TLS: skip certificate verification", "tls.disable": "TLS: disable (plain HTTP)",
  "tls.cert": "TLS client certificate", "tls.key": "TLS client key", "tls.ca": "TLS certificate authority",
  "auth.oauth2.client_id": "OAuth2 client ID", "auth.oauth2.scopes": "OAuth2 scopes",
  "auth.oauth2.parameters": "OAuth2 parameters", "auth.oauth2.token_url": "OAuth2 token URL",
  "auth.oauth2.device_url": "OAuth2 device URL", "auth.token.token_file": "Token file",
};
const GROUPS = [
  ["Connection", ["product", "host", "port", "account_id", "cluster_id", "database"]],
  ["Admin token file", ["auth.token.token_file"]],
  ["Tokens", ["token", "mgmt_token"]],
  ["TLS", ["tls.insecure", "tls.disable", "tls.cert", "tls.key", "tls.ca"]],
  ["OAuth2", ["auth.oauth2.client_id", "auth.oauth2.scopes", "auth.oauth2.parameters", "auth.oauth2.token_url", "auth.oauth2.device_url"]],
];
// Shown only for the product that uses them (unless the profile already has a value).
const ONLY_FOR = { host: "clustered", port: "clustered", account_id: "dedicated", cluster_id: "dedicated" };
const DEFAULT_TOKEN_FILE = "$HOME/.config/influxctl/token.json";

let schema;

// ---- the file ---------------------------------------------------------------------

function open(text) {
  showError($("open-error"), "");
  state.original = text;
  state.selected = 0;
  setText(text);
}

/** Makes `text` current: re-parses, re-lints and re-renders everything. */
function setText(text, { fromSource = false } = {}) {
  const started = performance.now();
  state.text = text;
  state.fieldErrors.clear();
  try {
    state.view = core.view(text);
    state.parseError = null;
  } catch (err) {
    if (!(err instanceof core.CoreError)) throw err;
    state.parseError = err;
  }
  if (!fromSource) replaceText($("source"), text);
  render();
  performance.measure("render", { start: started, end: performance.now() });
}

/** Applies one core edit to the current text; on refusal shows the core's message. */
function apply(change, fieldPath) {
  const started = performance.now();
  try {
    const text = change(state.text);
    $("edit-error").hidden = true;
    setText(text);
    performance.measure("edit", { start: started, end: performance.now() });
    afterNextFrame(() => performance.measure("edit-shown", { start: started, end: performance.now() }));
    return true;
  } catch (err) {
    if (!(err instanceof core.CoreError)) throw err;
    if (fieldPath) {
      state.fieldErrors.set(fieldPath, err.message);
      renderForm();
    } else {
      showError($("edit-error"), err.message);
    }
    return false;
  }
}

/**
 * Sets a textarea's text by replacing only what changed: Chromium then re-lays out less of
 * a long file (12 → 8 ms for 1,000 lines here), and the reader's scroll position and
 * selection stay where they were.
 */
function replaceText(textarea, text) {
  const old = textarea.value;
  if (old === text) return;
  const max = Math.min(old.length, text.length);
  let start = 0;
  while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && old.charCodeAt(old.length - 1 - end) === text.charCodeAt(text.length - 1 - end)) end++;
  textarea.setRangeText(text.slice(start, text.length - end), start, old.length - end, "preserve");
}

function showError(node, message) {
  node.textContent = message;
  node.hidden = !message;
}

// ---- rendering --------------------------------------------------------------------

function render() {
  const error = state.parseError;
  showError($("parse-error"), error
    ? `config.toml does not parse at line ${error.line}, column ${error.column}: ${error.reason}. Your text is kept as typed; fix it to go on editing.`
    : "");
  $("source").setAttribute("aria-invalid", error ? "true" : "false");
  for (const id of ["add-profile", "duplicate-profile", "remove-profile", "download-config"]) $(id).disabled = !!error;
  const profiles = state.view?.profiles ?? [];
  state.selected = Math.min(state.selected, Math.max(profiles.length - 1, 0));
  if (profiles.length === 0) { $("duplicate-profile").disabled = true; $("remove-profile").disabled = true; }
  renderProfiles();
  renderForm();
  renderProblems();
  renderResult();
  renderCommands();
}

function selectedProfile() {
  return state.view?.profiles[state.selected] ?? null;
}

let profilesShown = null;

function renderProfiles() {
  const list = $("profile-list");
  const profiles = state.view?.profiles ?? [];
  // Rebuilt only when what the list shows changed (most edits change one field).
  const summary = (p) => [p.display_name, p.keys.product, p.address, p.auth.method];
  $("no-profiles").hidden = profiles.length > 0 || !!state.parseError;
  const key = JSON.stringify([state.selected, profiles.map(summary)]);
  if (key === profilesShown) return;
  profilesShown = key;
  list.replaceChildren(...profiles.map((p, index) => {
    const isDefault = p.keys.name === "default";
    const details = [p.keys.product ?? "no product", p.address ?? "no address", `auth: ${p.auth.method}`];
    return el("li", {
      role: "option", id: `profile-${index}`, "aria-selected": String(index === state.selected),
      onclick: () => select(index),
    }, el("span", { class: "name", text: p.display_name }),
    isDefault ? el("span", { class: "badge", text: "default" }) : null,
    el("span", { class: "details", text: details.join(" · ") }));
  }));
  list.setAttribute("aria-activedescendant", profiles.length ? `profile-${state.selected}` : "");
}

function select(index) {
  state.selected = index;
  state.fieldErrors.clear();
  renderProfiles();
  renderForm();
  renderCommands();
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

// The form is built once per profile and product and then updated in place, so an edit
// never replaces the field that has (or is about to get) the keyboard focus.
let form = null; // {key, fields: Map(path → {input, problems}), name}

const FIELD_PATHS = GROUPS.flatMap(([, paths]) => paths);
const currentName = () => selectedProfile()?.keys.name ?? "";

function renderForm() {
  const root = $("profile-form");
  const profile = selectedProfile();
  if (!profile || state.parseError) {
    root.replaceChildren();
    form = null;
    return;
  }
  const product = profile.keys.product;
  const visible = FIELD_PATHS.filter((path) => !(ONLY_FOR[path] && product && ONLY_FOR[path] !== product && valueOf(profile, path) === ""));
  const key = JSON.stringify([state.selected, product ?? null, visible]);
  if (form?.key !== key) {
    const focused = root.contains(document.activeElement) ? document.activeElement.id : null;
    form = buildForm(root, key, visible, product);
    if (focused) document.getElementById(focused)?.focus();
  }
  updateForm(profile);
}

function buildForm(root, key, visible, product) {
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
      el("label", { for: id, text: LABELS[path] ?? path }),
      input,
      path === "auth.token.token_file"
        ? el("button", { type: "button", id: "use-token", onclick: () => useTokenFile(currentName()) }, "Use a token file")
        : null,
      el("p", { id: `${id}-help`, class: "help", text: help }),
      problems);
  };
  const name = el("input", { id: "field-name", spellcheck: "false", autocomplete: "off", "aria-describedby": "field-name-help",
    onchange: (e) => renameProfile(currentName(), e.target.value) });
  root.replaceChildren(
    el("div", { class: "field" },
      el("label", { for: "field-name", text: "Name" }),
      name,
      el("p", { id: "field-name-help", class: "help", text: "chosen with influxctl --profile NAME; influxctl uses \"default\" unless told otherwise" })),
    ...GROUPS.map(([legend, paths]) => {
      const shown = paths.filter((p) => visible.includes(p)).map(field);
      return shown.length ? el("fieldset", {}, el("legend", { text: legend }), ...shown) : null;
    }).filter(Boolean));
  return { key, fields, name };
}

/** Puts `profile`'s values and its problems into the form (a focused field keeps its text). */
function updateForm(profile) {
  const name = profile.keys.name ?? "";
  const findings = (state.view.findings ?? []).filter((f) => f.profile === name && f.key);
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
    const messages = [...(refused ? [{ severity: "error", message: refused }] : []), ...findings.filter((f) => f.key === path)];
    input.setAttribute("aria-invalid", String(messages.some((m) => m.severity !== "info")));
    input.setAttribute("aria-describedby", [`${input.id}-help`, messages.length ? problems.id : null].filter(Boolean).join(" "));
    problems.replaceChildren(...messages.map((m) => el("li", { class: `sev-${m.severity}`, text: m.message })));
    problems.hidden = messages.length === 0;
  }
}

/** A field's new value: set, or unset when emptied. */
function change(path, after) {
  const profile = selectedProfile();
  const before = schema.secret_keys.includes(path) ? "" : valueOf(profile, path);
  if (after === before) return;
  if (after === "") apply((t) => core.unsetKey(t, currentName(), path), path);
  else apply((t) => core.setKey(t, currentName(), path, after), path);
}

function renameProfile(from, to) {
  if (to === from) return;
  if (apply((t) => core.renameProfile(t, from, to), null) === false) $("field-name").value = from;
}

function useTokenFile(profile) {
  const input = $("field-auth-token-token_file");
  const path = input.value.trim() || DEFAULT_TOKEN_FILE;
  apply((t) => core.useTokenFile(t, profile, path), "auth.token.token_file");
}

let problemsShown = null;

function renderProblems() {
  const findings = state.parseError
    ? [{ severity: "error", code: "parse", message: state.parseError.reason, line: state.parseError.line,
      span: { line: state.parseError.line, column: state.parseError.column, end_line: state.parseError.line, end_column: state.parseError.column + 1 } }]
    : state.view?.findings ?? [];
  // Most edits leave the findings as they were: keep the list (and an opened disclosure).
  const key = JSON.stringify(findings);
  if (key === problemsShown) return;
  problemsShown = key;
  const count = (severity, word) => {
    const n = findings.filter((f) => f.severity === severity).length;
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  };
  $("problems-summary").textContent = findings.length
    ? `${count("error", "error")}, ${count("warning", "warning")}, ${count("info", "note")}`
    : "No problems: influxctl will accept this file.";
  // Notes of one kind (a file of 100 token-file profiles has 100 requires-version notes)
  // show as their first, with the rest in a disclosure built when it is opened.
  const notes = new Map();
  for (const f of findings) {
    if (f.severity !== "info") continue;
    if (!notes.has(f.code)) notes.set(f.code, []);
    notes.get(f.code).push(f);
  }
  $("problems").replaceChildren(...findings.flatMap((f) => {
    const same = f.severity === "info" ? notes.get(f.code) : [];
    if (same.length < GROUP_NOTES_FROM) return [findingItem(f)];
    return same[0] === f ? [findingItem(f, moreLikeIt(same.slice(1)))] : [];
  }));
}

const GROUP_NOTES_FROM = 4;

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
    onclick: () => apply((t) => core.unsetKey(t, finding.profile, finding.key), null) }, `Remove ${finding.key}`)];
}

/** Selects the text a finding concerns in the source. */
function showSpan(span) {
  const source = $("source");
  const lines = source.value.split("\n");
  const offset = (line, column) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  source.focus();
  source.setSelectionRange(offset(span.line, span.column), offset(span.end_line, span.end_column));
}

function renderResult() {
  replaceText($("result"), state.text);
  const ops = lineDiff(state.original, state.text);
  const lines = unified(ops);
  $("diff").replaceChildren(...(lines.length
    ? lines.map((l) => el("span", { class: `d${l.kind === " " ? "c" : l.kind === "@" ? "h" : l.kind === "+" ? "a" : "r"}`, text: `${l.text}\n` }))
    : [el("span", { class: "hint", text: "No changes against the opened file." })]));
  const added = ops.filter((o) => o.kind === "+").length;
  const removed = ops.filter((o) => o.kind === "-").length;
  $("result-summary").textContent = state.parseError ? "" : `${added} lines added, ${removed} removed`;
}

let commandsShown = null;

function renderCommands() {
  const profile = selectedProfile();
  const namespace = $("namespace").value.trim();
  const tokenFile = profile?.keys.token_file || DEFAULT_TOKEN_FILE;
  const profileName = profile?.keys.name || "default";
  // Most edits change none of the values the commands use: keep what is shown.
  const key = JSON.stringify([namespace, tokenFile, profileName]);
  if (key === commandsShown) return;
  commandsShown = key;
  const sections = [
    ["Fetch the admin token", "fetch", "current"],
    ["Revoke it (as documented since September 2024)", "revoke", "current"],
    ["Revoke it (as first documented, without the operator)", "revoke", "original"],
    ["Re-create the admin token", "create", "current"],
  ];
  try {
    const blocks = sections.map(([heading, procedure, method]) => {
      const plan = core.plan({ procedure, method, namespace, tokenFile, profile: profileName });
      const id = `script-${procedure}-${method}`;
      return el("section", { class: "procedure" },
        el("h3", { text: heading }),
        el("pre", { id, tabindex: "0", "aria-label": `${heading}: script` }, el("code", { text: plan.shell })),
        el("button", { type: "button", onclick: (e) => copy(plan.shell, e.target) }, `Copy script: ${heading.toLowerCase()}`));
    });
    showError($("namespace-error"), "");
    $("namespace").setAttribute("aria-invalid", "false");
    $("procedures").replaceChildren(...blocks);
  } catch (err) {
    if (!(err instanceof core.CoreError)) throw err;
    showError($("namespace-error"), err.message);
    $("namespace").setAttribute("aria-invalid", "true");
    $("procedures").replaceChildren();
  }
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.dataset.done = "Copied";
  } catch {
    button.dataset.done = "Copy failed: select the text instead";
  }
  setTimeout(() => delete button.dataset.done, 2000);
}

// ---- the admin token --------------------------------------------------------------

function onSecretInput() {
  const input = $("secret");
  const text = input.value;
  if (!text.trim()) { showError($("secret-error"), ""); return; }
  try {
    const decoded = core.decodeSecret(text);
    // Decoded: keep the bytes in memory only, and take the paste out of the page.
    state.secret = new TextEncoder().encode(text);
    input.value = "";
    showError($("secret-error"), "");
    renderSecret(decoded);
  } catch (err) {
    if (!(err instanceof core.CoreError)) throw err;
    showError($("secret-error"), err.message);
  }
}

function renderSecret(decoded) {
  const summary = $("secret-summary");
  $("download-token").disabled = !decoded;
  $("forget-secret").disabled = !decoded;
  if (!decoded) { summary.replaceChildren(); return; }
  const t = decoded.token;
  const jwt = t.jwt;
  const rows = [
    ["Secret", [decoded.name ?? "(no name)", decoded.namespace ? `in namespace ${decoded.namespace}` : null, `(${decoded.format})`].filter(Boolean).join(" ")],
    ["Key", decoded.key ?? "(the only value)"],
    ["Token", `${t.bytes} bytes, ${t.format.kind.replaceAll("-", " ")}${t.format.field ? ` (${t.format.field})` : ""}, fingerprint ${t.fingerprint}`],
  ];
  if (jwt) {
    rows.push(["Header", JSON.stringify(jwt.header)]);
    rows.push(["Claims", Object.entries(jwt.claims).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join("\n")]);
    rows.push(["Issued", jwt.issued_at ? `${jwt.issued_at.utc} (${jwt.issued_at.relative})` : "no iat claim"]);
    rows.push(["Expires", jwt.expires ? `${jwt.expires.utc} (${jwt.expires.relative})` : "never (no exp claim)"]);
    rows.push(["Signature", `${jwt.signature_bytes} bytes (not shown)`]);
  }
  summary.replaceChildren(el("dl", { class: "claims", "aria-label": "Decoded secret" },
    ...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])));
}

function downloadToken() {
  if (!state.secret) return;
  const bytes = core.secretValue(state.secret);
  download(new Blob([bytes], { type: "application/octet-stream" }), "token.json");
  $("field-auth-token-token_file")?.focus();
}

function forgetSecret() {
  state.secret = null;
  renderSecret(null);
}

// ---- files ------------------------------------------------------------------------

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Where `bytes` stop being UTF-8: the offset of the first invalid byte, or -1. */
function invalidUtf8At(bytes) {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const [n, min] = b < 0x80 ? [0, 0] : b >= 0xc2 && b < 0xe0 ? [1, 0x80] : b >= 0xe0 && b < 0xf0 ? [2, 0x800] : b >= 0xf0 && b < 0xf5 ? [3, 0x10000] : [-1, 0];
    if (n < 0 || i + n >= bytes.length + (n ? 0 : 1)) return i;
    let cp = n ? b & (0x3f >> n) : b;
    for (let k = 1; k <= n; k++) {
      if ((bytes[i + k] & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (bytes[i + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/** Why `bytes` cannot be a config.toml, as the CLI says it, or null: TOML is UTF-8. */
function notToml(name, bytes) {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)
    || (bytes.length >= 4 && bytes.length % 2 === 0 && [...bytes.slice(0, 64)].every((b, i) => (i % 2 === (bytes[0] === 0 ? 0 : 1)) === (b === 0)));
  if (utf16) return `${name} is UTF-16 text (as Windows PowerShell's \`>\` writes it), not TOML: influxctl reads config.toml as UTF-8. Save it as UTF-8 and open it again; nothing was opened.`;
  const at = invalidUtf8At(bytes);
  if (at >= 0) return `${name} is not UTF-8 text (invalid byte at offset ${at}); TOML files must be UTF-8. Nothing was opened.`;
  return null;
}

/** A file's text, byte for byte: a UTF-8 BOM is kept (TextDecoder drops it by default).
 * Bytes that are not UTF-8 are refused, as the CLI refuses them: decoding them would put
 * U+FFFD in their place and the download would not be the file that was opened. */
async function readFile(file) {
  const started = performance.now();
  const bytes = new Uint8Array(await file.arrayBuffer());
  const refused = notToml(file.name, bytes);
  showError($("open-error"), refused ?? "");
  if (refused) return;
  const text = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true }).decode(bytes);
  open(text);
  performance.measure("open-file", { start: started, end: performance.now() });
  afterNextFrame(() => performance.measure("open-file-shown", { start: started, end: performance.now() }));
}

/** Runs `then` once the browser has laid out and painted what the page just changed. */
const afterNextFrame = (then) => requestAnimationFrame(() => setTimeout(then, 0));

function addProfile() {
  const names = new Set((state.view?.profiles ?? []).map((p) => p.keys.name));
  let name = names.has("default") ? "new-profile" : "default";
  for (let n = 2; names.has(name); n++) name = `new-profile-${n}`;
  const ok = apply((t) => core.addProfile(t, { name, product: "clustered", host: "cluster.example.com" }), null);
  if (ok) { select(state.view.profiles.length - 1); $("field-name").focus(); $("field-name").select(); }
}

function duplicateProfile() {
  const profile = selectedProfile();
  if (!profile?.keys.name) return;
  const names = new Set(state.view.profiles.map((p) => p.keys.name));
  let name = `${profile.keys.name}-copy`;
  for (let n = 2; names.has(name); n++) name = `${profile.keys.name}-copy-${n}`;
  if (apply((t) => core.duplicateProfile(t, profile.keys.name, name), null)) select(state.view.profiles.length - 1);
}

function removeProfile() {
  const profile = selectedProfile();
  if (profile?.keys.name) apply((t) => core.removeProfile(t, profile.keys.name), null);
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

async function main() {
  await core.load();
  performance.mark("core-loaded");
  schema = core.schema();
  $("core-version").textContent = core.version();
  $("open-file").addEventListener("change", (e) => e.target.files[0] && readFile(e.target.files[0]));
  $("start-empty").addEventListener("click", () => open(""));
  $("source").addEventListener("input", (e) => setText(e.target.value, { fromSource: true }));
  $("profile-list").addEventListener("keydown", onListKey);
  $("add-profile").addEventListener("click", addProfile);
  $("duplicate-profile").addEventListener("click", duplicateProfile);
  $("remove-profile").addEventListener("click", removeProfile);
  $("download-config").addEventListener("click", () => download(new Blob([state.text], { type: "application/toml" }), "config.toml"));
  $("secret").addEventListener("input", onSecretInput);
  $("download-token").addEventListener("click", downloadToken);
  $("forget-secret").addEventListener("click", forgetSecret);
  $("namespace").addEventListener("input", renderCommands);
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", (e) => {
    e.preventDefault();
    const file = e.dataTransfer?.files[0];
    if (file) readFile(file);
  });
  open("");
  document.body.dataset.ready = "true";
  performance.mark("editor-ready");
  afterNextFrame(() => performance.mark("editor-shown"));
}

main().catch((err) => {
  showError($("parse-error"), `The editor could not start: ${err.message}`);
  throw err;
});
