// The config.toml source as a code view: TOML highlighting and line numbers (prism-code-
// editor's layout: a highlighted layer under a real <textarea>, which stays the textbox
// named "config.toml" whose value is the whole text), each finding underlined at its span
// with its message on hover and when the caret is in it, F8 / Shift+F8 to go to the next /
// previous problem. The layer's lines are drawn here (drawLines), only those that changed.

import { createEditor, Token, highlightTokens, languages, tokenizeText } from "../vendor/code-editor.js";
import { el, afterNextFrame, whenIdle } from "../dom.js";
import { state, panel, setText } from "./store.js";
import { findingsShown } from "./findings.js";

let editor;
let marks = []; // [{start, end, finding}] in UTF-16 offsets of state.text, by start
let tooltipFor = null;

export function mountSource(root) {
  // The view's lines are drawn here (showLinesInView), not by the view: its one empty line
  // gives way to the blocks that stand for the lines out of view.
  editor = createEditor(root, { language: "toml", value: "", lineNumbers: false, tabSize: 2 });
  spacers = [el("div", { "aria-hidden": "true" }), el("div", { "aria-hidden": "true" })];
  editor.lines[1].replaceWith(...spacers);
  const textarea = editor.textarea;
  Object.assign(textarea, { id: "source", spellcheck: false, autocomplete: "off", rows: 24 });
  textarea.setAttribute("aria-label", "config.toml");
  textarea.setAttribute("aria-describedby", "source-keys");
  // Typing and pasting (capture on an ancestor): the text is parsed and its lines drawn
  // here; the view's own input listener, which would highlight the whole file again, does
  // not hear of it.
  root.addEventListener("input", (e) => {
    if (e.target !== textarea) return;
    e.stopImmediatePropagation();
    if (syncing) return;
    const started = performance.now();
    setText(textarea.value);
    afterNextFrame(() => performance.measure("source-edit-shown", { start: started, end: performance.now() }));
  }, true);
  // The focus our own edit moves for a moment (see syncTextarea) is not the reader's: the
  // view does not hear of it (it would restyle every line twice).
  for (const type of ["focus", "blur"]) {
    root.addEventListener(type, (e) => { if (syncing) e.stopImmediatePropagation(); }, true);
  }
  // The reader is about to use the textarea: it holds the current text first.
  root.addEventListener("focus", (e) => { if (e.target === textarea && !syncing) syncNow(); }, true);
  for (const type of ["pointerdown", "dragenter"]) root.addEventListener(type, syncNow, true);
  textarea.addEventListener("keydown", onKey);
  editor.on("selectionChange", () => showTooltip(markAt(textarea.selectionStart), { fromCaret: true }));
  textarea.addEventListener("blur", () => showTooltip(null));
  editor.container.addEventListener("pointermove", onPointer);
  editor.container.addEventListener("pointerleave", () => showTooltip(null));
  root.append(
    el("p", { id: "source-keys", class: "hint", text: "F8 / Shift+F8: next / previous problem." }),
    el("div", { id: "source-tooltip", role: "tooltip", class: "tooltip", hidden: true }));
  panel("source", render);
  // The scroll position and height are kept as they change, so that an edit does not ask
  // the browser for them (a forced layout of the whole page in the middle of the edit).
  // (Scroll events come once per frame, before it is drawn.)
  editor.container.addEventListener("scroll", () => {
    viewTop = editor.container.scrollTop;
    showLinesInView();
  }, { passive: true });
  new ResizeObserver(([entry]) => {
    viewHeight = entry.contentRect.height;
    // Read again (the stylesheet may have come after the module), and now: this runs after
    // a layout, with the page's style clean. Read in the first open, it styled the page in
    // the middle of it (1 ms here).
    readLineHeight = 0;
    lineHeightNow();
    showLinesInView();
  }).observe(editor.container);
}

// ---- only the lines in view are in the page -------------------------------------------

