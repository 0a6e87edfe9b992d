// The widget's stylesheet as text (embed.css with palette.css inlined, minified), which
// scripts/build-web writes into target/site/'s copy, so that embed.js's bundle holds it. null
// here: served from www/, a widget links embed.css.
export default null;
