// influxctl-admin for documentation sites: one ES module that defines
//   <influxctl-admin-procedure procedure="fetch|revoke|create" method="current|original"
//                              namespace="…" token-file="…" key-gen-job="…">
//   <influxctl-admin-profile name="…" host="…" port="…" token-file="…">
// and `render(container, options)` for sites that do not want custom elements.
//
// Everything shown is made by the influxctl-admin core (WebAssembly, one instance per page):
// each step's plain kubectl command as `influxctl-admin plan … --docs` prints it, and the
// whole script as `plan … --shell` prints it, one action away; the profile is what
// `profile add` + `use-token` write. The widget follows the docs' placeholders
// (<var class="code-placeholder" data-code-var="NAME" data-code-var-value="…">) both ways.

import * as core from "./core.js";
import { el, afterNextFrame, whenIdle } from "./dom.js";
import { copyButton } from "./copy.js";
import { FIELDS, directoryOf, fieldsOf, viewKey, viewOf } from "./widget-model.js";
// The default widgets' views, made by the build with the same core (scripts/prerender.mjs):
// empty in www/, filled in target/site/.
import prerendered from "./prerendered.js";
import styleText from "./embed-style.js";

export { directoryOf };

// The core itself, for a page that lays the steps out on its own (`core.plan(…)`): the
// deployed embed.js is one bundle holding the core's loader, so importing core.js beside it
// would load a second instance.
export { core };

const STYLESHEET = new URL("./embed.css", import.meta.url).href;
let sheet = null;

/**
 * Styles a widget's shadow root. The built embed.js holds its stylesheet's text: one
 * constructed stylesheet, shared by every widget, styles a widget in the very frame it first
 * appears in, with no request to wait for (a linked stylesheet not yet loaded leaves that
 * frame unstyled, and a page that does not preload it gets a flash). Returns the nodes to put
 * first in the root: none, or, served from www/ (or in a browser without constructed
 * stylesheets), a link to embed.css.
 */
function style(root) {
  if (styleText && "adoptedStyleSheets" in Document.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(styleText);
    }
    root.adoptedStyleSheets = [sheet];
    return [];
  }
  return [el("link", { rel: "stylesheet", href: STYLESHEET })];
}

let nextId = 0;
let shownMarked = false;
// Whether a widget of the page was drawn without the core: the core then loads after that
// frame, for every widget, so that no wasm compiling lands in it.
let drawnAhead = false;

const placeholders = (name) => document.querySelectorAll(`var.code-placeholder[data-code-var="${name}"]`);

/**
 * The page's value of a docs placeholder, if the reader gave one. The docs site renders an
 * unedited placeholder with its own name as its value (data-code-var-value="INFLUXDB_NAMESPACE"):
 * that, or an empty value, is "not given yet".
 */
function pageValue(name) {
  for (const node of placeholders(name)) {
    const value = node.getAttribute("data-code-var-value");
    if (value && value !== name) return value;
  }
  return undefined;
}

/** Whether the page's text right before this placeholder is a `/` (as in `"/DIRECTORY_PATH/token.json"`). */
function precededBySlash(node) {
  const start = node.closest(".code-placeholder-wrapper") ?? node;
  const block = start.parentNode?.closest?.("pre, code, p, li, td") ?? start.parentNode;
  if (!block) return false;
  const range = document.createRange();
  range.setStart(block, 0);
  range.setEndBefore(start);
  return range.toString().endsWith("/");
}

/**
 * Writes a value to every matching placeholder of the page, as the docs' own script does
 * (`data-code-var-value` and the text), keeping each placeholder's structure: only the text
 * before its edit icon is replaced, as text. An empty value puts the placeholder back to
 * "not given" (its own name). A directory after a literal `/` is written without its own.
 */
function setPageValue(name, value) {
  for (const node of placeholders(name)) {
    let shown = value || name;
    if (name === FIELDS.directory.placeholder && value && precededBySlash(node)) shown = shown.replace(/^\/+(?=.)/, "");
    if (node.getAttribute("data-code-var-value") !== shown) node.setAttribute("data-code-var-value", shown);
    const icon = [...node.children].find((child) => child.classList.contains("code-placeholder-edit-icon")) ?? null;
    const before = [];
    for (let child = node.firstChild; child && child !== icon; child = child.nextSibling) before.push(child);
    if (before.length === 1 && before[0].nodeType === Node.TEXT_NODE && before[0].data === shown) continue;
    for (const child of before) child.remove();
    node.insertBefore(document.createTextNode(shown), icon);
  }
}

const dirname = (path) => path.replace(/[\\/][^\\/]*$/, "") || "/";

