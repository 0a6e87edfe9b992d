// What the editor starts with, {schema, emptyView}: the core's schema and its view of an
// empty file, made ahead by the build with the same core (scripts/prerender.mjs writes
// target/site/'s copy, which editor.js's bundle holds). null here: served from www/, the
// editor asks the core.
export default null;
