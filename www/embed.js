// influxctl-admin for documentation sites: one ES module that defines
//   <influxctl-admin-procedure procedure="fetch|revoke|create" method="current|original"
//                              namespace="…" token-file="…" key-gen-job="…">
//   <influxctl-admin-profile name="…" host="…" port="…" token-file="…">
// and `render(container, options)` for sites that do not want custom elements.
//
// Everything shown is made by the influxctl-admin core (WebAssembly, one instance per page):
// the commands are the text of `influxctl-admin plan … --shell`, the profile is what
// `profile add` + `use-token` write. The widget follows the docs' placeholders
// (<var class="code-placeholder" data-code-var="NAME" data-code-var-value="…">) both ways.

import * as core from "./core.js";
import { el } from "./dom.js";

const STYLESHEET = new URL("./embed.css", import.meta.url).href;

/** Each value the widget uses, with the docs placeholder it maps to. */
const FIELDS = {
  namespace: { label: "Namespace", placeholder: "INFLUXDB_NAMESPACE", fallback: "influxdb" },
  directory: { label: "Directory", placeholder: "DIRECTORY_PATH", fallback: "/home/you/.config/influxctl" },
  keyGenJob: { label: "Key-gen job", placeholder: "KEY_GEN_JOB", fallback: "" },
  name: { label: "Profile name", placeholder: "PROFILE_NAME", fallback: "default" },
  host: { label: "Host", placeholder: "INFLUXDB_HOST", fallback: "cluster.example.com" },
  port: { label: "Port", placeholder: "INFLUXDB_PORT", fallback: "443" },
};

/** The fields each kind of widget shows. */
const FIELDS_OF = {
  procedure: (o) => ["namespace", "directory", ...(o.method === "original" ? ["keyGenJob"] : [])],
  profile: () => ["name", "host", "port", "directory"],
};

const TITLES = {
  fetch: "Fetch the admin token into token.json",
  revoke: { current: "Revoke the admin token (as documented since September 2024)", original: "Revoke the admin token (as first documented)" },
  create: "Re-create the admin token",
};

let nextId = 0;

const placeholders = (name) => document.querySelectorAll(`var.code-placeholder[data-code-var="${name}"]`);

/** The page's value of a docs placeholder, if the page has one. */
function pageValue(name) {
  for (const node of placeholders(name)) {
    const value = node.getAttribute("data-code-var-value");
    if (value) return value;
  }
  return undefined;
}

/** Writes a value to every matching placeholder of the page, as the docs' own script does. */
function setPageValue(name, value) {
  for (const node of placeholders(name)) {
    if (node.getAttribute("data-code-var-value") !== value) node.setAttribute("data-code-var-value", value);
    if (node.textContent !== value) node.textContent = value;
  }
}

const dirname = (path) => path.replace(/[\\/][^\\/]*$/, "") || "/";

/**
 * Renders a widget into `container` (its shadow root is created when missing).
 * options: {kind: "procedure" | "profile", procedure, method, namespace, directory | tokenFile,
 *           keyGenJob, name, host, port}. Returns {update(values), dispose()}.
 */