/**
 * Renders a widget into `container` (its shadow root is created when missing).
 * options: {kind: "procedure" | "profile", procedure, method, namespace, directory | tokenFile,
 *           keyGenJob, createTokenJob, name, host, port}. Returns {update(values), dispose(), values()}.
 * `onchange(values)` is called when the reader changes a field.
 *
 * Which value a field shows: the page's placeholder when the reader gave it one (it is what
 * the reader last typed, on the page or in a widget), else what the reader typed in this
 * widget, else the option (the element's attribute), else the default.
 */
export function render(container, options, onchange) {
  const root = container.shadowRoot ?? container.attachShadow({ mode: "open" });
  const kind = options.kind ?? "procedure";
  const attrs = { ...options };
  if (attrs.tokenFile && !attrs.directory) attrs.directory = dirname(attrs.tokenFile);
  const fields = fieldsOf(kind, attrs);
  const own = {};
  const norm = (field, value) => (field === "directory" ? directoryOf(value.trim()) : value.trim());
  const shown = (field) => {
    const page = pageValue(FIELDS[field].placeholder);
    return page !== undefined ? norm(field, page) : own[field] ?? attrs[field] ?? FIELDS[field].fallback;
  };
  /** The value a field stands for: what it shows, or when emptied, the option or the default. */
  const value = (field) => norm(field, inputs[field].value) || norm(field, attrs[field] ?? FIELDS[field].fallback);
  const current = () => Object.fromEntries(fields.map((field) => [field, value(field)]));

  const id = `influxctl-admin-${nextId++}`;
  const inputs = {};
  const form = el("div", { class: "fields" }, ...fields.map((field) => {
    const { label, placeholder, hint } = FIELDS[field];
    const input = el("input", {
      id: `${id}-${field}`, value: shown(field), spellcheck: "false", autocomplete: "off", placeholder: hint,
      "aria-label": `${label} (${placeholder})`, "aria-describedby": `${id}-error`,
      oninput: () => {
        own[field] = input.value;
        setPageValue(placeholder, norm(field, input.value));
        draw();
        onchange?.(current());
      },
    });
    inputs[field] = input;
    return el("label", { for: input.id }, el("span", { text: label }), el("code", { text: placeholder }), input);
  }));
  const error = el("p", { id: `${id}-error`, class: "error", role: "alert", hidden: true });
  const output = el("div", { class: "output" });
  const heading = el("p", { class: "title" });
  // Attached once the widget has something to show (its view, or the core's failure to
  // load): the page lays the widget out once, with its commands, rather than once without
  // and again with them.
  const attach = () => root.replaceChildren(...style(root),
    el("section", { class: "widget", "aria-label": kind === "profile" ? "influxctl profile" : "kubectl commands" }, heading, form, error, output));

  // The view drawn, by its key: the same values draw the same view, so they are not drawn again.
  let drawnKey = null;

  function draw() {
    if (failure) {
      // Without the core the widget cannot follow an edit: the reason, in place of the commands.
      output.replaceChildren();
      output.removeAttribute("aria-busy");
      error.textContent = `influxctl-admin could not load its WebAssembly core: ${failure.message}`;
      error.hidden = false;
      return;
    }
    const values = current();
    const key = viewKey(kind, attrs, values);
    if (key === drawnKey) return;
    // The core's once loaded; before that, the build's, if it made this one.
    const view = loaded ? viewOf(core, kind, attrs, values) : prerendered[key];
    if (!view) {
      // Values the build did not draw ahead, changed before the core has loaded: drawn once it
      // has. Until then no command shows, since those of the old values would be wrong.
      drawnKey = null;
      output.setAttribute("aria-busy", "true");
      output.replaceChildren(el("p", { class: "note", text: "Making the commands for these values…" }));
      return;
    }
    drawnKey = key;
    output.removeAttribute("aria-busy");
    heading.textContent = view.title;
    for (const input of Object.values(inputs)) input.setAttribute("aria-invalid", "false");
    error.hidden = !view.error;
    error.textContent = view.error?.shown ?? "";
    if (view.error) invalid(view.error);
    const drawn = view.error ? [] : view.profile !== undefined ? profileNodes(view) : procedureNodes(view);
    output.replaceChildren(...drawn);
    // The first commands on the page: drawn now, shown once the frame is (the task after the
    // frame's own, as the editor marks "editor-shown"). scripts/measure-embed.mjs reads both.
    if (!shownMarked && drawn.length) {
      shownMarked = true;
      performance.mark("influxctl-admin-drawn");
      afterNextFrame(() => performance.mark("influxctl-admin-shown"));
    }
  }

  /** Marks the field a core error is about. */
  function invalid(err) {
    const field = err.kind === "invalid-directory" ? "directory" : err.kind === "invalid-value" ? err.key
      : fields.find((f) => err.value !== undefined && value(f) === err.value) ?? (err.kind === "invalid-name" ? "namespace" : undefined);
    inputs[field]?.setAttribute("aria-invalid", "true");
  }

  // Read like the docs page: each step's plain kubectl command (the core's docs rendering),
  // the steps the page lacks marked; the exact script (`plan … --shell`) one action away.
  function procedureNodes({ docs, shell }) {
    let n = 0;
    const steps = docs.map((step) => el("li", { class: step.addition ? "addition" : undefined },
      el("p", { class: "step" }, step.title, step.addition ? el("span", { class: "badge", text: "added to the docs" }) : null),
      ...step.commands.map((command) => el("div", { class: "command" },
        el("pre", {}, el("code", { text: command })),
        copyButton(command, `Copy command ${++n}`))),
      step.note ? el("p", { class: "note", text: step.note }) : null));
    const script = el("details", { class: "script" },
      el("summary", { text: "The whole script (bash + jq, what influxctl-admin plan --shell prints)" }),
      el("pre", { "aria-label": "The whole script" }, el("code", { text: shell })));
    return [el("ol", { class: "steps", "aria-label": "Steps" }, ...steps),
      el("div", { class: "actions" }, copyButton(shell, "Copy the whole script", "Copy the whole script")), script];
  }

  function profileNodes({ profile }) {
    return [el("pre", { class: "toml", "aria-label": "config.toml" }, el("code", { text: profile })),
      el("div", { class: "actions" }, copyButton(profile, "Copy the profile", "Copy the profile"))];
  }

  /** Shows what each field should show now; re-draws when one changed. */
  function refresh() {
    for (const field of fields) {
      const want = shown(field);
      if (norm(field, want) !== norm(field, inputs[field].value)) inputs[field].value = want;
    }
    draw();
  }

  // Follow the page: the docs' script (or the reader) changing a placeholder, or placeholders
  // added after the widget, update the widget. Its own text writes into placeholders are
  // text nodes, which this ignores.
  const relevant = (record) => record.type === "attributes" || [...record.addedNodes].some((node) =>
    node.nodeType === Node.ELEMENT_NODE && (node.matches("var.code-placeholder") || node.querySelector("var.code-placeholder")));
  const observer = new MutationObserver((records) => {
    if (records.some(relevant)) refresh();
  });
  observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-code-var-value"] });

  // Placed (drawn at once if in view, or just below it when none is drawn yet, else when it
  // comes near or the page is idle: see drawNowIfNear) as soon as there is a view to draw: at
  // once when the core is loaded or the build drew this one ahead, else when the core has loaded.
  let loaded = core.isLoaded();
  let failure = null;
  let disposed = false;
  let placed = false;
  let attached = false;
  const show = () => {
    if (disposed) return;
    anyDrawn = true;
    attach();
    attached = true;
    draw();
  };
  const place = () => {
    if (placed) return;
    placed = true;
    if (drawNowIfNear(container)) show();
    else whenNearOrIdle(container, show);
  };
  const loadCore = () => {
    core.load().then(() => {
      if (!performance.getEntriesByName("influxctl-admin-core-loaded").length) performance.mark("influxctl-admin-core-loaded");
      if (disposed) return;
      loaded = true;
      if (attached) draw();
      else place();
    }, (err) => {
      if (disposed) return;
      failure = err;
      if (attached) draw();
      else place();
    });
  };
  if (loaded) {
    place();
  } else {
    if (prerendered[viewKey(kind, attrs, current())]) {
      drawnAhead = true;
      place();
    }
    // After the frame that shows a widget drawn ahead (the reader will not edit a field
    // within a frame); at once when none was.
    if (drawnAhead) afterNextFrame(loadCore);
    else loadCore();
  }

  return {
    /** Changes options (as attributes do) and re-renders; a value the reader gave on the page still wins. */
    update(next) {
      Object.assign(attrs, next);
      if (next.tokenFile && !next.directory) attrs.directory = dirname(next.tokenFile);
      refresh();
    },
    /** The values the widget uses now. */
    values: current,
    dispose() {
      disposed = true;
      observer.disconnect();
      root.replaceChildren();
    },
  };
}

