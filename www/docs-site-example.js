// The docs site's placeholder editing, as the docs site does it, written for this test page
// (plain JavaScript in the style of a jQuery script; no site code is copied):
// - bound once at load to the placeholders present then (not delegated);
// - a click opens an <input class="placeholder-edit"> over the placeholder;
// - on blur or Enter, every [data-code-var="NAME"] gets data-code-var-value = v and its HTML
//   set to v + the pencil icon (the value written as HTML, as the site does), opacity back to 1;
// - no event, no MutationObserver, nothing stored (a reload resets every value);
// - a Copy button copies the block's pre.innerText.
"use strict";

const ICON = "<span class='code-placeholder-edit-icon cf-icon Pencil'></span>";

function edit(placeholder) {
  const name = placeholder.getAttribute("data-code-var");
  const input = document.createElement("input");
  input.className = "placeholder-edit";
  input.value = placeholder.getAttribute("data-code-var-value");
  input.style.width = `${Math.max(placeholder.offsetWidth, 80)}px`;
  placeholder.style.opacity = 0;
  placeholder.parentNode.insertBefore(input, placeholder);
  input.focus();
  input.select();
  let done = false;
  const commit = () => {
    if (done) return;
    done = true;
    const value = input.value;
    for (const match of document.querySelectorAll(`[data-code-var="${name}"]`)) {
      match.setAttribute("data-code-var-value", value);
      match.innerHTML = value + ICON;
      match.style.opacity = 1;
    }
    input.remove();
  };
  input.addEventListener("blur", commit);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      input.blur();
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  for (const placeholder of document.querySelectorAll("var.code-placeholder")) {
    placeholder.addEventListener("click", () => edit(placeholder));
  }
  for (const button of document.querySelectorAll(".codeblock .copy")) {
    button.addEventListener("click", async () => {
      const pre = button.parentNode.querySelector("pre");
      await navigator.clipboard.writeText(pre.innerText);
      button.textContent = "Copied";
      setTimeout(() => { button.textContent = "Copy"; }, 1500);
    });
  }
});
