// Browser tests of the built bundled site, in headless Chromium (playwright-core) with axe-core.
//
//   node tests/browser/run.mjs http://127.0.0.1:PORT/ [http://127.0.0.1:PORT2/sub/path/]
//
// The site must be served at that URL (tests/it/browser.rs builds and serves it); the second,
// optional URL serves the same site built for a subfolder (`base_url` with a path), whose
// search results must lead to its own pages. Modules are
// loaded from .ci/node (where .ci/run installs them) or $ETALAGE_NODE_MODULES; Chromium from
// $ETALAGE_CHROMIUM or /usr/bin/chromium. Screenshots go to $ETALAGE_SCREENSHOTS when set.
// Prints one line per check ("ok - ..." or "not ok - ...") and "N passed, N failed"; exits 1
// when any check failed.

import { createRequire } from "node:module";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = process.env.ETALAGE_NODE_MODULES || resolve(here, "../../.ci/node/node_modules");
const require = createRequire(join(modules, "noop.js"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const base = new URL(process.argv[2] || "http://127.0.0.1:1111/");
const subfolder = process.argv[3] ? new URL(process.argv[3]) : null;
const url = (path) => new URL(path.replace(/^\//, ""), base).toString();
const shots = process.env.ETALAGE_SCREENSHOTS;
if (shots) mkdirSync(shots, { recursive: true });

const HAARLEM = "haarlem-samen";
const ZWOLLE = "zwolle-werkloket-de-lure";
const PAGES = {
  home: "/",
  list: "/praktijken/",
  practice: `/praktijken/${HAARLEM}/`,
  "facet index": "/themas/",
  "facet term": "/provincies/overijssel/",
  search: "/zoeken/?q=werk",
  compare: `/vergelijk/?p=${HAARLEM},${ZWOLLE}`,
  "award edition": "/prijzen/werksleutel/2002/",
  dossier: `/praktijken/${HAARLEM}/dossier/`,
  data: "/data/",
};

let passed = 0;
let failed = 0;
function report(ok, name, detail) {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail ? `: ${detail}` : ""}`);
  }
}
async function check(name, fn) {
  try {
    const detail = await fn();
    report(detail === undefined || detail === true, name, typeof detail === "string" ? detail : "");
  } catch (e) {
    report(false, name, (e && e.stack) || String(e));
  }
}

// launch() starts Chromium with a fresh temporary profile (user-data dir) of its own.
const browser = await chromium.launch({
  executablePath: process.env.ETALAGE_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
// Script errors, console errors and failed requests, except the browser's own favicon request
// and the 404 the compare check asks for on purpose.
const errors = [];
const expected404 = /\/favicon\.ico$|\/data\/praktijken\/bestaat-niet\.json$/;
context.on("page", (page) => {
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !expected404.test(new URL(r.url()).pathname)) errors.push(`${r.url()}: HTTP ${r.status()}`);
  });
});

/// Opens `path` and waits until what its script renders is there.
async function open(page, path) {
  await page.goto(url(path), { waitUntil: "load" });
  if (path.startsWith("/zoeken/") && path.includes("?")) {
    await page.waitForFunction(() => {
      const s = document.querySelector("[data-search-status]");
      return s && /\d|geen|no /i.test(s.textContent) && !/bezig|searching/i.test(s.textContent);
    }, null, { timeout: 15000 });
  }
  if (path.startsWith("/vergelijk/")) {
    await page.waitForFunction(() => {
      const s = document.querySelector("[data-compare-status]");
      return document.querySelector(".compare-table") || (s && !/laden|loading|JavaScript/i.test(s.textContent));
    }, null, { timeout: 15000 });
  }
}

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  });
}

async function resultTitles(page) {
  return page.$$eval(".search-result__title", (els) => els.map((e) => e.textContent.trim()));
}

/// Opens the filter groups `names` on the search page and waits until their indexes are loaded
/// and their counts shown.
async function openGroups(page, names) {
  const loaded = names.map(() => page.waitForResponse((r) => r.url().includes("/pagefind/filter/"), { timeout: 10000 }));
  for (const name of names) await page.click(`[data-filter="${name}"] > summary`);
  await Promise.all(loaded);
  await page.waitForFunction(() => !document.querySelector("details.filter-group[aria-busy]"), null, { timeout: 10000 });
}

/// The number of results the status line announces.
async function resultCount(page) {
  const text = await page.textContent("[data-search-status]");
  const m = text.replace(/[.\u00a0 ](?=\d{3})/g, "").match(/\d+/);
  return m ? Number(m[0]) : /^1 /.test(text) ? 1 : 0;
}

async function counts(page, group) {
  return page.$$eval(`[data-filter="${group}"] li`, (lis) =>
    Object.fromEntries(lis.map((li) => [li.querySelector("input").value, Number(li.querySelector("[data-count]").textContent)])),
  );
}

try {
  const page = await context.newPage();

  for (const [name, path] of Object.entries(PAGES)) {
    await check(`axe: no WCAG 2.1 A/AA violations on the ${name} page (${path})`, async () => {
      await open(page, path);
      const v = await axe(page);
      return v.length === 0 || v.join("; ");
    });
  }

  await check("search page with results lists practices", async () => {
    await open(page, PAGES.search);
    const titles = await resultTitles(page);
    return titles.length >= 2 || `results: ${JSON.stringify(titles)}`;
  });

  await check("/zoeken/?q=Haarlem shows Project SAMEN", async () => {
    await open(page, "/zoeken/?q=Haarlem");
    const titles = await resultTitles(page);
    const value = await page.inputValue("#zoekterm");
    return (titles.includes("Project SAMEN") && value === "Haarlem") || `results: ${JSON.stringify(titles)}, input: ${value}`;
  });

  if (subfolder) {
    await check("in a site built for a subfolder, search results lead to its pages", async () => {
      await page.goto(new URL("zoeken/?q=Haarlem", subfolder).toString(), { waitUntil: "load" });
      await page.waitForSelector(".search-result__title a", { timeout: 10000 });
      const href = await page.$eval(".search-result__title a", (a) => a.href);
      const status = (await page.request.get(href)).status();
      return (href.startsWith(subfolder.toString() + "praktijken/") && status === 200) || `first result ${href}: HTTP ${status}`;
    });
  }

  await check("Dutch stemming: ‘uitkeringen’ finds a write-up that only says ‘uitkering’", async () => {
    await open(page, "/zoeken/?q=uitkeringen");
    const titles = await resultTitles(page);
    return titles.includes("Project SAMEN") || `results: ${JSON.stringify(titles)}`;
  });

  await check("filter groups are folded until opened; opening one loads its index and its counts follow the search", async () => {
    const requests = [];
    const onRequest = (r) => requests.push(new URL(r.url()).pathname);
    page.on("request", onRequest);
    try {
      await open(page, "/zoeken/?q=werk");
      await page.waitForLoadState("networkidle");
      const problems = [];
      const filterRequests = () => requests.filter((p) => p.includes("/pagefind/filter/")).length;
      if (filterRequests() !== 0) problems.push(`${filterRequests()} filter indexes loaded before any group was opened`);
      if (requests.some((p) => p.endsWith("pagefind-worker.js"))) problems.push("the web worker was loaded");
      const opened = await page.$$eval("details.filter-group", (ds) => ds.filter((d) => d.open).length);
      if (opened !== 0) problems.push(`${opened} groups open`);
      const siteWide = await counts(page, "status");
      await openGroups(page, ["status"]);
      if (filterRequests() !== 1) problems.push(`${filterRequests()} filter indexes loaded after opening one group`);
      const found = await resultCount(page);
      const statusCounts = await counts(page, "status");
      const sum = Object.values(statusCounts).reduce((a, b) => a + b, 0);
      if (sum !== found) problems.push(`status counts ${JSON.stringify(statusCounts)} (site ${JSON.stringify(siteWide)}) add up to ${sum}, not the ${found} results`);
      return problems.length === 0 || problems.join("; ");
    } finally {
      page.off("request", onRequest);
    }
  });

  await check("a province filter narrows the results and the counts, and goes into the URL", async () => {
    await open(page, "/zoeken/?q=werk");
    await openGroups(page, ["gemeente", "provincie"]);
    const before = await resultTitles(page);
    const gemeenteBefore = await counts(page, "gemeente");
    await page.check("#f-provincie-overijssel");
    await page.waitForFunction((n) => document.querySelectorAll(".search-result").length !== n && document.querySelectorAll(".search-result").length > 0, before.length, { timeout: 10000 });
    const after = await resultTitles(page);
    const gemeenteAfter = await counts(page, "gemeente");
    const provincie = await counts(page, "provincie");
    const problems = [];
    if (!(after.length < before.length)) problems.push(`results ${before.length} → ${after.length}`);
    if (gemeenteAfter.Haarlem !== 0 || !(gemeenteBefore.Haarlem > 0)) problems.push(`Haarlem count ${gemeenteBefore.Haarlem} → ${gemeenteAfter.Haarlem}`);
    if (provincie.Overijssel !== after.length) problems.push(`Overijssel count ${provincie.Overijssel} vs ${after.length} results`);
    if (!(provincie["Noord-Holland"] > 0)) problems.push("the province group's own counts should ignore its own choice");
    if (!page.url().includes("provincie=Overijssel")) problems.push(`URL ${page.url()}`);
    const status = await page.textContent("[data-search-status]");
    if (!status.includes(String(after.length))) problems.push(`status "${status}"`);
    return problems.length === 0 || problems.join("; ");
  });

  await check("a shared URL with only filters lists the filtered practices, in the order of the practice list", async () => {
    await open(page, "/praktijken/");
    const all = await page.$$eval(".card__title", (els) => els.map((e) => e.textContent.trim()));
    await open(page, "/zoeken/?provincie=Overijssel,Flevoland");
    const titles = await resultTitles(page);
    const checked = await page.$$eval("input[name=provincie]:checked", (els) => els.map((e) => e.value));
    const opened = await page.$$eval("details.filter-group[open]", (ds) => ds.map((d) => d.dataset.filter));
    const inListOrder = all.filter((t) => titles.includes(t));
    return (
      (titles.length >= 2 && checked.length === 2 && JSON.stringify(opened) === '["provincie"]' && JSON.stringify(titles) === JSON.stringify(inListOrder)) ||
      `results ${JSON.stringify(titles)} (list order ${JSON.stringify(inListOrder)}), checked ${checked}, open groups ${opened}`
    );
  });

  await check("a typed URL may write a filter value in other capitals or as its label", async () => {
    await open(page, "/zoeken/?provincie=noord-holland,OVERIJSSEL");
    await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 0, null, { timeout: 10000 });
    const checked = await page.$$eval("input[name=provincie]:checked", (els) => els.map((e) => e.value).sort());
    return JSON.stringify(checked) === '["Noord-Holland","Overijssel"]' || `checked ${JSON.stringify(checked)}`;
  });

  await check("a dossier offers a print button once its script runs", async () => {
    await open(page, "/praktijken/haarlem-samen/dossier/");
    const visible = await page.isVisible("button[data-print]");
    return visible || "the print button stays hidden";
  });

  await check("search works with the keyboard only", async () => {
    await open(page, "/zoeken/");
    await page.keyboard.press("Tab"); // skip link
    let guard = 0;
    while (guard++ < 40 && !(await page.evaluate(() => document.activeElement && document.activeElement.id === "zoekterm"))) {
      await page.keyboard.press("Tab");
    }
    if (guard >= 40) return "Tab never reached the search field";
    await page.keyboard.type("Zwolle");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 0, null, { timeout: 10000 });
    const first = await resultTitles(page);
    // Tab on to the first filter group, open it with Enter, Tab to its first checkbox and tick
    // it with the space bar.
    guard = 0;
    while (guard++ < 10 && !(await page.evaluate(() => document.activeElement && document.activeElement.matches(".filter-group > summary")))) {
      await page.keyboard.press("Tab");
    }
    if (guard >= 10) return "Tab never reached a filter group";
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    if (!(await page.evaluate(() => document.activeElement && document.activeElement.type === "checkbox" && document.activeElement.closest(".filter-group")))) {
      return "Tab after opening a filter group does not reach its first checkbox";
    }
    const name = await page.evaluate(() => document.activeElement.name + "=" + document.activeElement.value);
    await page.keyboard.press("Space");
    await page.waitForFunction((n) => location.search.includes(n.split("=")[0] + "="), name, { timeout: 10000 });
    return first.length > 0 || "no results";
  });

  await check("without JavaScript the search page offers the facet pages", async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const p = await ctx.newPage();
    await p.goto(url("/zoeken/"));
    const links = await p.$$eval("[data-search-fallback] a", (as) => as.filter((a) => a.offsetParent).map((a) => a.getAttribute("href")));
    const form = await p.isVisible("#zoekformulier");
    const picks = await (await p.goto(url("/praktijken/")), p.$$eval(".compare-pick", (ps) => ps.filter((x) => x.offsetParent).length));
    await ctx.close();
    return (links.some((h) => h.endsWith("/themas/")) && !form && picks === 0) || `links ${JSON.stringify(links)}, form visible ${form}, compare boxes ${picks}`;
  });

  await check("compare shows both practices side by side", async () => {
    await open(page, PAGES.compare);
    const heads = await page.$$eval(".compare-table thead th", (ths) => ths.map((th) => th.textContent));
    const rows = await page.$$eval(".compare-table tbody th", (ths) => ths.map((th) => th.textContent));
    const ok = heads.some((h) => h.includes("Project SAMEN")) && heads.some((h) => h.includes("De Lure")) && heads.length === 2;
    const hasRows = ["Wettelijk kader", "Periode", "Partners", "Prijzen"].every((r) => rows.some((x) => x.includes(r)));
    // De Lure's municipalities lie in two provinces (Hattem in Gelderland): both are shown.
    const provinces = await page.$$eval(".compare-table tbody tr", (trs) => trs
      .filter((tr) => tr.querySelector("th").textContent.startsWith("Provincie"))
      .flatMap((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    const both = provinces.includes("Overijssel, Gelderland") && provinces.includes("Noord-Holland");
    return (ok && hasRows && both) || `heads ${JSON.stringify(heads)}, rows ${JSON.stringify(rows)}, provinces ${JSON.stringify(provinces)}`;
  });

  await check("compare traces every figure to its source and gives each base its unit", async () => {
    await open(page, PAGES.compare);
    const cells = await page.$$eval(".compare-table td li, .compare-table td", (els) => els
      .filter((el) => el.querySelector(":scope > strong") && !el.querySelector("li"))
      .map((el) => el.textContent));
    const untraced = cells.filter((c) => !/bron: |geen bron opgegeven/.test(c));
    // A base that is another result comes with its unit: here a rate across units.
    const units = cells.some((c) => c.includes("238 trajecten van 280 personen"));
    return (cells.length > 0 && untraced.length === 0 && units) || JSON.stringify({ cells: cells.length, untraced, units });
  });

  await check("compare flags a different legal framework in words", async () => {
    await open(page, `/vergelijk/?p=${HAARLEM},lelystad-intensieve-aanpak-wwb`);
    const flagged = await page.$$eval(".compare-table tr.is-different th", (ths) => ths.map((th) => th.textContent));
    return flagged.some((t) => t.includes("Wettelijk kader") && t.includes("verschilt")) || JSON.stringify(flagged);
  });

  await check("compare says a legal framework known for one practice only may differ, not that it does", async () => {
    await open(page, `/vergelijk/?p=${HAARLEM},steenwijkerland-taskforce-wijkwerkplaats`);
    const flagged = await page.$$eval(".compare-table tr.is-different th", (ths) => ths.map((th) => th.textContent));
    const notes = await page.$$eval(".compare-notes li", (lis) => lis.map((li) => li.textContent));
    const row = flagged.find((t) => t.includes("Wettelijk kader")) || "";
    const ok = row.includes("niet overal bekend") && !row.includes("verschilt") &&
      notes.some((n) => n.includes("Niet van elke praktijk is het wettelijk kader bekend"));
    return ok || JSON.stringify({ flagged, notes });
  });

  // The status region's messages, each its own paragraph.
  const messages = () => page.$$eval("[data-compare-status] p", (ps) => ps.map((p) => p.textContent.trim()));

  await check("compare explains an unknown practice and too few practices, each in a sentence of its own", async () => {
    await open(page, `/vergelijk/?p=${HAARLEM},bestaat-niet`);
    const said = await messages();
    const table = await page.$(".compare-table");
    const ok = said.length === 2 && said[0].includes("bestaat-niet") && /\.$/.test(said[0]) && /^Kies minstens 2/.test(said[1]);
    return (ok && !table) || JSON.stringify(said);
  });

  await check("compare says a practice given twice is shown once, and that one is too few", async () => {
    await open(page, `/vergelijk/?p=${HAARLEM},${HAARLEM}`);
    const said = await messages();
    const table = await page.$(".compare-table");
    const ok = said.length === 2 && said[0].includes(HAARLEM) && /meer dan eens/.test(said[0]) && /^Kies minstens 2/.test(said[1]);
    return (ok && !table) || JSON.stringify(said);
  });

  await check("compare drops a repeated practice, says so, and compares the rest", async () => {
    await open(page, `/vergelijk/?p=${HAARLEM},${ZWOLLE},${HAARLEM}`);
    const said = await messages();
    const heads = await page.$$eval(".compare-table thead th", (ths) => ths.length);
    return (heads === 2 && said.length === 1 && /meer dan eens/.test(said[0])) || `${heads} columns, ${JSON.stringify(said)}`;
  });

  await check("compare marks a recognition valid until before the build's date as expired", async () => {
    // The bundled practices have no dated recognitions: give one two, and the page a build date.
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.route(/\/vergelijk\//, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('"today":null', '"today":"2026-01-15"');
      await route.fulfill({ response, body });
    });
    await p.route(new RegExp(`/data/praktijken/${HAARLEM}\\.json$`), async (route) => {
      const response = await route.fetch();
      const record = await response.json();
      const dated = (level, until) => ({ national: true, scheme: "erkenningstraject", level, body: "Movisie", date: "2019-05", valid_until: until, source: null });
      record.recognitions = [dated("effectief-eerste-aanwijzingen", "2024-05"), dated("goed-beschreven", "2030-05")];
      await route.fulfill({ response, json: record });
    });
    try {
      await open(p, PAGES.compare);
      const cell = await p.$$eval(".compare-table tbody tr", (trs) => {
        const row = trs.find((tr) => tr.querySelector("th").textContent.includes("Erkenningen"));
        return row ? row.querySelectorAll("td")[0].textContent : "";
      });
      const ok = /eerste aanwijzingen.*verlopen \(geldig tot mei 2024\)/.test(cell) && /Goed beschreven.*geldig tot mei 2030/.test(cell) && cell.match(/verlopen/g).length === 1;
      return ok || cell;
    } finally {
      await ctx.close();
    }
  });

  await check("the dossier's results table scrolls in a focusable region of its own, if at all", async () => {
    await open(page, PAGES.dossier);
    const region = await page.$eval(".dossier__results", (t) => {
      const r = t.closest("[role=region]");
      return r && { tabindex: r.getAttribute("tabindex"), label: document.getElementById(r.getAttribute("aria-labelledby"))?.textContent };
    });
    return (region && region.tabindex === "0" && /Resultaten/.test(region.label || "")) || JSON.stringify(region);
  });

  await check("a printed dossier keeps headings, captions and header rows with what follows, and numbers its pages", async () => {
    await open(page, PAGES.dossier);
    await page.emulateMedia({ media: "print" });
    try {
      const style = await page.evaluate(() => {
        const cs = (sel) => getComputedStyle(document.querySelector(sel));
        return {
          h2: cs("#d-resultaten").breakAfter,
          caption: [cs(".dossier__results caption").breakAfter, cs(".dossier__results caption").breakInside],
          thead: [cs(".dossier__results thead").breakAfter, cs(".dossier__results thead").breakInside],
          firstRow: cs(".dossier__results tbody tr:first-child").breakBefore,
          title: getComputedStyle(document.documentElement).getPropertyValue("--dossier-title").trim(),
          pages: getComputedStyle(document.documentElement).getPropertyValue("--dossier-pages").trim(),
        };
      });
      const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
      const pageCount = (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) || []).length;
      const ok =
        style.h2 === "avoid" &&
        style.caption.join() === "avoid,avoid" &&
        style.thead.join() === "avoid,avoid" &&
        style.firstRow === "avoid" &&
        style.title === '"Project SAMEN"' &&
        /^"pagina " counter\(page\) " van " counter\(pages\)$/.test(style.pages) &&
        pageCount >= 2;
      return ok || JSON.stringify({ ...style, pageCount });
    } finally {
      await page.emulateMedia({ media: "screen" });
    }
  });

  await check("compare from the list: ticking two practices opens them side by side", async () => {
    await open(page, "/praktijken/");
    await page.check(`#vergelijk-${HAARLEM}`);
    await page.check(`#vergelijk-${ZWOLLE}`);
    await Promise.all([page.waitForURL(/vergelijk/), page.click(".compare-bar button[type=submit]")]);
    const search = new URL(page.url()).search;
    await page.waitForSelector(".compare-table");
    const heads = await page.$$eval(".compare-table thead th", (ths) => ths.length);
    return (decodeURIComponent(search) === `?p=${HAARLEM},${ZWOLLE}` && heads === 2) || `${search}, ${heads} columns`;
  });

  for (const [name, path] of Object.entries(PAGES)) {
    await check(`the first Tab reaches the skip link on the ${name} page`, async () => {
      await open(page, path);
      await page.keyboard.press("Tab");
      const cls = await page.evaluate(() => document.activeElement && document.activeElement.className);
      return cls === "skip-link" || `focus on .${cls}`;
    });
  }

  await page.setViewportSize({ width: 375, height: 800 });
  for (const [name, path] of Object.entries(PAGES)) {
    await check(`no sideways scrolling at 375 px on the ${name} page`, async () => {
      await open(page, path);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      return w <= 375 || `scrollWidth ${w}`;
    });
  }

  if (shots) {
    const views = [
      ["zoeken", "/zoeken/?q=werk&provincie=Overijssel"],
      ["vergelijk", `/vergelijk/?p=${HAARLEM},lelystad-intensieve-aanpak-wwb`],
    ];
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, path] of views) {
        await open(page, path);
        await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
      }
    }
    console.log(`# screenshots in ${shots}`);
  }

  await check("no script errors or failed requests on any page", async () => errors.length === 0 || errors.join("; "));
} finally {
  await browser.close();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