// The view holds the lines in view and two screens' worth on each side, between two empty
// blocks as tall as the lines they stand for: a 1,000-line file is about 100 elements to
// style and lay out, not 1,000 (20 ms of style and 20 of layout at each open here, even
// with `content-visibility: hidden` on the lines out of view). Every line is one line high
// (no wrapping, a line height in whole pixels: editor.css), so which lines are in view
// follows from the scroll position, and the blocks' heights from the line count.
let readLineHeight = 0; // 0: to be read (lineHeightNow)
const STYLED_LINE_HEIGHT = 19; // editor.css's, used while it cannot be read
let viewTop = 0;
let viewHeight = 0;
let spacers; // [before, after]
let shown = { first: 0, lines: [] }; // the line elements in the page, from line `first` (from 0)

/** The source's line height in pixels (editor.css's), or its value there while the stylesheet is not in yet. */
function lineHeightNow() {
  if (!(readLineHeight > 0)) readLineHeight = parseFloat(getComputedStyle(editor.textarea).lineHeight);
  return readLineHeight > 0 ? readLineHeight : STYLED_LINE_HEIGHT;
}

/**
 * Puts the lines in view and, unless `around` is false, those around them in the page, each
 * showing what `drawn` holds.
 */
function showLinesInView(around = true) {
  const total = drawn.texts.length;
  // (One line, as an empty file has, needs no height: reading it would style the page at
  // the editor's start, before its frame does.)
  const lineHeight = total > 1 ? lineHeightNow() : STYLED_LINE_HEIGHT;
  const screen = Math.ceil(viewHeight / lineHeight) || 40;
  const top = Math.floor(viewTop / lineHeight);
  const first = Math.min(Math.max(0, top - (around ? 2 * screen : 0)), total);
  const end = Math.min(total, top + (around ? 3 : 1) * screen);
  const old = shown;
  const oldEnd = old.first + old.lines.length;
  const lines = [];
  const make = () => Object.assign(document.createElement("div"), { className: "pce-line", ariaHidden: "true" });
  const added = [[], []]; // new elements before the lines kept, and after them
  for (let i = first; i < end; i++) {
    const kept = i >= old.first && i < oldEnd ? old.lines[i - old.first] : null;
    const line = kept ?? make();
    if (!kept) added[i < old.first ? 0 : 1].push(line);
    lines.push(line);
  }
  for (let i = old.first; i < oldEnd; i++) if (i < first || i >= end) old.lines[i - old.first].remove();
  spacers[0].after(...added[0]);
  spacers[1].before(...added[1]);
  shown = { first, lines };
  spacers[0].style.height = `${first * lineHeight}px`;
  spacers[1].style.height = `${(total - end) * lineHeight}px`;
  lines.forEach((line, k) => drawLine(line, first + k));
}

// ---- the highlighted lines --------------------------------------------------------

// The view's own update highlights the whole file and compares every line's HTML at each
// edit (5 ms at 1,000 lines here). Here only the lines in the page are highlighted, and
// after an edit only those whose text or marks changed, each line's tokens kept by its
// text. (A multi-line string spans lines: a file with one is highlighted whole.)
let drawn = {
  texts: [""], // each line's text
  byLine: new Map(), // line index → its marks, in the line's own offsets
  whole: null, // each line's HTML, when the file is highlighted whole
};
const tokensByLine = new Map();

function tokensOf(line) {
  let tokens = tokensByLine.get(line);
  if (!tokens) {
    if (tokensByLine.size > 20000) tokensByLine.clear();
    tokensByLine.set(line, tokens = tokenizeText(line, languages.toml));
  }
  return tokens;
}

