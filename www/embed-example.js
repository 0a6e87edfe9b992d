// The docs site's placeholder behaviour, reproduced in a few lines: a reader edits a
// placeholder in place; every placeholder of the same name takes the new value, in its
// text and its data-code-var-value attribute.
for (const node of document.querySelectorAll("var.code-placeholder")) {
  node.contentEditable = "plaintext-only";
  node.spellcheck = false;
  node.tabIndex = 0;
  node.title = `Edit ${node.dataset.codeVar}`;
  node.addEventListener("input", () => {
    const value = node.textContent;
    for (const other of document.querySelectorAll(`var.code-placeholder[data-code-var="${node.dataset.codeVar}"]`)) {
      other.dataset.codeVarValue = value;
      if (other !== node) other.textContent = value;
    }
  });
  node.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); node.blur(); } });
}

// embed-example.html?hostile adds a deliberately heavy-handed stylesheet (see the file).
if (new URLSearchParams(location.search).has("hostile")) {
  document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href: "embed-example-hostile.css" }));
}