export function render(container, options) {
  const root = container.shadowRoot ?? container.attachShadow({ mode: "open" });
  const kind = options.kind ?? "procedure";
  const values = { ...options };
  if (values.tokenFile && !values.directory) values.directory = dirname(values.tokenFile);
  const fields = FIELDS_OF[kind](values);
  // The page's placeholders win over attributes: they are what the reader last typed.
  for (const field of fields) values[field] = pageValue(FIELDS[field].placeholder) ?? values[field] ?? FIELDS[field].fallback;

  const id = `influxctl-admin-${nextId++}`;
  const inputs = {};
  const form = el("div", { class: "fields" }, ...fields.map((field) => {
    const { label, placeholder } = FIELDS[field];
    const input = el("input", {
      id: `${id}-${field}`, value: values[field], spellcheck: "false", autocomplete: "off",
      "aria-label": `${label} (${placeholder})`, "aria-describedby": `${id}-error`,
      oninput: () => {
        values[field] = input.value;
        setPageValue(placeholder, input.value);
        draw();
      },
    });
    inputs[field] = input;
    return el("label", { for: input.id }, el("span", { text: label }), el("code", { text: placeholder }), input);
  }));
  const error = el("p", { id: `${id}-error`, class: "error", role: "alert", hidden: true });
  const output = el("div", { class: "output" });
  const heading = el("p", { class: "title" });
  root.replaceChildren(el("link", { rel: "stylesheet", href: STYLESHEET }),
    el("section", { class: "widget", "aria-label": kind === "profile" ? "influxctl profile" : "kubectl commands" }, heading, form, error, output));

  function draw() {
    let shown;
    for (const input of Object.values(inputs)) input.setAttribute("aria-invalid", "false");
    try {
      shown = kind === "profile" ? drawProfile() : drawProcedure();
      error.hidden = true;
      error.textContent = "";
    } catch (err) {
      if (!(err instanceof core.CoreError)) throw err;
      // A bad value renders no command at all: half a procedure is worse than none.
      error.textContent = err.message;
      error.hidden = false;
      const field = { "invalid-name": err.what === "job" ? "keyGenJob" : "namespace", "invalid-directory": "directory", "invalid-value": err.key }[err.kind];
      inputs[field]?.setAttribute("aria-invalid", "true");
      shown = [];
    }
    output.replaceChildren(...shown);
  }

  function drawProcedure() {
    const procedure = values.procedure ?? "fetch";
    const method = values.method ?? "current";
    heading.textContent = typeof TITLES[procedure] === "object" ? TITLES[procedure][method] : TITLES[procedure] ?? procedure;
    const tokenFile = core.tokenFileIn(values.directory.trim());
    const plan = core.plan({
      procedure, method, namespace: values.namespace.trim(), tokenFile, profile: values.profile ?? "default",
      keyGenJob: method === "original" && values.keyGenJob?.trim() ? values.keyGenJob.trim() : undefined,
    });
    let n = 0;
    const steps = plan.procedure.steps.map((step) => el("li", {},
      el("p", { class: "step", text: step.title }),
      ...commands(step.shell).map((command) => (command.startsWith("#")
        ? el("p", { class: "note", text: command.replace(/^#\s*/, "") })
        : el("div", { class: "command" },
          el("pre", {}, el("code", { text: command })),
          copyButton(command, `Copy command ${++n}`))))));
    return [el("ol", { class: "steps", "aria-label": "Steps" }, ...steps),
      el("div", { class: "actions" }, copyButton(plan.shell, "Copy the whole script", "Copy the whole script"))];
  }

  function drawProfile() {
    heading.textContent = "influxctl config.toml profile";
    const tokenFile = core.tokenFileIn(values.directory.trim());
    const text = core.profileSnippet({ name: values.name.trim(), host: values.host.trim(), port: values.port.trim(), tokenFile });
    return [el("pre", { class: "toml", "aria-label": "config.toml" }, el("code", { text })),
      el("div", { class: "actions" }, copyButton(text, "Copy the profile", "Copy the profile"))];
  }

  // Follow the page: a docs script (or the reader) changing a placeholder updates the widget.
  const observer = new MutationObserver(() => {
    let changed = false;
    for (const field of fields) {
      const value = pageValue(FIELDS[field].placeholder);
      if (value !== undefined && value !== values[field]) {
        values[field] = value;
        inputs[field].value = value;
        changed = true;
      }
    }
    if (changed && loaded) draw();
  });
  observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-code-var-value"] });
  // Drawn at once when the core is loaded (render() after ready()), else when it is.
  let loaded = core.isLoaded();
  if (loaded) draw();
  else {
    core.load().then(() => { loaded = true; draw(); }, (err) => {
      error.textContent = `influxctl-admin could not load its WebAssembly core: ${err.message}`;
      error.hidden = false;
    });
  }

  return {
    update(next) {
      Object.assign(values, next);
      if (next.tokenFile && !next.directory) values.directory = dirname(next.tokenFile);
      for (const field of fields) inputs[field].value = values[field];
      if (loaded) draw();
    },
    dispose() {
      observer.disconnect();
      root.replaceChildren();
    },
  };
}

/**
 * A step's script lines as commands: a loop's body and its `done` belong to the line that
 * opened it. A comment line stays on its own, as a note for the reader.
 */
export function commands(lines) {
  const out = [];
  for (const line of lines) {
    const continues = /^\s/.test(line) || /^(done|fi|esac|\})\b/.test(line);
    if (continues && out.length && !out[out.length - 1].startsWith("#")) out[out.length - 1] += `\n${line}`;
    else out.push(line);
  }
  return out;
}

function copyButton(text, label, visible = "Copy") {
  const button = el("button", { type: "button", "aria-label": label, text: visible });
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select and copy";
    }
    setTimeout(() => { button.textContent = visible; }, 1500);
  });
  return button;
}

/** The attributes of an element as render() options. */
function optionsOf(element, kind) {
  const attr = (name) => element.getAttribute(name) ?? undefined;
  return {
    kind, procedure: attr("procedure"), method: attr("method"), namespace: attr("namespace"), tokenFile: attr("token-file"),
    directory: attr("directory"), keyGenJob: attr("key-gen-job"), name: attr("name"), host: attr("host"), port: attr("port"),
    profile: attr("profile"),
  };
}

class Widget extends HTMLElement {
  static observedAttributes = ["procedure", "method", "namespace", "token-file", "directory", "key-gen-job", "name", "host", "port", "profile"];

  connectedCallback() {
    this.handle ??= render(this, optionsOf(this, this.kind));
  }

  attributeChangedCallback(name) {
    if (!this.handle) return;
    if (name === "method" || name === "procedure") {
      this.handle.dispose();
      this.handle = render(this, optionsOf(this, this.kind));
    } else {
      this.handle.update(Object.fromEntries(Object.entries(optionsOf(this, this.kind)).filter(([, v]) => v !== undefined)));
    }
  }

  disconnectedCallback() {
    this.handle?.dispose();
    this.handle = null;
  }
}

class ProcedureWidget extends Widget { kind = "procedure"; }
class ProfileWidget extends Widget { kind = "profile"; }

/** Resolves once the core is loaded (one instance for every widget of the page). */
export const ready = () => core.load();

if (!customElements.get("influxctl-admin-procedure")) customElements.define("influxctl-admin-procedure", ProcedureWidget);
if (!customElements.get("influxctl-admin-profile")) customElements.define("influxctl-admin-profile", ProfileWidget);