/** Makes the view's lines those of `text`. */
function drawLines(text) {
  const texts = text.split("\n");
  drawn = {
    texts,
    byLine: marksByLine(texts),
    whole: text.includes('"""') || text.includes("'''")
      ? highlightTokens(markTokens(tokenizeText(text, languages.toml), marks.map((m, index) => ({ ...m, index })))).split("\n")
      : null,
  };
  editor.container.style.setProperty("--number-width", `${String(texts.length).length}.001ch`);
  if (drawnOpened === state.opened) {
    showLinesInView();
  } else {
    // A file just opened: every line is new. Those in view are drawn for its first frame,
    // the ones around them when the page is next idle (a third of the elements in that frame).
    drawnOpened = state.opened;
    showLinesInView(false);
    whenIdle(() => showLinesInView(), 100);
  }
}
let drawnOpened = 0; // the state.opened whose lines are drawn

const shownKey = new WeakMap(); // line element → what it shows

/** Makes `line` show line `i` (from 0) of `drawn`: its number, and its highlighted text with its marks. */
function drawLine(line, i) {
  const { texts, byLine, whole } = drawn;
  // What the line shows: its text and its marks, or all of it when highlighted whole.
  const key = whole ? whole[i] : `${texts[i]}\0${(byLine.get(i) ?? []).map((m) => `${m.start}-${m.end}-${m.index}-${m.finding.severity}`).join()}`;
  if (shownKey.get(line) !== key) {
    line.innerHTML = `${whole ? whole[i] : highlightTokens(markTokens(tokensOf(texts[i]), byLine.get(i) ?? []))}\n`;
    shownKey.set(line, key);
  }
  // Line numbers from an attribute of each line (editor.css shows it): the view's own are
  // a CSS counter, which lays out every line again after any edit.
  if (line.dataset.n !== String(i + 1)) line.dataset.n = i + 1;
}

function render() {
  const textarea = editor.textarea;
  marks = marksOf(state.text, findingsShown());
  const error = state.parseError;
  const alert = document.getElementById("parse-error");
  alert.textContent = error
    ? `config.toml does not parse at line ${error.line}, column ${error.column}: ${error.reason}. Your text is kept as typed; fix it to go on editing.`
    : "";
  alert.hidden = !error;
  textarea.setAttribute("aria-invalid", error ? "true" : "false");
  // The example shows in an empty source, not over a file the textarea has yet to take.
  const placeholder = state.text ? "" : PLACEHOLDER;
  if (textarea.placeholder !== placeholder) textarea.placeholder = placeholder;
  drawLines(state.text);
  if (state.opened === opened && textarea.value === state.text) {
    // Typing: the message of the mark the caret is in follows the text.
    if (editor.focused) showTooltip(markAt(textarea.selectionStart), { fromCaret: true });
  } else if (document.activeElement === textarea) {
    // A file opened or an edit made elsewhere while the reader's caret is in the source:
    // into the textarea at the next frame.
    syncLater(requestAnimationFrame);
  } else {
    // A file opened, or an edit made elsewhere (the form, a fix): drawn in the view now,
    // and into the textarea when the page is idle, or before the reader uses it (syncNow).
    // (A textarea lays out all of its text: 35-45 ms for 1,000 lines here.)
    syncLater((then) => whenIdle(then, 250));
  }
  if (tooltipFor && !marks.some((m) => m.finding === tooltipFor.finding)) showTooltip(null);
}

/** The marks on each line (by index from 0), in the line's own offsets. */
function marksByLine(texts) {
  const byLine = new Map();
  if (!marks.length) return byLine;
  const starts = [];
  let at = 0;
  for (const line of texts) {
    starts.push(at);
    at += line.length + 1;
  }
  // Marks are by start: the line of each one's start is found walking forward from the last.
  let startLine = 0;
  marks.forEach((mark, index) => {
    while (startLine + 1 < texts.length && starts[startLine + 1] <= mark.start) startLine++;
    for (let line = startLine; line < texts.length && starts[line] < mark.end; line++) {
      const from = Math.max(mark.start - starts[line], 0);
      const to = Math.min(mark.end - starts[line], texts[line].length);
      if (to <= from) continue;
      if (!byLine.has(line)) byLine.set(line, []);
      byLine.get(line).push({ start: from, end: to, finding: mark.finding, index });
    }
  });
  return byLine;
}

