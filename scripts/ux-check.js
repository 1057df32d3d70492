// The page as a person meets it, in headless Chromium (Playwright's driver, Debian's browser):
// the layout at 1440, 900 and 390 px, an axe-core audit of the default page, a validator page
// and an embed (light and dark), the gallery by problem, the installable app (manifest and
// service worker) and a reload with the network off. Screenshots of each view, light and dark,
// go to OUT_DIR for people to look at.
//
// usage: NODE_PATH=.tools/node_modules node scripts/ux-check.js URL OUT_DIR
// Prints one line per check ("ok ..." or "FAIL ...") and exits 1 if any failed.
"use strict";
const { chromium } = require("playwright-core");
const fs = require("fs");
const path = require("path");

const [url, outDir] = process.argv.slice(2);
if (!url || !outDir) {
  console.error("usage: node scripts/ux-check.js URL OUT_DIR");
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const examples = path.join(__dirname, "..", "examples");
const raw = (file) => "#raw=" + encodeURIComponent(fs.readFileSync(path.join(examples, file), "utf8"));

let failed = 0;
function check(ok, what, detail) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail)}`);
  if (!ok) failed += 1;
}

async function reportShown(page, text) {
  await page.waitForFunction((t) => {
    const r = document.querySelector("#report");
    return r && r.innerText.includes(t);
  }, text, { timeout: 60000 });
}

async function seriousViolations(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => (await axe.run(document)).violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`));
}

