// The findings the page shows: the core's lint findings, or the parse error as one.

import { state } from "./store.js";

export function findingsShown() {
  const error = state.parseError;
  if (!error) return state.view?.findings ?? [];
  const span = { line: error.line, column: error.column, end_line: error.line, end_column: error.column };
  return [{ severity: "error", code: "parse", message: error.reason, line: error.line, span }];
}

/** Whether two findings say the same about the same text. */
export const sameFinding = (a, b) => a.code === b.code && a.message === b.message && a.severity === b.severity
  && a.profile === b.profile && a.key === b.key
  && (a.span === b.span || (a.span && b.span && a.span.line === b.span.line && a.span.column === b.span.column
    && a.span.end_line === b.span.end_line && a.span.end_column === b.span.end_column));
