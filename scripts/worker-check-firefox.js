// The release page's validator worker in headless Firefox (scripts/ux-check.js checks it in
// Chromium): pasted Swift is read by the worker; a JWT example and Apple's sample attestation
// opened by link are checked by it, their verdicts drawn with their checks and, for the attestation, its certificate
// chain and byte map (the figures crossed from the worker); then an edit of the document is
// answered again. Exits 1 when a check fails.
//
// usage: node scripts/worker-check-firefox.js URL
//   (GECKODRIVER and FIREFOX name the binaries: scripts/geckodriver.js)
"use strict";
const fs = require("fs");
const path = require("path");
const gecko = require("./geckodriver");

const url = process.argv[2];
if (!url) {
  console.error("usage: node scripts/worker-check-firefox.js URL");
  process.exit(2);
}
const examples = path.join(__dirname, "..", "examples");
const raw = (file) => "#raw=" + encodeURIComponent(fs.readFileSync(path.join(examples, file), "utf8"));
const sleep = gecko.sleep;

let failed = 0;
function check(ok, what, detail) {
  console.log(`${ok ? "ok  " : "FAIL"} firefox: ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail)}`);
  if (!ok) failed++;
}

// What #report says once the worker answered: kind, whether it waits, its text, what it draws.
const REPORT = `const r = document.querySelector('#report');
  if (!r) return null;
  return { kind: r.dataset.kind, pending: !!r.dataset.pending, text: r.innerText,
    checks: r.querySelectorAll('table.checks tbody tr').length,
    chain: !!r.querySelector('.chain-picture'), bytes: !!r.querySelector('.byte-map'),
    panic: !!(document.querySelector('#keyplay-panic') || {}).textContent };`;

async function answered(run, want) {
  for (let i = 0; i < 600; i++) {
    const report = await run(REPORT);
    if (report && !report.pending && report.text.includes(want)) return report;
    await sleep(100);
  }
  return run(REPORT);
}

(async () => {
  let driver;
  let browser;
  try {
    driver = await gecko.start();
    const wd = driver.wd;
    browser = await driver.session();
    const { sid, run } = browser;

    // Pasted Swift is read by the worker (the importers are not in the page's module).
    await wd("POST", `/session/${sid}/url`, { url: url + raw("keychain/check-then-add.json") });
    await answered(run, "errSec");
    const swift = fs.readFileSync(path.join(__dirname, "..", "tests/import/wrappers/keychain-swift.swift"), "utf8");
    await run(`document.querySelector("details.code-import").open = true;
      const kind = document.querySelector("#import-kind"); kind.value = "swift";
      kind.dispatchEvent(new Event("change", { bubbles: true }));
      const area = document.querySelector("#import-source"); area.value = arguments[0];
      area.dispatchEvent(new Event("input", { bubbles: true }));`, [swift]);
    let preview = "";
    for (let i = 0; i < 600 && !preview.includes("<prefixedKey>"); i++) {
      preview = await run("const p = document.querySelector('.import-preview'); return p ? p.innerText : '';");
      await sleep(100);
    }
    check(preview.includes("values to fill in: <prefixedKey>"), "pasted Swift is read by the worker", preview.slice(0, 60));

    await wd("POST", `/session/${sid}/url`, { url: url + raw("jwt/client-secret-invalid-client.json") });
    await wd("POST", `/session/${sid}/refresh`, {});
    const jwt = await answered(run, "invalid_client");
    check(jwt && jwt.kind === "jwt" && !jwt.pending && jwt.checks > 0 && jwt.text.includes("Not valid"),
      "a JWT example opened by link is checked by the worker", jwt && { kind: jwt.kind, checks: jwt.checks });

    await wd("POST", `/session/${sid}/url`, { url: url + raw("app-attest/apple-sample-production.json") });
    await wd("POST", `/session/${sid}/refresh`, {});
    const attest = await answered(run, "Valid");
    check(attest && attest.kind === "app-attest" && attest.checks > 0 && attest.chain && attest.bytes,
      "Apple's sample attestation: verdict, certificate chain and byte map from the worker",
      attest && { kind: attest.kind, checks: attest.checks, chain: attest.chain, bytes: attest.bytes });

    // An edit (a new title) is a new job; the report shows it once the worker answered.
    await run(`const area = document.querySelector("#document"); const doc = JSON.parse(area.value);
      doc.title = "edited in firefox"; area.value = JSON.stringify(doc, null, 2);
      area.dispatchEvent(new Event("input", { bubbles: true }));`);
    const edited = await answered(run, "edited in firefox");
    check(edited && edited.text.includes("edited in firefox") && edited.chain && !edited.panic,
      "an edit of the attestation is answered again");
  } catch (e) {
    check(false, "the run", String(e.message || e));
  } finally {
    if (browser) await browser.close();
    if (driver) driver.stop();
  }
  console.log(failed === 0 ? "worker-check-firefox: all passed" : `worker-check-firefox: ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})();