// A fresh load: going from a URL to the same one with another fragment would not reload.
async function open(page, address) {
  await page.goto("about:blank");
  await page.goto(address);
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
// Whether `selector` is on screen, at least `min` px tall and wide (a pane, not a sliver).
const visible = (page, selector, min = 40) => page.evaluate(([s, m]) => {
  const el = document.querySelector(s);
  if (!el) return false;
  const r = el.getBoundingClientRect();
  return r.top < innerHeight && r.bottom > 0 && r.left < innerWidth && r.right > 0 && r.height > m && r.width > m;
}, [selector, min]);

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  for (const scheme of ["light", "dark"]) {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme });
    const page = await ctx.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));

    // The default page: a keychain document and its report.
    await open(page, url);
    await reportShown(page, "errSec");
    check((await seriousViolations(page)).length === 0, `${scheme}: axe, default page`, await seriousViolations(page));
    const input = (await visible(page, ".workspace")) || (await visible(page, "#document"));
    check(input && (await visible(page, "#report")), `${scheme}: input and answer side by side at 1440x900`);
    check((await overflow(page)) <= 0, `${scheme}: no horizontal overflow at 1440`, await overflow(page));
    await page.screenshot({ path: path.join(outDir, `default-1440-${scheme}.png`) });

    // Pasted evidence is read by the validator worker too (the importers are not in the page's module).
    await page.click("details.code-import > summary");
    await page.selectOption("#import-kind", "swift");
    await page.fill("#import-source", fs.readFileSync(path.join(__dirname, "..", "tests/import/wrappers/keychain-swift.swift"), "utf8"));
    const preview = await page.waitForFunction(() => {
      const p = document.querySelector(".import-preview");
      return p && p.innerText.includes("<prefixedKey>") && p.innerText;
    }, null, { timeout: 60000 }).then((h) => h.jsonValue(), () => "");
    check(preview.includes("values to fill in: <prefixedKey>"), `${scheme}: pasted Swift is read by the worker`,
      preview.slice(0, 60));
    await page.click("#import-clear");
    await page.click("details.code-import > summary");

    // The gallery by problem: a button opens the example that answers it.
    await page.click("button.problem-pick[data-example='jwt/client-secret-invalid-client.json']");
    await reportShown(page, "invalid_client");
    check(await visible(page, "[data-form='jwt']"), `${scheme}: a problem button opens its example with its form`);

    // The autosave now holds the problem's example: open the default one by its link.
    await page.setViewportSize({ width: 900, height: 800 });
    await open(page, url + raw("keychain/lost-items-after-entitlement-change.json"));
    await reportShown(page, "errSec");
    check((await overflow(page)) <= 0, `${scheme}: no horizontal overflow at 900`, await overflow(page));
    check(await visible(page, "#report"), `${scheme}: the answer is on screen at 900x800`);
    await page.screenshot({ path: path.join(outDir, `default-900-${scheme}.png`) });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    check((await overflow(page)) <= 0, `${scheme}: no horizontal overflow at 390`, await overflow(page));
    check(await visible(page, "#tab-answer", 20), `${scheme}: tabs at 390`);
    await page.screenshot({ path: path.join(outDir, `default-390-input-${scheme}.png`) });
    await page.click("#tab-answer");
    check(await visible(page, "#report"), `${scheme}: the Answer tab shows the report at 390`);
    check((await overflow(page)) <= 0, `${scheme}: no horizontal overflow at 390, answer`, await overflow(page));
    await page.screenshot({ path: path.join(outDir, `default-390-answer-${scheme}.png`) });

    // A validator page and an embed.
    await page.setViewportSize({ width: 1440, height: 900 });
    await open(page, url + raw("app-attest/ios14-development.json"));
    await reportShown(page, "Valid");
    check((await seriousViolations(page)).length === 0, `${scheme}: axe, validator page`, await seriousViolations(page));
    check((await visible(page, "[data-form='app-attest']")) && (await visible(page, "#report")),
      `${scheme}: validator form and verdict side by side at 1440x900`);
    await page.screenshot({ path: path.join(outDir, `app-attest-1440-${scheme}.png`) });
    // Its test fixtures are derived by the validator worker too.
    await page.click("#fixtures-show");
    const negatives = await page.waitForFunction(() => document.querySelectorAll(".fixtures tbody tr[data-id]").length,
      null, { timeout: 60000 }).then((h) => h.jsonValue(), () => 0);
    check(negatives > 5 && !!(await page.$(".fixtures tr[data-id='wrong-app-id']")),
      `${scheme}: the attestation's test fixtures, derived by the worker`, negatives);
    await open(page, url + raw("privacy/att-testflight-stuck-not-determined.json"));
    await reportShown(page, "notDetermined");
    check((await seriousViolations(page)).length === 0, `${scheme}: axe, stepper page`, await seriousViolations(page));
    await page.screenshot({ path: path.join(outDir, `att-1440-${scheme}.png`) });

    await open(page, url + raw("jwt/client-secret-valid.json"));
    await reportShown(page, "Valid");
    check((await seriousViolations(page)).length === 0, `${scheme}: axe, JWT page`, await seriousViolations(page));
    const jwt = await page.$("#report .jwt-picture");
    check(!!jwt, `${scheme}: the JWT is drawn part by part`);
    if (jwt) await jwt.screenshot({ path: path.join(outDir, `jwt-picture-${scheme}.png`) });

    await open(page, url + raw("keychain/identity-add-when-half-exists.json"));
    await reportShown(page, "errSec");
    check((await seriousViolations(page)).length === 0, `${scheme}: axe, identity picture`, await seriousViolations(page));
    const picture = await page.$("#report .identity-picture");
    check(!!picture, `${scheme}: the identity picture is drawn`);
    if (picture) await picture.screenshot({ path: path.join(outDir, `identity-picture-${scheme}.png`) });

    // Certificate chains, byte maps (pointing at a field lights its bytes) and the device timeline.
    await open(page, url + raw("app-attest/apple-sample-production.json"));
    await reportShown(page, "Valid");
    check((await seriousViolations(page)).length === 0, `${scheme}: axe, attestation pictures`, await seriousViolations(page));
    const chain = await page.$("#report .chain-picture");
    check(!!chain, `${scheme}: the certificate chain is drawn`);
    if (chain) await chain.screenshot({ path: path.join(outDir, `chain-picture-${scheme}.png`) });
    const bytes = await page.$("#report .byte-map");
    check(!!bytes, `${scheme}: the authenticator data byte map is drawn`);
    if (bytes) {
      await bytes.scrollIntoViewIfNeeded();
      await page.hover("#report .byte-map .byte-fields tr[data-field='5'] th");
      check((await page.$eval("#report .byte-map", (m) => m.querySelectorAll("g.byte.lit").length)) === 32,
        `${scheme}: pointing at credentialId lights its 32 bytes`);
      await bytes.screenshot({ path: path.join(outDir, `byte-map-${scheme}.png`) });
    }
    await open(page, url + raw("keychain/reboot-before-first-unlock.json"));
    await reportShown(page, "errSec");
    check((await seriousViolations(page)).length === 0, `${scheme}: axe, device timeline`, await seriousViolations(page));
    const timeline = await page.$("#report .device-timeline");
    check(!!timeline, `${scheme}: the device timeline is drawn`);
    if (timeline) await timeline.screenshot({ path: path.join(outDir, `device-timeline-${scheme}.png`) });

    await page.setViewportSize({ width: 720, height: 600 });
    await open(page, url + "?embed" + raw("keychain/check-then-add.json"));
    await reportShown(page, "errSec");
    check((await seriousViolations(page)).length === 0, `${scheme}: axe, embed`, await seriousViolations(page));
    check((await overflow(page)) <= 0, `${scheme}: no horizontal overflow in the embed at 720`, await overflow(page));
    await page.screenshot({ path: path.join(outDir, `embed-720-${scheme}.png`), fullPage: true });

    check(errors.length === 0, `${scheme}: no script error`, errors);
    await ctx.close();
  }

  // Installable, and a page opened once works with the network off.
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(url);
  await reportShown(page, "errSec");
  check(await page.evaluate(() => !!document.querySelector("link[rel='manifest']")), "a web app manifest is linked");
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector("link[rel='manifest']");
    return link ? (await fetch(link.href)).json() : null;
  });
  check(!!manifest && manifest.name === "Keyplay" && Array.isArray(manifest.icons) && manifest.icons.length > 0,
    "the manifest names the app and an icon", manifest);
  const ready = await page.evaluate(async () => "serviceWorker" in navigator &&
    !!(await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(() => r(null), 10000))])));
  check(ready, "a service worker is active");
  // The worker caches on install; wait until it controls the page.
  await page.reload();
  await reportShown(page, "errSec");
  await ctx.setOffline(true);
  let offline = false;
  try {
    await page.reload({ timeout: 20000 });
    await reportShown(page, "errSec");
    offline = true;
  } catch (e) {
    offline = false;
  }
  check(offline, "a reload with the network off renders the report");
  // The examples' texts are a data file the worker keeps on install: with the network still off,
  // an example this page never opened comes from the cache.
  let example = false;
  if (offline) {
    try {
      await page.click("button.problem-pick[data-example='privacy/att-testflight-stuck-not-determined.json']");
      await reportShown(page, "notDetermined");
      example = true;
    } catch (e) {
      example = false;
    }
  }
  check(example, "offline, an example never opened before opens from the worker's cache");
  // The validators are not in the page's module: they run in a web worker, started when the
  // first validator document opens. Offline, its files come from the service worker's cache.
  let validator = false;
  if (offline) {
    try {
      await page.click("button.problem-pick[data-example='jwt/client-secret-invalid-client.json']");
      await reportShown(page, "invalid_client");
      validator = await page.$eval("#report", (r) => r.dataset.kind === "jwt" && !r.dataset.pending &&
        r.querySelectorAll("table.checks tbody tr").length > 0);
    } catch (e) {
      validator = false;
    }
  }
  check(validator, "offline, a validator document is checked by the validator worker from the cache");
  await browser.close();
  console.log(failed === 0 ? "ux-check: all passed" : `ux-check: ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})().catch((e) => {
  console.error("ux-check:", e.message);
  process.exit(1);
});