/** Where `text` differs from `old`: the range [start, end) of `old` that `insert` replaces. */
function changedRange(old, text) {
  const max = Math.min(old.length, text.length);
  let start = 0;
  while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let same = 0;
  while (same < max - start && old.charCodeAt(old.length - 1 - same) === text.charCodeAt(text.length - 1 - same)) same++;
  return { start, end: old.length - same, insert: text.slice(start, text.length - same) };
}

/**
 * Sets a textarea's text by replacing only what changed, keeping the caret and selection
 * where they were (the Result's whole file).
 */
export function replaceText(textarea, text) {
  if (textarea.value === text) return;
  const { start, end, insert } = changedRange(textarea.value, text);
  textarea.setRangeText(insert, start, end, "preserve");
}

const PLACEHOLDER = '[[profile]]\n  name = "default"\n  product = "clustered"\n  host = "cluster.example.com"';
let opened = -1; // the state.opened the textarea holds
let syncScheduled = false;
let syncing = false; // the textarea's input events are our own edit's

/** Brings the textarea to the current text when `schedule` calls back (once for many edits). */
function syncLater(schedule) {
  if (syncScheduled) return;
  syncScheduled = true;
  schedule(syncTextarea);
}

/** Brings the textarea to the current text now, if an edit made elsewhere is pending. */
export function syncNow() {
  if (syncScheduled) syncTextarea();
}

/**
 * Brings the source's textarea to the current text: a file opened replaces its value; an
 * edit made elsewhere is an editing command on the changed range, what typing does: the
 * browser then lays out the changed lines only (a value set or setRangeText rebuilds all
 * of a textarea's text: 2,800 layout objects for 1,000 lines, against 7), and the edit
 * joins the textarea's undo history. Never in the task that made the edit, which may yet
 * move the focus (Tab) where it goes; the focus, caret, selection and scroll position are
 * then put back as they were.
 */
function syncTextarea() {
  syncScheduled = false;
  const textarea = editor.textarea;
  const started = performance.now();
  if (opened !== state.opened) {
    // A file opened: its text replaces the old one, and the undo history.
    opened = state.opened;
    textarea.value = state.text;
    afterNextFrame(() => performance.measure("source-sync-open", { start: started, end: performance.now() }));
    return;
  }
  const old = textarea.value;
  const text = state.text;
  if (old === text) return;
  const { start, end, insert } = changedRange(old, text);
  const scroller = editor.container;
  const [top, left] = [scroller.scrollTop, scroller.scrollLeft];
  const [from, to, direction] = [textarea.selectionStart, textarea.selectionEnd, textarea.selectionDirection];
  const focused = document.activeElement;
  syncing = true;
  try {
    if (focused !== textarea) textarea.focus({ preventScroll: true });
    textarea.setSelectionRange(start, end);
    // (The view already shows the new text: render drew it. The command's input event is
    // our own, and the source's input listener passes it over.)
    const done = document.execCommand(insert ? "insertText" : "delete", false, insert);
    if (!done || textarea.value !== text) textarea.value = text; // a browser without editing commands here
    // The focus goes back first: a selection set in a textarea without the focus costs
    // no layout.
    if (focused === textarea) {
      // The reader's caret was in the source: it stays in it.
    } else if (focused && focused !== document.body) focused.focus({ preventScroll: true });
    else textarea.blur();
    const moved = (at) => (at <= start ? at : at >= end ? at + text.length - old.length : start + insert.length);
    textarea.setSelectionRange(moved(from), moved(to), direction);
  } finally {
    syncing = false;
  }
  scroller.scrollTop = top;
  scroller.scrollLeft = left;
  afterNextFrame(() => performance.measure("source-sync", { start: started, end: performance.now() }));
}

