// Peak memory in the browser for the largest keychain documents the limits accept, in
// headless Firefox: the figures scripts/bench-memory.js takes in Chromium, taken through
// geckodriver (WebDriver over HTTP; Playwright drives only its own Firefox build).
//
// usage: node scripts/bench-memory-firefox.js URL DOC.json...
//   (scripts/bench-memory calls it after the Chromium run; GECKODRIVER and FIREFOX name the
//   binaries: scripts/geckodriver.js)
//
// For each document, a fresh Firefox opens the page and waits for the default report. It reads
// the content process that holds the page (the one whose resident set grows during the edit;
// every content process's peak is reset through /proc/PID/clear_refs first) and the wasm
// module's linear memory (asked of the page's own wasm-bindgen module, whose init returns the
// running instance; the memory never shrinks, so its size after the edit is its peak). Then it
// puts the document in #document, fires `input`, waits until the report shows the document's
// title, and reads both again; then edits that document (its last keychain call given another
// class) and reads them once more. Prints one line per document; asserts nothing.
"use strict";
const fs = require("fs");
const path = require("path");
const gecko = require("./geckodriver");

const [url, ...docs] = process.argv.slice(2);
if (!url || docs.length === 0) {
  console.error("usage: node scripts/bench-memory-firefox.js URL DOC.json...");
  process.exit(2);
}

const kib = (pid, field) => {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
};
const mib = (bytes) => (bytes / 1048576).toFixed(1);
const sleep = gecko.sleep;

// Firefox's content processes: every process whose command line says -contentproc.
function contentProcesses() {
  return fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("-contentproc");
    } catch {
      return false;
    }
  });
}

async function measure(driver, file) {
  const wd = driver.wd;
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  const title = `memory ${path.basename(file, ".json")}`;
  doc.title = title;
  const text = JSON.stringify(doc);
  const browser = await driver.session({ timeouts: { script: 600000 } });
  const { sid, run, runAsync } = browser;
  try {
    await wd("POST", `/session/${sid}/url`, { url });
    for (let i = 0; !(await run("return document.body.innerText.includes('errSec')")); i++) {
      if (i > 600) throw new Error("the default report never appeared");
      await sleep(100);
    }
    // Trunk's loader leaves the glue module's namespace in window.wasmBindings; its init, called
    // again, returns the instance already running.
    const linear = () => runAsync(`const done = arguments[arguments.length - 1];
      window.wasmBindings.default().then((w) => done(w.memory.buffer.byteLength), (e) => done(String(e)));`);
    const pids = contentProcesses();
    const before = Object.fromEntries(pids.map((p) => [p, kib(p, "VmRSS")]));
    for (const p of pids) fs.writeFileSync(`/proc/${p}/clear_refs`, "5"); // resets VmHWM to the current RSS
    const linearBefore = await linear();
    const t0 = Date.now();
    await run(`const area = document.querySelector("#document"); area.value = arguments[0];
      area.dispatchEvent(new Event("input", { bubbles: true }));`, [text]);
    for (;;) {
      if (await run("const r = document.querySelector('#report'); return !!r && r.innerText.includes(arguments[0]);", [title])) break;
      if (Date.now() - t0 > 600000) throw new Error("the report never showed the document");
      await sleep(250);
    }
    await runAsync("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));");
    const secs = (Date.now() - t0) / 1000;
    const linearAfter = await linear();
    // The page's process is the one whose peak rose most over its level before the edit.
    const grown = pids.map((p) => ({ pid: p, before: before[p], peak: kib(p, "VmHWM") }))
      .filter((p) => !Number.isNaN(p.peak)).sort((a, b) => (b.peak - b.before) - (a.peak - a.before))[0];
    const size = Buffer.byteLength(text);
    const over = (grown.peak - grown.before) * 1024;
    // A second edit of the same document (its last keychain call given another class, a new
    // title): the page holds the first run while it makes the second.
    const editedTitle = `${title} (edited)`;
    let edited = JSON.stringify({ ...doc, title: editedTitle });
    const from = '"kSecClassGenericPassword"';
    const at = edited.lastIndexOf(from);
    if (at >= 0) edited = edited.slice(0, at) + '"kSecClassInternetPassword"' + edited.slice(at + from.length);
    const rssBeforeEdit = kib(grown.pid, "VmRSS");
    fs.writeFileSync(`/proc/${grown.pid}/clear_refs`, "5");
    await run(`const area = document.querySelector("#document"); area.value = arguments[0];
      area.dispatchEvent(new Event("input", { bubbles: true }));`, [edited]);
    const t1 = Date.now();
    for (;;) {
      if (await run("const r = document.querySelector('#report'); return !!r && r.innerText.includes(arguments[0]);", [editedTitle])) break;
      if (Date.now() - t1 > 600000) throw new Error("the report never showed the edited document");
      await sleep(250);
    }
    await runAsync("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));");
    const editOver = (kib(grown.pid, "VmHWM") - rssBeforeEdit) * 1024;
    const editLinear = await linear();
    console.log(`${path.basename(file, ".json").padStart(14)} | ${size} B | content process ${mib(grown.before * 1024)} MiB before, ` +
      `peak ${mib(grown.peak * 1024)} MiB, peak over before ${mib(over)} MiB (${(over / size).toFixed(1)}x) | ` +
      `wasm memory ${mib(linearBefore)} -> ${mib(linearAfter)} MiB (+${((linearAfter - linearBefore) / size).toFixed(1)}x) | ` +
      `${secs.toFixed(1)} s | second edit: content process peak over before ${mib(editOver)} MiB, ` +
      `wasm memory -> ${mib(editLinear)} MiB (+${((editLinear - linearBefore) / size).toFixed(1)}x over the first edit's start)`);
  } finally {
    await browser.close();
  }
}

(async () => {
  const driver = await gecko.start();
  try {
    console.log(`peak memory in headless Firefox (${url}); x = bytes over the document's size`);
    for (const file of docs) await measure(driver, file);
  } finally {
    driver.stop();
  }
})().catch((e) => { console.error(e.message); process.exit(1); });
