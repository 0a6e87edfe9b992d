// Files in and out of the page: opening (the file picker, a drop, "Start empty"), which
// refuses what is not UTF-8 text as the CLI does, and downloads.

import { el, afterNextFrame } from "../dom.js";
import { setText } from "./store.js";

const $ = (id) => document.getElementById(id);

export function mountFiles() {
  $("open-file").addEventListener("change", (e) => e.target.files[0] && readFile(e.target.files[0]));
  $("start-empty").addEventListener("click", () => open(""));
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", (e) => {
    e.preventDefault();
    const file = e.dataTransfer?.files[0];
    if (file) readFile(file);
  });
}

/** Opens `text` as the file to edit (the diff compares against it). */
export function open(text) {
  showError("");
  setText(text, { original: text });
}

function showError(message) {
  $("open-error").textContent = message;
  $("open-error").hidden = !message;
}

export function download(blob, name) {
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

/**
 * The text of `bytes`, byte for byte (a UTF-8 BOM is kept: TextDecoder drops it by default), or
 * why they cannot be a config.toml, as the CLI says it: TOML is UTF-8. Bytes that are not UTF-8
 * are refused, as the CLI refuses them: decoding them would put U+FFFD in their place and the
 * download would not be the file that was opened. (The decoder checks them; the offset of the
 * first bad byte is looked for only then: a loop over every byte costs a large file's open
 * 4 ms.)
 */
function decodeToml(name, bytes) {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)
    || (bytes.length >= 4 && bytes.length % 2 === 0 && [...bytes.slice(0, 64)].every((b, i) => (i % 2 === (bytes[0] === 0 ? 0 : 1)) === (b === 0)));
  if (utf16) return { refused: `${name} is UTF-16 text (as Windows PowerShell's \`>\` writes it), not TOML: influxctl reads config.toml as UTF-8. Save it as UTF-8 and open it again; nothing was opened.` };
  try {
    return { text: new TextDecoder("utf-8", { ignoreBOM: true, fatal: true }).decode(bytes) };
  } catch {
    return { refused: `${name} is not UTF-8 text (invalid byte at offset ${invalidUtf8At(bytes)}); TOML files must be UTF-8. Nothing was opened.` };
  }
}

async function readFile(file) {
  const started = performance.now();
  const { text, refused } = decodeToml(file.name, new Uint8Array(await file.arrayBuffer()));
  showError(refused ?? "");
  if (refused) return;
  open(text);
  performance.measure("open-file", { start: started, end: performance.now() });
  afterNextFrame(() => performance.measure("open-file-shown", { start: started, end: performance.now() }));
}