// ---- findings as marks in the text ------------------------------------------------

/** The UTF-16 offset of a 1-based line and column counted in characters (as the core counts). */
function offsetsOf(text, spans) {
  const lineStarts = [0];
  const needed = Math.max(0, ...spans.map((s) => s.end_line));
  for (let i = 0; lineStarts.length < needed && (i = text.indexOf("\n", i) + 1) > 0;) lineStarts.push(i);
  return (line, column) => {
    let at = lineStarts[line - 1] ?? text.length;
    for (let c = 1; c < column && at < text.length && text[at] !== "\n"; c++) at += text.codePointAt(at) > 0xffff ? 2 : 1;
    return at;
  };
}

/** Each finding with a span becomes a mark of at least one character. */
function marksOf(text, findings) {
  const withSpan = findings.filter((f) => f.span);
  const offset = offsetsOf(text, withSpan.map((f) => f.span));
  return withSpan.map((finding) => {
    const { line, column, end_line: endLine, end_column: endColumn } = finding.span;
    let start = offset(line, column);
    let end = Math.max(offset(endLine, endColumn), start);
    if (end === start) {
      // A point (a parse error): mark from there to the line's end, or the character
      // before it at a line's end.
      const lineEnd = text.indexOf("\n", start);
      if (start < text.length && text[start] !== "\n") end = lineEnd < 0 ? text.length : lineEnd;
      else if (start > 0 && text[start - 1] !== "\n") start -= 1;
    }
    return { start, end, finding };
  }).filter((m) => m.end > m.start).sort((a, b) => a.start - b.start);
}

/**
 * The token stream with the ranges of `ms` ([{start, end, finding, index}], offsets in the
 * stream's text, by start) wrapped in `lint` tokens, split where needed. Tokens clear of
 * every mark are kept as they are (most of the stream); `tokens` is not changed.
 */
function markTokens(tokens, ms) {
  if (!ms.length) return tokens;
  let pos = 0;
  let first = 0; // the marks before this one end at or before `pos`
  const pieces = (text) => {
    const out = [];
    const start = pos;
    const end = pos + text.length;
    const cuts = [start, end];
    for (let i = first; i < ms.length && ms[i].start < end; i++) cuts.push(ms[i].start, ms[i].end);
    const sorted = [...new Set(cuts.filter((c) => c >= start && c <= end))].sort((a, b) => a - b);
    for (let k = 0; k + 1 < sorted.length; k++) {
      const [from, to] = [sorted[k], sorted[k + 1]];
      const piece = text.slice(from - start, to - start);
      const on = [];
      for (let i = first; i < ms.length && ms[i].start < to; i++) if (ms[i].end > from) on.push(i);
      if (!on.length) { out.push(piece); continue; }
      const worst = on.map((i) => ms[i].finding.severity).sort(bySeverity)[0];
      out.push(new Token("lint", piece, piece, `sev-${worst} ${on.map((i) => `mark-${ms[i].index}`).join(" ")}`));
    }
    pos = end;
    return out;
  };
  const walk = (stream) => {
    const out = [];
    for (const t of stream) {
      while (first < ms.length && ms[first].end <= pos) first++;
      if (first >= ms.length || pos + t.length <= ms[first].start) {
        out.push(t);
        pos += t.length;
      } else if (typeof t === "string") {
        out.push(...pieces(t));
      } else {
        const content = walk(typeof t.content === "string" ? [t.content] : t.content);
        out.push(new Token(t.type, content, { length: t.length }, t.alias));
      }
    }
    return out;
  };
  return walk(tokens);
}

const SEVERITY = { error: 0, warning: 1, info: 2 };
const bySeverity = (a, b) => SEVERITY[a] - SEVERITY[b];

// ---- the message of a mark --------------------------------------------------------

