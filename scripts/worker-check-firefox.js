// The release page's validator worker in headless Firefox (scripts/ux-check.js checks it in
// Chromium): a JWT example and Apple's sample attestation opened by link are checked by the
// worker, their verdicts drawn with their checks and, for the attestation, its certificate
// chain and byte map (the figures crossed from the worker); then an edit of the document is
// answered again. Exits 1 when a check fails.
//
// usage: node scripts/worker-check-firefox.js URL
//   (GECKODRIVER and FIREFOX name the binaries, by default ~/.cargo/bin/geckodriver and
//   /usr/bin/firefox-esr; Playwright drives only its own Firefox build)
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const url = process.argv[2];
if (!url) {
  console.error("usage: node scripts/worker-check-firefox.js URL");
  process.exit(2);
}
const geckodriver = process.env.GECKODRIVER || path.join(os.homedir(), ".cargo/bin/geckodriver");
const firefox = process.env.FIREFOX || "/usr/bin/firefox-esr";
const port = 5444 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const examples = path.join(__dirname, "..", "examples");
const raw = (file) => "#raw=" + encodeURIComponent(fs.readFileSync(path.join(examples, file), "utf8"));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let failed = 0;
function check(ok, what, detail) {
  console.log(`${ok ? "ok  " : "FAIL"} firefox: ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail)}`);
  if (!ok) failed++;
}

async function wd(method, route, body) {
  const res = await fetch(base + route, { method, headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  if (json.value && json.value.error) throw new Error(`${route}: ${json.value.error}: ${json.value.message}`);
  return json.value;
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
  const driver = spawn(geckodriver, ["--port", String(port)], { stdio: "ignore" });
  let sid;
  try {
    for (let i = 0; ; i++) {
      try {
        await wd("GET", "/status");
        break;
      } catch (e) {
        if (i > 100) throw e;
        await sleep(100);
      }
    }
    const session = await wd("POST", "/session", { capabilities: { alwaysMatch: { browserName: "firefox",
      "moz:firefoxOptions": { binary: firefox, args: ["-headless"] } } } });
    sid = session.sessionId;
    const run = (script, args = []) => wd("POST", `/session/${sid}/execute/sync`, { script, args });

    await wd("POST", `/session/${sid}/url`, { url: url + raw("jwt/client-secret-invalid-client.json") });
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
    if (sid) await wd("DELETE", `/session/${sid}`).catch(() => {});
    driver.kill();
  }
  console.log(failed === 0 ? "worker-check-firefox: all passed" : `worker-check-firefox: ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})();