// ---- which widgets are drawn first ----------------------------------------------------
// A docs page can hold several widgets, most of them screens below the first. When the page
// starts (the module is render-blocking), the widgets in view are drawn before its first
// frame, so that nothing in view moves when one appears; when none is in view, the first
// within a screen below it is (a docs page's first widget is often just below the fold,
// where the reader scrolls first), so that the first frame has commands all the same. The
// others are drawn when they come within a screen of the view, or when the page is idle: the
// first frame lays out what the reader sees, not every widget of the page.

// Whether a widget of the page is drawn (shown).
let anyDrawn = false;
// Whether a widget drawn in this task lies below the view: the widgets after it in the page
// (placed after it in the same task, as the custom elements are upgraded together) are below
// it, so they wait for the frame without being measured (a measurement would lay the page
// out again, with the widget just drawn, before the frame does it anyway).
let drawnBelowThisTask = false;

/**
 * Whether `container` is to be drawn now: when it is in view, or when no widget is drawn yet
 * and it is within a screen below the view. Asked of each widget in turn, in the page's
 * order, once the widgets before it are drawn: an undrawn widget is empty, so one measured
 * before them looks in view when the first one drawn will push it screens down. The first
 * measurement of a page lays it out, which the frame then reuses.
 */
function drawNowIfNear(container) {
  if (drawnBelowThisTask) return false;
  const r = container.getBoundingClientRect();
  const inView = r.bottom >= 0 && r.top <= innerHeight;
  const justBelow = !anyDrawn && r.top > innerHeight && r.top <= 2 * innerHeight;
  if (!inView && !justBelow) return false;
  if (justBelow) {
    drawnBelowThisTask = true;
    queueMicrotask(() => { drawnBelowThisTask = false; });
  }
  return true;
}