function markAt(offset) {
  // The innermost (last starting) mark that holds the caret, an error before a note.
  const holding = marks.filter((m) => m.start <= offset && offset <= m.end);
  return holding.sort((a, b) => bySeverity(a.finding.severity, b.finding.severity) || b.start - a.start)[0] ?? null;
}

let pointer = null;
function onPointer(event) {
  const first = pointer === null;
  pointer = [event.clientX, event.clientY];
  if (!first) return;
  requestAnimationFrame(() => {
    const [x, y] = pointer;
    pointer = null;
    const index = marks.findIndex((_, i) => [...editor.container.getElementsByClassName(`mark-${i}`)].some((span) => {
      const r = span.getBoundingClientRect();
      return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
    }));
    if (index >= 0) showTooltip(marks[index]);
    else if (!tooltipFor?.fromCaret) showTooltip(null);
  });
}

function showTooltip(mark, { fromCaret = false } = {}) {
  const tooltip = document.getElementById("source-tooltip");
  const textarea = editor.textarea;
  const describedBy = (textarea.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id && id !== tooltip.id);
  if (!mark || (fromCaret && !editor.focused)) {
    tooltipFor = null;
    tooltip.hidden = true;
    textarea.setAttribute("aria-describedby", describedBy.join(" "));
    return;
  }
  tooltipFor = { ...mark, fromCaret };
  const { severity, code, message, span } = mark.finding;
  tooltip.replaceChildren(el("strong", { text: severity }), " ", el("code", { text: code }), ` line ${span.line}: ${message}`);
  tooltip.className = `tooltip sev-${severity}`;
  tooltip.hidden = false;
  const index = marks.indexOf(marks.find((m) => m.finding === mark.finding));
  const anchor = editor.container.getElementsByClassName(`mark-${index}`)[0];
  const box = tooltip.offsetParent?.getBoundingClientRect() ?? { left: 0, top: 0 };
  if (anchor) {
    const r = anchor.getBoundingClientRect();
    tooltip.style.left = `${Math.max(0, r.left - box.left)}px`;
    tooltip.style.top = `${r.bottom - box.top + 2}px`;
  }
  textarea.setAttribute("aria-describedby", [...describedBy, tooltip.id].join(" "));
}

// ---- keyboard ---------------------------------------------------------------------

function onKey(event) {
  if (event.key !== "F8" || event.altKey || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  goToProblem(event.shiftKey ? -1 : 1);
}

/** Selects the next (or previous) problem's text after (or before) the caret, wrapping. */
export function goToProblem(direction) {
  if (!marks.length) return;
  syncNow();
  const caret = editor.textarea.selectionStart;
  const next = direction > 0
    ? marks.find((m) => m.start > caret) ?? marks[0]
    : marks.findLast((m) => m.start < caret) ?? marks.at(-1);
  select(next.start, next.end);
  showTooltip(next, { fromCaret: true });
}

/** Selects `start..end` of the source, focuses it and scrolls the line into view. */
export function select(start, end) {
  syncNow();
  const textarea = editor.textarea;
  textarea.focus();
  textarea.setSelectionRange(start, end);
  const line = state.text.slice(0, start).split("\n").length;
  // Into view (the line may not be in the page yet), and its lines drawn at once (the
  // scroll event comes at the next frame), for the problem's message to sit under its mark.
  const scroller = editor.container;
  const lineHeight = lineHeightNow();
  const top = parseFloat(getComputedStyle(editor.wrapper).marginTop) + (line - 1) * lineHeight;
  if (top < scroller.scrollTop) scroller.scrollTop = top;
  else if (top + lineHeight > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + lineHeight - scroller.clientHeight;
  viewTop = scroller.scrollTop;
  showLinesInView();
}

/** Selects the text of a span {line, column, end_line, end_column} (a problem's "Show"). */
export function showSpan(span) {
  const offset = offsetsOf(state.text, [span]);
  select(offset(span.line, span.column), offset(span.end_line, span.end_column));
}
