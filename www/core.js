// The influxctl-admin core (Rust compiled to WebAssembly) for JavaScript: one instance,
// shared by the editor and every docs widget on a page. Each function returns plain
// objects, or throws a CoreError carrying the core's structured error
// ({kind, message, line, column, suggestion, available, ...}).

import init, * as wasm from "./pkg/influxctl_admin.js";

/** An error from the core: `kind` says which, `message` what the CLI would print. */
export class CoreError extends Error {
  constructor(fields) {
    super(fields.message);
    this.name = "CoreError";
    Object.assign(this, fields);
  }
}

let loading = null;

/** Loads the WebAssembly module once; later calls share it. */
export function load(wasmUrl = new URL("./pkg/influxctl_admin_bg.wasm", import.meta.url)) {
  loading ??= init({ module_or_path: wasmUrl });
  return loading;
}

function call(fn, ...args) {
  let out;
  try {
    out = fn(...args);
  } catch (thrown) {
    if (typeof thrown === "string") throw new CoreError(JSON.parse(thrown));
    if (thrown instanceof WebAssembly.RuntimeError) {
      const message = wasm.take_panic() ?? thrown.message;
      throw new CoreError({ kind: "panic", message: `internal error in the core: ${message}` });
    }
    throw thrown;
  }
  return typeof out === "string" ? JSON.parse(out) : out;
}

const encoder = new TextEncoder();
const bytes = (input) => (typeof input === "string" ? encoder.encode(input) : input);
const now = () => Date.now() / 1000;

export const schema = () => call(wasm.schema);
/** Profiles (secrets hidden), lint findings with spans, line endings. */
export const view = (text) => call(wasm.config_view, text);
/** Applies one edit ({op: "set"|"unset"|"rename"|"remove"|"add"|"use-token"|"duplicate", ...}). */
export const edit = (text, change) => call(wasm.config_edit, text, JSON.stringify(change)).text;
export const profileSnippet = (profile) => call(wasm.profile_snippet, JSON.stringify(profile)).text;
/** A pasted Secret's keys and its token's claims; never the token itself. */
export const decodeSecret = (input, key) => call(wasm.secret_decode, bytes(input), key, now());
/** The token's exact bytes (a Uint8Array), for the token.json download only. */
export const secretValue = (input, key) => call(wasm.secret_value, bytes(input), key);
export const inspectToken = (tokenBytes) => call(wasm.token_inspect, bytes(tokenBytes), now());
/** A procedure as data: steps, numbered list and bash script (`influxctl-admin plan`). */
export const plan = (request) => call(wasm.plan, JSON.stringify(request));
