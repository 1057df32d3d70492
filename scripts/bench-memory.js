// Peak memory in the browser for the largest keychain documents the limits accept
// (docs/limits.md), in headless Chromium: the figure that `cargo bench --bench limits` prints
// natively, taken in a real tab of the release page.
//
// usage: NODE_PATH=.tools/node_modules node scripts/bench-memory.js URL DOC.json...
//   (scripts/bench-memory builds the page and the documents and calls this)
//
// For each document, a fresh browser opens the page and waits for the default report. Then it
// reads the tab's renderer process from /proc (its resident set; the peak is reset through
// /proc/PID/clear_refs, so the peak printed is the edit's alone), the wasm module's linear
// memory (which never shrinks, so its size after the edit is its peak) and the JS heap after a
// garbage collection. It puts the document in #document, fires `input`, waits until the
// report shows the document's title and two frames have been painted, and reads all three
// again. Then it edits that document (its last keychain call given another class) and reads
// the renderer's peak and the wasm memory once more: the page holds the first run while it
// makes the second. Prints one line per document; asserts nothing.
"use strict";
const { chromium } = require("playwright-core");
const fs = require("fs");
const path = require("path");

const [url, ...docs] = process.argv.slice(2);
if (!url || docs.length === 0) {
  console.error("usage: node scripts/bench-memory.js URL DOC.json...");
  process.exit(2);
}

const kib = (pid, field) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const m = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return m ? Number(m[1]) : NaN;
};
const mib = (bytes) => (bytes / 1048576).toFixed(1);

// The renderer processes of this browser, by the browser's own account of them.
async function renderers(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send("SystemInfo.getProcessInfo");
  await cdp.detach();
  return processInfo.filter((p) => p.type === "renderer").map((p) => p.id)
    .filter((pid) => fs.existsSync(`/proc/${pid}/status`));
}

// The document with its last keychain call given another class and a new title, as a person
// editing it would (the same as benches/limits.rs `--edit` does natively).
function editedText(doc, title) {
  const text = JSON.stringify({ ...doc, title: `${title} (edited)` });
  const from = '"kSecClassGenericPassword"';
  const at = text.lastIndexOf(from);
  const changed = at < 0 ? text : text.slice(0, at) + '"kSecClassInternetPassword"' + text.slice(at + from.length);
  return { text: changed, title: `${title} (edited)` };
}

async function measure(file) {
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  const title = `memory ${path.basename(file, ".json")}`;
  doc.title = title;
  const text = JSON.stringify(doc);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--renderer-process-limit=1"],
  });
  try {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      addEventListener("TrunkApplicationStarted", (e) => { window.__keyplayWasm = e.detail.wasm; });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    await page.goto(url);
    await page.waitForFunction(() => document.body.innerText.includes("errSec"), null, { timeout: 60000 });
    const pids = await renderers(browser);
    // The tab's renderer is the one holding the wasm module: the largest.
    const pid = pids.sort((a, b) => kib(b, "VmRSS") - kib(a, "VmRSS"))[0];
    const linear = () => page.evaluate(() => (window.__keyplayWasm ? window.__keyplayWasm.memory.buffer.byteLength : NaN));
    const heap = async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      const { metrics } = await cdp.send("Performance.getMetrics");
      return metrics.find((m) => m.name === "JSHeapUsedSize").value;
    };
    const before = { rss: kib(pid, "VmRSS"), linear: await linear(), heap: await heap() };
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5"); // resets VmHWM to the current RSS
    const t0 = Date.now();
    await page.evaluate((t) => {
      const area = document.querySelector("#document");
      area.value = t;
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }, text);
    await page.waitForFunction((t) => {
      const r = document.querySelector("#report");
      return r && r.innerText.includes(t);
    }, title, { timeout: 600000, polling: 250 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const secs = (Date.now() - t0) / 1000;
    const dom = await page.evaluate(() => ({ nodes: document.getElementsByTagName("*").length,
      html: document.body.innerHTML.length }));
    const peakRss = kib(pid, "VmHWM");
    const after = { rss: kib(pid, "VmRSS"), linear: await linear(), heap: await heap() };
    const size = Buffer.byteLength(text);
    const over = (peakRss - before.rss) * 1024;
    // A second edit of the same document (its last keychain call given another class, a new
    // title): the page holds the first run while it makes the second.
    const edited = editedText(doc, title);
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    const rssBeforeEdit = kib(pid, "VmRSS");
    await page.evaluate((t) => {
      const area = document.querySelector("#document");
      area.value = t;
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }, edited.text);
    await page.waitForFunction((t) => {
      const r = document.querySelector("#report");
      return r && r.innerText.includes(t);
    }, edited.title, { timeout: 600000, polling: 250 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const editOver = (kib(pid, "VmHWM") - rssBeforeEdit) * 1024;
    const editLinear = await linear();
    console.log(`${path.basename(file, ".json").padStart(14)} | ${size} B | renderer ${mib(before.rss * 1024)} MiB before, ` +
      `peak ${mib(peakRss * 1024)} MiB, peak over before ${mib(over)} MiB (${(over / size).toFixed(1)}x) | ` +
      `wasm memory ${mib(before.linear)} -> ${mib(after.linear)} MiB (+${((after.linear - before.linear) / size).toFixed(1)}x) | ` +
      `JS heap ${mib(before.heap)} -> ${mib(after.heap)} MiB | DOM ${dom.nodes} elements, ${mib(dom.html)} MiB of HTML | ` +
      `${secs.toFixed(1)} s | second edit: renderer peak over before ${mib(editOver)} MiB, ` +
      `wasm memory -> ${mib(editLinear)} MiB (+${((editLinear - before.linear) / size).toFixed(1)}x over the first edit's start)`);
  } finally {
    await browser.close();
  }
}

(async () => {
  console.log(`peak memory in headless Chromium (${url}); x = bytes over the document's size`);
  for (const file of docs) await measure(file);
})().catch((e) => { console.error(e.message); process.exit(1); });
