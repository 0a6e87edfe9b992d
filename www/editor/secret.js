// The Admin token panel: a pasted Secret is decoded by the core; the page shows its keys
// and the token's claims, never the token, and keeps the bytes in a variable until the
// reader downloads token.json or forgets it.

import * as core from "../core.js";
import { el } from "../dom.js";
import { download } from "./files.js";

const $ = (id) => document.getElementById(id);
let secret = null; // the pasted Secret's bytes: kept here only, never in the DOM

export function mountSecret() {
  $("secret").addEventListener("input", onInput);
  $("download-token").addEventListener("click", downloadToken);
  $("forget-secret").addEventListener("click", () => { secret = null; render(null); });
}

let latest = 0; // the input being decoded: an older one's answer is dropped

async function onInput() {
  const input = $("secret");
  const text = input.value;
  const id = ++latest;
  if (!text.trim()) { showError(""); return; }
  try {
    const decoded = await core.decodeSecret(text);
    if (id !== latest || input.value !== text) return;
    // Decoded: keep the bytes in memory only, and take the paste out of the page.
    secret = new TextEncoder().encode(text);
    input.value = "";
    showError("");
    render(decoded);
  } catch (err) {
    if (id !== latest) return;
    showError(err instanceof core.CoreError ? err.shown : `The Secret reader could not load (${err.message}); paste the Secret again to retry`);
  }
}

function showError(message) {
  $("secret-error").textContent = message;
  $("secret-error").hidden = !message;
}

function render(decoded) {
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
  if (!secret) return;
  download(new Blob([core.secretValue(secret)], { type: "application/octet-stream" }), "token.json");
  $("field-auth-token-token_file")?.focus();
}