/**
 * Calls `then` once `container` comes within a screen of the view, or the page is idle, but
 * not before the next frame: the frame the reader is waiting for (the widgets drawn just
 * before) holds nothing else, and an idle moment before it does not draw another widget.
 * When no widget is drawn yet (none is near), the view is looked at with that frame.
 */
function whenNearOrIdle(container, then) {
  let done = false;
  let seen = null;
  const go = () => {
    if (done) return;
    done = true;
    seen?.disconnect();
    then();
  };
  const observe = () => {
    seen = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && go(), { rootMargin: "100% 0px" });
    seen.observe(container);
  };
  if (!shownMarked) observe();
  afterNextFrame(() => {
    if (done) return;
    if (!seen) observe();
    whenIdle(go, 2000);
  });
}

/** Each option of render() and the element attribute that sets it (each also a property of the element). */
const ATTRIBUTES = {
  procedure: "procedure", method: "method", namespace: "namespace", tokenFile: "token-file", directory: "directory",
  keyGenJob: "key-gen-job", createTokenJob: "create-admin-token-job", name: "name", host: "host", port: "port", profile: "profile",
};

/** The attributes of an element as render() options. */
function optionsOf(element, kind) {
  const options = { kind };
  for (const [option, attribute] of Object.entries(ATTRIBUTES)) options[option] = element.getAttribute(attribute) ?? undefined;
  return options;
}

class Widget extends HTMLElement {
  static observedAttributes = Object.values(ATTRIBUTES);

  connectedCallback() {
    // A property set before the element was defined is an own property that hides the
    // accessor: move it to the attribute.
    for (const option of Object.keys(ATTRIBUTES)) {
      if (Object.hasOwn(this, option)) {
        const value = this[option];
        delete this[option];
        this[option] = value;
      }
    }
    this.handle ??= this.#render();
  }

  #render() {
    // `change` (detail: the values the widget uses now) when the reader changes a field.
    return render(this, optionsOf(this, this.kind), (values) => this.dispatchEvent(new CustomEvent("change", { detail: values, bubbles: true })));
  }

  attributeChangedCallback(name) {
    if (!this.handle) return;
    if (name === "method" || name === "procedure") {
      this.handle.dispose();
      this.handle = this.#render();
    } else {
      this.handle.update(Object.fromEntries(Object.entries(optionsOf(this, this.kind)).filter(([, v]) => v !== undefined)));
    }
  }

  disconnectedCallback() {
    this.handle?.dispose();
    this.handle = null;
  }

  /** The values the widget uses now (what a `change` event's detail holds). */
  get values() {
    return this.handle?.values();
  }
}

for (const [option, attribute] of Object.entries(ATTRIBUTES)) {
  Object.defineProperty(Widget.prototype, option, {
    get() { return this.getAttribute(attribute); },
    set(value) { if (value === null || value === undefined) this.removeAttribute(attribute); else this.setAttribute(attribute, value); },
  });
}

/** `<influxctl-admin-procedure procedure="fetch|revoke|create" method="current|original" …>` */
export class InfluxctlAdminProcedure extends Widget {
  kind = "procedure";
  static tagName = "influxctl-admin-procedure";
  /** Defines the element (once) under `tagName`. */
  static define(tagName = this.tagName) {
    if (!customElements.get(tagName)) customElements.define(tagName, tagName === this.tagName ? this : class extends this {});
  }
}

/** `<influxctl-admin-profile name="…" host="…" port="…" token-file="…">` */
export class InfluxctlAdminProfile extends Widget {
  kind = "profile";
  static tagName = "influxctl-admin-profile";
  static define(tagName = this.tagName) {
    if (!customElements.get(tagName)) customElements.define(tagName, tagName === this.tagName ? this : class extends this {});
  }
}

/** Resolves once the core is loaded (one instance for every widget of the page). */
export const ready = () => core.load();

InfluxctlAdminProcedure.define();
InfluxctlAdminProfile.define();
