// The DOM helpers the editor and the widget share: making elements, and the two moments
// both wait for (the frame that shows a change, and the page being idle).

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

/** Runs `then` once the browser has laid out and painted what the page just changed. */
export const afterNextFrame = (then) => requestAnimationFrame(() => setTimeout(then, 0));

/**
 * Runs `then` when the page is idle, at the latest after `timeout` ms (a browser without
 * requestIdleCallback runs it in the next task).
 */
export const whenIdle = (then, timeout) =>
  (window.requestIdleCallback ? requestIdleCallback(then, { timeout }) : setTimeout(then, 0));
