// The code view's third-party part, bundled by scripts/build-web into
// target/site/vendor/code-editor.js (the pages import that file; this one is not served;
// scripts/serve --dev bundles it into www/vendor/code-editor.js).
// prism-code-editor (MIT, https://github.com/FIameCaster/prism-code-editor): a highlighted
// layer under a real <textarea>, so the source stays a native textbox whose value is the
// whole text. Only its core and its TOML grammar: no key bindings of its own, so the
// textarea keeps the browser's editing, undo and Tab-to-leave behaviour.
export { createEditor } from "prism-code-editor";
export { Token, highlightText, highlightTokens, languages, tokenizeText } from "prism-code-editor/prism";
import "prism-code-editor/prism/languages/toml";
