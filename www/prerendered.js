// The views of the default widgets (no attribute, no placeholder edited), by viewKey, made
// ahead by the build with the core (scripts/prerender.mjs writes target/site/'s copy,
// which embed.js's bundle holds). Empty here: served from www/, a widget waits for its core.
export default {};
