// A static file server for www/ on 127.0.0.1, used by scripts/serve and by the browser
// tests (which also read its request log to prove that nothing else was asked for).
// Usage: node scripts/static-server.mjs [DIR] [PORT]   (port 0: any free port)

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json",
  ".toml": "text/plain; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png", ".ts": "text/plain; charset=utf-8",
};

/**
 * Serves `root`; resolves to {url, requests, close()} once listening. With `cache`, files
 * may be cached for an hour (as a static host would let them); otherwise never. `extra`
 * maps more paths to their bodies (scripts/measure-web's reference pages).
 */
export function serve(root, port = 0, { cache = false, extra = {} } = {}) {
  const base = resolve(root);
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (Object.hasOwn(extra, path)) {
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(extra[path]);
      return;
    }
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) { res.writeHead(403).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": cache ? "max-age=3600" : "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
  });
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      done({
        url: `http://127.0.0.1:${server.address().port}/`,
        requests,
        close: () => new Promise((closed) => { server.closeAllConnections(); server.close(closed); }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [root = "www", port = "8080"] = process.argv.slice(2);
  const { url } = await serve(root, Number(port));
  console.log(`serving ${resolve(root)} at ${url}  (editor: ${url}index.html, docs widget example: ${url}embed-example.html; Ctrl-C stops)`);
}
