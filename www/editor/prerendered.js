// What the editor starts with, {schema, emptyView, version}: the core's schema, its view of
// an empty file and its version, made ahead by the build with the same core
// (scripts/prerender.mjs writes target/site/'s copy, which editor.js's bundle holds). null
// here: served from www/, the editor asks the core.
export default null;
