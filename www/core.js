// The influxctl-admin core (Rust compiled to WebAssembly) for JavaScript: one instance per
// page, shared by all of its faces there (the editor's panels, or every docs widget). Each
// page's bundle (target/site/editor.js, embed.js) holds its own copy of this loader. Each function returns plain
// objects, or throws a CoreError carrying the core's structured error
// ({kind, message, line, column, suggestion, available, ...}).

import init, * as wasm from "./pkg/influxctl_admin.js";

/**
 * An error from the core: `kind` says which, `message` what happened, `hint` (when there
 * is one) what to do next in words for a page, `hints` the same as data.
 */
export class CoreError extends Error {
  constructor(fields) {
    super(fields.message);
    this.name = "CoreError";
    Object.assign(this, fields);
  }

  /** What a page shows: what happened, then what to do next. */
  get shown() {
    return this.hint ? `${this.message}; ${this.hint}` : this.message;
  }
}

let loading = null;
let loaded = false;

/**
 * Loads the WebAssembly module once; later calls share it. `source`: its URL, or its bytes
 * (as the build, in Node, passes them).
 */
export function load(source = new URL("./pkg/influxctl_admin_bg.wasm", import.meta.url)) {
  loading ??= init({ module_or_path: source }).then(() => { loaded = true; });
  return loading;
}

/** Whether the module is loaded (calls before then throw). */
export const isLoaded = () => loaded;

/** Calls a core function; the core's errors become CoreErrors. */
function call(fn, ...args) {
  try {
    return fn(...args);
  } catch (thrown) {
    if (typeof thrown === "string") throw new CoreError(JSON.parse(thrown));
    // A panic in the core is a trap (the bundle aborts at once, with no message); the
    // instance may be left half-way through a call, so only a reload is safe.
    if (thrown instanceof WebAssembly.RuntimeError) {
      throw new CoreError({ kind: "panic", message: `internal error in the core (${thrown.message}); reload the page` });
    }
    throw thrown;
  }
}

/** Calls a core function that answers in JSON. */
const callJson = (fn, ...args) => JSON.parse(call(fn, ...args));

const encoder = new TextEncoder();
const bytes = (input) => (typeof input === "string" ? encoder.encode(input) : input);
const now = () => Date.now() / 1000;

export const version = () => wasm.version();
export const schema = () => callJson(wasm.schema);
/** The procedures the faces offer, in order: [{procedure, method (revoke's, else null), title}]. */
export const procedures = () => callJson(wasm.procedures);
/** Profiles (secrets hidden), lint findings with spans, line endings. */
export const view = (text) => callJson(wasm.config_view, text);

// Edits: each maps the file's text to the edited text, byte for byte what
// `influxctl-admin profile …` writes (see src/wasm/config.rs).
export const setKey = (text, profile, key, value) => call(wasm.config_set, text, profile, key, value);
export const unsetKey = (text, profile, key) => call(wasm.config_unset, text, profile, key);
export const renameProfile = (text, profile, to) => call(wasm.config_rename, text, profile, to);
export const removeProfile = (text, profile) => call(wasm.config_remove, text, profile);
export const useTokenFile = (text, profile, tokenFile) => call(wasm.config_use_token, text, profile, tokenFile);
export const duplicateProfile = (text, profile, to) => call(wasm.config_duplicate, text, profile, to);
/** `profile add`: {name, product, host?, port?, account_id?, cluster_id?}. */
export const addProfile = (text, { name, product, host, port, account_id: accountId, cluster_id: clusterId }) =>
  call(wasm.config_add, text, name, product, host, port, accountId, clusterId);
/** The `[[profile]]` of `profile add NAME --product clustered --host H [--port P]` + `use-token`. */
export const profileSnippet = ({ name, host, port, tokenFile }) =>
  call(wasm.profile_snippet, name, host, port || undefined, tokenFile);

// The Secret reader is a module of its own (src/wasm/secrets.rs), about half the size of the
// one above, that most pages never use: it loads on the first call, or on loadSecrets().
let secretsLoading = null;
let secrets = null;

/** Loads the Secret reader once (a page may start it early, when a paste is likely). */
export function loadSecrets(base = new URL("./pkg/", import.meta.url)) {
  // A computed specifier: bundlers leave the glue out of a page's bundle, so it loads here.
  const glue = new URL("influxctl_admin_secrets.js", base).href;
  secretsLoading ??= import(glue).then(async (module) => {
    await module.default({ module_or_path: new URL("influxctl_admin_secrets_bg.wasm", base) });
    secrets = module;
  }).catch((err) => {
    secretsLoading = null; // the next call tries again
    throw err;
  });
  return secretsLoading;
}

/** A pasted Secret's keys and its token's claims; never the token itself (a promise). */
export async function decodeSecret(input, key) {
  await loadSecrets();
  return callJson(secrets.secret_decode, bytes(input), key, now());
}
/**
 * The token's exact bytes (a Uint8Array), for the token.json download only. Synchronous,
 * so that the download keeps the click's user activation: call it after decodeSecret.
 */
export function secretValue(input, key) {
  if (!secrets) throw new CoreError({ kind: "not-loaded", message: "the Secret reader is not loaded yet: decode the Secret first" });
  return call(secrets.secret_value, bytes(input), key);
}

/** `token.json` inside an absolute directory (a docs page's DIRECTORY_PATH). */
export const tokenFileIn = (directory) => call(wasm.token_file_in, directory);

/**
 * A procedure as data: {procedure: {name, title, steps: [{title, argv, stdin, waits_for,
 * verifies, destructive, shell, action}]}, list, shell}, the text of `influxctl-admin plan PROCEDURE [--method M] [--recreate]
 * -n NAMESPACE --token-file F --profile P [--key-gen-job-name J] [--create-token-job-name J] [--shell]`.
 */
export const plan = ({ procedure, method = "current", recreate = false, namespace, context, kubeconfig, tokenFile, profile = "default", keyGenJob, createTokenJob }) =>
  callJson(wasm.plan, procedure, method, recreate, namespace, context, kubeconfig, tokenFile, profile, keyGenJob, createTokenJob);
