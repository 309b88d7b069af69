// Lighthouse over every page of a built site, served locally, in Lighthouse's mobile emulation.
//
//     node bench/lighthouse.mjs SITE_FOLDER [--pages index.html,regions.html] [--json FILE]
//
// Lighthouse is pinned in bench/package.json (make bench installs it into bench/node_modules) and
// drives the system's Chromium: CHROME_PATH, else /usr/bin/chromium; no other browser is fetched.
// The folder is served on 127.0.0.1 as a static host such as GitHub Pages serves it: text files
// compressed with gzip, no other server work. For each page: the performance, accessibility,
// best-practices and SEO scores (0-100), whether the targets hold (performance >= 95, the other
// three 100), and the performance metrics behind the score; with --json, all of it into FILE.

import { createServer } from "node:http";
import { readFile, readdir, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { extname, join, relative, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".woff2": "font/woff2", ".ico": "image/x-icon",
};
const COMPRESSED = new Set([".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv"]);
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"];

function options(argv) {
  const found = { site: null, pages: null, json: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--pages") found.pages = argv[++i].split(",").filter(Boolean);
    else if (argv[i] === "--json") found.json = argv[++i];
    else found.site = argv[i];
  }
  if (!found.site) {
    console.error("usage: node bench/lighthouse.mjs SITE_FOLDER [--pages a.html,b.html] [--json FILE]");
    process.exit(2);
  }
  return found;
}

async function htmlPages(folder, under = folder) {
  const pages = [];
  for (const entry of await readdir(under, { withFileTypes: true })) {
    const path = join(under, entry.name);
    if (entry.isDirectory()) pages.push(...(await htmlPages(folder, path)));
    else if (entry.name.endsWith(".html") && entry.name !== "404.html") pages.push(relative(folder, path).split(sep).join("/"));
  }
  return pages.sort();
}

function serve(folder) {
  const root = resolve(folder);
  const server = createServer(async (request, response) => {
    let path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = resolve(root, "." + path);
    if (!file.startsWith(root) || !existsSync(file) || !(await stat(file)).isFile()) {
      response.writeHead(404, { "Content-Type": "text/html; charset=utf-8" });
      return response.end(await readFile(join(root, "404.html")).catch(() => "Not found"));
    }
    let body = await readFile(file);
    const headers = { "Content-Type": TYPES[extname(file)] || "application/octet-stream", "Cache-Control": "max-age=600" };
    if (COMPRESSED.has(extname(file)) && /\bgzip\b/.test(request.headers["accept-encoding"] || "")) {
      body = gzipSync(body, { level: 6 });
      headers["Content-Encoding"] = "gzip";
      headers["Vary"] = "Accept-Encoding";
    }
    headers["Content-Length"] = body.length;
    response.writeHead(200, headers);
    response.end(body);
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

async function main() {
  const { site, pages: chosen, json } = options(process.argv.slice(2));
  const chromePath = process.env.CHROME_PATH || "/usr/bin/chromium";
  if (!existsSync(chromePath)) {
    console.error(`no Chromium at ${chromePath}: set CHROME_PATH to Chromium or Chrome`);
    process.exit(3);
  }
  const pages = chosen || (await htmlPages(site));
  const server = await serve(site);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const chrome = await chromeLauncher.launch({
    chromePath,
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const results = [];
  try {
    for (const page of pages) {
      const run = await lighthouse(base + page, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES });
      const lhr = run.lhr;
      const scores = Object.fromEntries(CATEGORIES.map((name) => [name, Math.round(100 * (lhr.categories[name].score ?? 0))]));
      const metrics = Object.fromEntries(METRICS.map((name) => [name, lhr.audits[name]?.numericValue ?? null]));
      const failed = CATEGORIES.slice(1).flatMap((name) =>
        lhr.categories[name].auditRefs
          .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
          .map((ref) => `${name}: ${ref.id}`));
      const met = scores.performance >= 95 && scores.accessibility === 100 && scores["best-practices"] === 100 && scores.seo === 100;
      const bytes = lhr.audits["total-byte-weight"]?.numericValue ?? null;
      results.push({ page, scores, met, metrics, bytes, failed, runtimeError: lhr.runtimeError?.message || null });
      console.log(
        `${page.padEnd(28)} performance ${String(scores.performance).padStart(3)}  accessibility ${String(scores.accessibility).padStart(3)}` +
        `  best practices ${String(scores["best-practices"]).padStart(3)}  SEO ${String(scores.seo).padStart(3)}` +
        `  LCP ${(metrics["largest-contentful-paint"] / 1000).toFixed(1)} s  TBT ${Math.round(metrics["total-blocking-time"])} ms` +
        `  CLS ${metrics["cumulative-layout-shift"].toFixed(3)}  ${Math.round(bytes / 1000)} kB: ${met ? "met" : "NOT met"}` +
        (failed.length ? `  (failing: ${failed.join(", ")})` : ""),
      );
    }
  } finally {
    await chrome.kill();
    server.close();
  }
  if (json) await writeFile(json, JSON.stringify({ lighthouse: (await import("lighthouse/package.json", { with: { type: "json" } })).default.version, results }, null, 2));
  const all = results.every((result) => result.met);
  console.log(`Lighthouse (mobile), ${results.length} pages: performance >= 95 and accessibility, best practices, SEO = 100 on every page: ${all ? "met" : "NOT met"}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
