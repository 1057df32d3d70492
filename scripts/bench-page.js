// The page benchmark's browser half (scripts/bench-page runs it; it prints, never asserts).
//
//   node scripts/bench-page.js KEYPLAY_DIST COUNTER_DIST [ROUNDS]
//
// Serves both release builds from this process on 127.0.0.1 (two ports, `no-store`), then in
// headless Chromium:
// - weight: every response the first load of each page fetched before its first render, the
//   wasm, JS and CSS among them compressed with gzip -9 (what a server sending gzip sends);
// - first render: from navigation to Keyplay's first report (a keychain status, `errSec…`, in
//   #report) and to the counter's first verified count, ROUNDS fresh contexts each, in turns;
// - edit to paint: the text of #document replaced and `input` fired, until #report shows the
//   new title and one more animation frame has passed, for the default example, 20 steps over
//   50 items, 50 steps over 1 000 items and Apple's sample App Attest attestation with its
//   receipt; ROUNDS edits each after one not counted.
// Prints one JSON object per measure, then the load average before and after.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const zlib = require('zlib');
const { chromium } = require('playwright-core');

const [keyplayDist, counterDist, roundsArg = '7'] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!keyplayDist || !counterDist || !(rounds > 0)) {
  console.error('usage: node scripts/bench-page.js KEYPLAY_DIST COUNTER_DIST [ROUNDS]');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json' };

// A static server for `dir` on a free port of 127.0.0.1.
function serve(dir) {
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(dir, name.endsWith('/') ? name + 'index.html' : name);
    if (!file.startsWith(path.resolve(dir))) { res.writeHead(403).end(); return; }
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(body);
    });
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const median = v => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const figures = v => ({ median: +median(v).toFixed(1), min: +Math.min(...v).toFixed(1), max: +Math.max(...v).toFixed(1) });
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// A keychain document of `items` adds, then `steps` calls that find, update and delete them.
function keychain(items, steps, title) {
  const generic = { kSecClass: 'kSecClassGenericPassword' };
  const calls = [];
  for (let i = 0; i < items; i++) {
    calls.push({ SecItemAdd: { ...generic, kSecAttrService: 'svc', kSecAttrAccount: `acct-${i}`,
      kSecAttrLabel: `label-${i % 10}`, kSecValueData: { utf8: `secret-${i}` } } });
  }
  for (let j = 0; j < steps; j++) {
    const account = `acct-${(j * 37) % items}`;
    calls.push([
      { SecItemAdd: { ...generic, kSecAttrService: 'svc2', kSecAttrAccount: `new-${j}`, kSecValueData: { utf8: 'x' } } },
      { SecItemCopyMatching: { ...generic, kSecAttrService: 'svc', kSecAttrAccount: account, kSecReturnData: true } },
      { SecItemCopyMatching: { ...generic, kSecAttrLabel: `label-${j % 10}`, kSecMatchLimit: 'kSecMatchLimitAll', kSecReturnAttributes: true } },
      { SecItemUpdate: { query: { ...generic, kSecAttrService: 'svc', kSecAttrAccount: account }, attributes: { kSecValueData: { utf8: `u-${j}` } } } },
      { SecItemDelete: { ...generic, kSecAttrService: 'svc2', kSecAttrAccount: `new-${j - 4}` } },
    ][j % 5]);
  }
  return { keyplay: 1, kind: 'keychain', platform: 'ios', title,
    app: { 'application-identifier': 'SKMME9E2Y8.com.example.app' }, steps: calls };
}

// The time from navigation until `ready` holds in the page, and what the load fetched by then.
async function firstRender(browser, url, ready) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  page.on('response', response => { bodies.push(response.body().then(b => [response.url(), b]).catch(() => null)); });
  await page.goto(url);
  await page.waitForFunction(ready, null, { timeout: 120000, polling: 'raf' });
  const ms = await page.evaluate(() => performance.now());
  const fetched = (await Promise.all(bodies)).filter(Boolean);
  await context.close();
  return { ms, fetched };
}

