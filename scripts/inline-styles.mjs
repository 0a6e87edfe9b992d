// Puts a built page's stylesheets into the page itself: one <style> element in place of the
// <link rel="stylesheet">s, in their order, with its SHA-256 added to the page's
// Content-Security-Policy (`style-src 'self' 'sha256-…'`: that element and nothing else
// inline). The stylesheet files are then removed from the site.
//
// Why: the editor's page asks for its stylesheets, its module and the core's WebAssembly at
// once; here the stylesheets then came after the parser had finished, so the page was laid
// out once without them and again with them, and the editor's first frame came 20-30 ms
// later (interleaved A/B against each page's own floor, scripts/measure-web). Inline, the
// first layout is the styled one. The bytes are the same, in the HTML.
//
// Usage: node scripts/inline-styles.mjs SITE PAGE   (scripts/build-web: target/site index.html)

import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [site, page] = process.argv.slice(2);
if (!site || !page) throw new Error("usage: node scripts/inline-styles.mjs SITE PAGE");

const path = join(site, page);
let html = readFileSync(path, "utf8");
const links = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">\n?/g)];
if (links.length === 0) throw new Error(`${path}: no <link rel="stylesheet"> to inline`);

const css = links.map(([, href]) => readFileSync(join(site, href), "utf8").trim()).join("\n");
// The text ends the element at the first "</style": a stylesheet holding one cannot be inlined.
if (/<\/style/i.test(css)) throw new Error(`${path}: a stylesheet holds "</style", which would end the element early`);
const hash = `'sha256-${createHash("sha256").update(css).digest("base64")}'`;

// One element where the first link was (before the module, as the links were). A function,
// not a string, as the replacement: the text goes in as it is ("$&" in a stylesheet stays).
html = html.replace(links[0][0], () => `<style>${css}</style>\n`);
for (const [link] of links.slice(1)) html = html.replace(link, "");
const policy = /(<meta http-equiv="Content-Security-Policy" content="[^"]*style-src 'self')/;
if (!policy.test(html)) throw new Error(`${path}: no Content-Security-Policy with style-src 'self' to add the hash to`);
html = html.replace(policy, `$1 ${hash}`);
writeFileSync(path, html);
for (const [, href] of links) rmSync(join(site, href));
console.log(`    ${path}: ${links.length} stylesheets inline (${Buffer.byteLength(css)} bytes), style-src ${hash}`);
