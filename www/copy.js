// The copy button the editor and the docs widget share.

import { el } from "./dom.js";

/**
 * A button that copies `text` and says for a moment whether that worked; `label` is its
 * accessible name, `visible` its text.
 */
export function copyButton(text, label, visible = "Copy") {
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