function weight(fetched) {
  const once = new Map(fetched);
  const out = { requests: once.size, raw: 0, wasm_js_css_gzip9: 0, files: {} };
  for (const [url, body] of once) {
    out.raw += body.length;
    const ext = path.extname(new URL(url).pathname);
    if (['.wasm', '.js', '.css'].includes(ext)) {
      const gz = zlib.gzipSync(body, { level: 9 }).length;
      out.wasm_js_css_gzip9 += gz;
      out.files[path.basename(new URL(url).pathname)] = { raw: body.length, gzip9: gz };
    }
  }
  return out;
}

(async () => {
  const loadBefore = load();
  const [keyplayServer, counterServer] = await Promise.all([serve(keyplayDist), serve(counterDist)]);
  const keyplayUrl = `http://127.0.0.1:${keyplayServer.address().port}/`;
  const counterUrl = `http://127.0.0.1:${counterServer.address().port}/`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'] });
  const keyplayReady = () => { const r = document.querySelector('#report'); return !!r && r.innerText.includes('errSec'); };
  const counterReady = () => { const c = document.querySelector('#count'); return !!c && c.innerText.includes('verified'); };

  // First render, in turns, so that both see the same load.
  const times = { keyplay: [], counter: [] };
  let weights = {};
  for (let n = 0; n < rounds; n++) {
    const k = await firstRender(browser, keyplayUrl, keyplayReady);
    const c = await firstRender(browser, counterUrl, counterReady);
    times.keyplay.push(k.ms);
    times.counter.push(c.ms);
    if (n === 0) weights = { keyplay: weight(k.fetched), counter: weight(c.fetched) };
  }
  console.log(JSON.stringify({ measure: 'weight of the first load', ...weights,
    ratio: +(weights.keyplay.wasm_js_css_gzip9 / weights.counter.wasm_js_css_gzip9).toFixed(2) }));
  console.log(JSON.stringify({ measure: 'navigation to first render, ms', keyplay: figures(times.keyplay),
    counter: figures(times.counter), ratio_of_medians: +(median(times.keyplay) / median(times.counter)).toFixed(2) }));

  // Edit to paint.
  const page = await browser.newPage();
  await page.goto(keyplayUrl);
  await page.waitForFunction(keyplayReady, null, { timeout: 120000 });
  const defaultText = await page.$eval('#document', t => t.value);
  const attestation = fs.readFileSync(path.join(root, 'examples/app-attest/apple-sample-production.json'), 'utf8');
  const titled = (text, title) => JSON.stringify({ ...JSON.parse(text), title }, null, 2);
  const sizes = [
    ['default example', title => titled(defaultText, title)],
    ['20 steps over 50 items', title => JSON.stringify(keychain(50, 20, title), null, 2)],
    ['50 steps over 1000 items', title => JSON.stringify(keychain(1000, 50, title), null, 2)],
    ["Apple's sample attestation with its receipt", title => titled(attestation, title)],
  ];
  for (const [size, make] of sizes) {
    const dom = [], paint = [];
    for (let n = 0; n <= rounds; n++) {
      const title = `bench ${size} ${n}`;
      const ms = await page.evaluate(async ({ text, title }) => {
        const editor = document.querySelector('#document');
        const shown = () => { const r = document.querySelector('#report'); return !!r && r.innerText.includes(title); };
        const start = performance.now();
        const seen = new Promise(resolve => {
          const observer = new MutationObserver(() => { if (shown()) { observer.disconnect(); resolve(performance.now()); } });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          setTimeout(() => { observer.disconnect(); resolve(NaN); }, 120000);
        });
        editor.value = text;
        editor.dispatchEvent(new Event('input', { bubbles: true }));
        const inDom = shown() ? performance.now() : await seen;
        await new Promise(resolve => requestAnimationFrame(resolve));
        return { dom: inDom - start, paint: performance.now() - start };
      }, { text: make(title), title });
      if (Number.isNaN(ms.dom)) throw new Error(`${size}: the report never showed the edited title`);
      if (n > 0) { dom.push(ms.dom); paint.push(ms.paint); }
    }
    console.log(JSON.stringify({ measure: 'edit to painted report, ms', size, to_dom: figures(dom), to_paint: figures(paint) }));
  }
  await browser.close();
  keyplayServer.close();
  counterServer.close();
  console.log(JSON.stringify({ measure: 'load average (1, 5, 15 min)', before: loadBefore, after: load() }));
})().catch(error => { console.error(`bench-page: ${error.message}`); process.exit(1); });
