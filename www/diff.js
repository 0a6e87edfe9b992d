// A line diff (longest common subsequence over the lines that differ), shown as unified
// diff hunks with three lines of context: what an edit changed against the opened file.

/** Returns [{kind: " " | "-" | "+", text}] for the changed regions of `before` → `after`. */
export function lineDiff(before, after) {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  // LCS table over the middle only: edits touch a few lines, so this stays small.
  const lcs = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = a.slice(0, start).map((text) => ({ kind: " ", text }));
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) { ops.push({ kind: " ", text: x[i] }); i++; j++; }
    else if (j < y.length && (i === x.length || lcs[i][j + 1] >= lcs[i + 1][j])) ops.push({ kind: "+", text: y[j++] });
    else ops.push({ kind: "-", text: x[i++] });
  }
  for (const text of a.slice(endA)) ops.push({ kind: " ", text });
  return ops;
}

/** Unified-diff hunks of `ops`, each line prefixed with its kind; "" when nothing changed. */
export function unified(ops, context = 3) {
  const keep = new Uint8Array(ops.length);
  ops.forEach((op, k) => {
    if (op.kind === " ") return;
    for (let c = Math.max(0, k - context); c <= Math.min(ops.length - 1, k + context); c++) keep[c] = 1;
  });
  const lines = [];
  let lineA = 1;
  let lineB = 1;
  for (let k = 0; k < ops.length; k++) {
    if (keep[k] && (k === 0 || !keep[k - 1])) {
      let countA = 0;
      let countB = 0;
      for (let e = k; e < ops.length && keep[e]; e++) {
        if (ops[e].kind !== "+") countA++;
        if (ops[e].kind !== "-") countB++;
      }
      lines.push({ kind: "@", text: `@@ -${lineA},${countA} +${lineB},${countB} @@` });
    }
    if (keep[k]) lines.push({ kind: ops[k].kind, text: ops[k].kind + ops[k].text });
    if (ops[k].kind !== "+") lineA++;
    if (ops[k].kind !== "-") lineB++;
  }
  return lines;
}
