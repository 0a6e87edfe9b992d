// The one DOM helper the editor and the widget share.

/**
 * `document.createElement(tag)` with attributes (`text` sets the text, `onX` adds a listener,
 * `false`/`null`/`undefined` leave the attribute out) and children.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}
