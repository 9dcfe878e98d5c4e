// How many bytes a search on /zoeken/ transfers, measured in headless Chromium.
//
//   node bench/search-transfer.mjs OUTPUT_DIR [--base /] [--json] ["?q=werkgevers" ...]
//
// Serves OUTPUT_DIR (a built site) with `python3 -m http.server` on a free localhost port, opens
// /zoeken/<query> for each query in a fresh browser context (empty cache, as a first visit),
// waits until the result count is announced and the first results are shown, waits until the
// network is quiet, and sums the response bodies of every request the page made. The search's
// own share is everything under /pagefind/ plus the theme's zoeken.js; the page itself (HTML,
// CSS, the compare picker) is listed apart. Body sizes are what went over the wire
// (`request.sizes().responseBodySize`): python's server compresses nothing, so JavaScript counts
// at full size, and Pagefind's own files (index, filters, fragments, metadata, wasm) are gzip
// already. "gzip" is what a host that compresses JavaScript (most do) would send instead.
//
// With no queries it measures "?q=werkgevers" and "?q=werkgevers&provincie=Overijssel", then
// the same page after opening every filter group (all facet counts loaded). Modules are loaded
// from .ci/node (or $ETALAGE_NODE_MODULES), Chromium from $ETALAGE_CHROMIUM or /usr/bin/chromium.

import { createRequire } from "node:module";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { gzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = process.env.ETALAGE_NODE_MODULES || resolve(here, "../.ci/node/node_modules");
const require = createRequire(join(modules, "noop.js"));
const { chromium } = require("playwright-core");

const args = process.argv.slice(2);
const json = args.includes("--json");
const baseIdx = args.indexOf("--base");
const basePath = baseIdx >= 0 ? args[baseIdx + 1] : "/";
const rest = args.filter((a, i) => a !== "--json" && (baseIdx < 0 || (i !== baseIdx && i !== baseIdx + 1)));
const dir = rest[0];
if (!dir) {
  console.error("usage: node bench/search-transfer.mjs OUTPUT_DIR [--base /] [--json] [QUERY ...]");
  process.exit(2);
}
const queries = rest.slice(1);
const scenarios = queries.length
  ? queries.map((q) => ({ query: q, openAll: false }))
  : [
      { query: "?q=werkgevers", openAll: false },
      { query: "?q=werkgevers&provincie=Overijssel", openAll: false },
      { query: "?q=werkgevers&provincie=Overijssel", openAll: true },
    ];

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function serve(root) {
  const port = await freePort();
  const server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", root], {
    stdio: ["ignore", "ignore", "ignore"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url + "/");
      return { server, url };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  server.kill();
  throw new Error("python3 -m http.server did not start");
}

function kind(path) {
  const p = path.replace(/^.*\/pagefind\//, "pagefind/");
  if (p.endsWith("/zoeken.js")) return "zoeken.js";
  if (p === "pagefind/pagefind.js") return "pagefind.js";
  if (p === "pagefind/pagefind-worker.js") return "pagefind-worker.js";
  if (p.startsWith("pagefind/wasm.")) return "wasm";
  if (p.startsWith("pagefind/pagefind-entry.json")) return "entry";
  if (p.endsWith(".pf_meta")) return "meta";
  if (p.startsWith("pagefind/index/")) return "index chunks";
  if (p.startsWith("pagefind/filter/")) return "filter chunks";
  if (p.startsWith("pagefind/fragment/")) return "fragments";
  if (p.startsWith("pagefind/")) return "pagefind other";
  return "page";
}

const compressible = /\.(js|mjs|json|css|html?)$|\/$/;

async function measure(browser, origin, scenario) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  page.on("requestfinished", (r) => requests.push(r));
  let last = Date.now();
  page.on("request", () => (last = Date.now()));
  page.on("requestfinished", () => (last = Date.now()));
  const url = origin + basePath.replace(/\/?$/, "/") + "zoeken/" + scenario.query;
  const started = Date.now();
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => {
    const s = document.querySelector("[data-search-status]");
    return s && /\d|geen|no /i.test(s.textContent) && !/bezig|searching|laden|loading/i.test(s.textContent);
  }, null, { timeout: 60000 });
  const ms = Date.now() - started;
  if (scenario.openAll) {
    await page.$$eval("[data-filter] details, details[data-filter]", (ds) => ds.forEach((d) => (d.open = true)));
    await page.waitForFunction(() => !document.querySelector("[data-filter][aria-busy=true], [data-filter] [aria-busy=true]"), null, { timeout: 60000 });
  }
  // Quiet for 750 ms: every fetch the search started has finished.
  while (Date.now() - last < 750) await new Promise((r) => setTimeout(r, 100));
  const status = (await page.textContent("[data-search-status]")).trim();
  const shown = await page.$$eval(".search-result", (els) => els.length);
  const rows = [];
  for (const r of requests) {
    const sizes = await r.sizes();
    const path = new URL(r.url()).pathname;
    const resp = await r.response();
    // Chromium reports no body size for a worker's own script; the server's Content-Length
    // (python sends one for every file) is the same number.
    const length = Number((resp && (await resp.allHeaders())["content-length"]) || 0);
    const bytes = Math.max(sizes.responseBodySize, length);
    let gz = bytes;
    if (compressible.test(path)) {
      const body = resp ? await resp.body().catch(() => null) : null;
      if (body && body.length > 256) gz = Math.min(gz, gzipSync(body, { level: 6 }).length);
    }
    rows.push({ path, kind: kind(path), bytes, gzip: gz });
  }
  await context.close();
  return { ...scenario, status, shown, ms, rows };
}

function summarise(m) {
  const byKind = {};
  for (const r of m.rows) {
    const k = (byKind[r.kind] ||= { kind: r.kind, requests: 0, bytes: 0, gzip: 0 });
    k.requests++;
    k.bytes += r.bytes;
    k.gzip += r.gzip;
  }
  const kinds = Object.values(byKind).sort((a, b) => b.bytes - a.bytes);
  const search = kinds.filter((k) => k.kind !== "page");
  const sum = (ks, f) => ks.reduce((s, k) => s + k[f], 0);
  return {
    query: m.query + (m.openAll ? " (every filter group opened)" : ""),
    status: m.status,
    shown: m.shown,
    ms: m.ms,
    kinds,
    search: { requests: sum(search, "requests"), bytes: sum(search, "bytes"), gzip: sum(search, "gzip") },
    page: byKind.page || { requests: 0, bytes: 0, gzip: 0 },
  };
}

const kb = (n) => (n / 1000).toFixed(1).padStart(7) + " kB";

const { server, url } = await serve(dir);
const browser = await chromium.launch({
  executablePath: process.env.ETALAGE_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const out = [];
  for (const s of scenarios) out.push(summarise(await measure(browser, url, s)));
  if (json) {
    console.log(JSON.stringify(out, null, 2));
  } else {
    for (const s of out) {
      console.log(`/zoeken/${s.query}`);
      console.log(`  "${s.status}" (${s.shown} results shown ${s.ms} ms after the page was requested)`);
      for (const k of s.kinds) {
        console.log(`  ${k.kind.padEnd(20)} ${String(k.requests).padStart(4)} req ${kb(k.bytes)}   gzip ${kb(k.gzip)}`);
      }
      console.log(`  ${"search total".padEnd(20)} ${String(s.search.requests).padStart(4)} req ${kb(s.search.bytes)}   gzip ${kb(s.search.gzip)}`);
      console.log("");
    }
  }
} finally {
  await browser.close();
  server.kill();
}
