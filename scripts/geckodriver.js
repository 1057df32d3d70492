// Headless Firefox through geckodriver (WebDriver over HTTP; Playwright drives only its own
// Firefox build), for the scripts that check or measure the page in Firefox. GECKODRIVER and
// FIREFOX name the binaries, by default ~/.cargo/bin/geckodriver and /usr/bin/firefox-esr.
"use strict";
const { spawn } = require("child_process");
const os = require("os");
const path = require("path");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts geckodriver on a free-ish port and waits until it answers. Returns `wd(method, route,
// body)`, which throws on a WebDriver error, `session(extra)`, which opens a headless Firefox
// (`extra`: more capabilities) and gives its id with `run` and `runAsync` (execute/sync and
// execute/async), and `stop()`.
async function start() {
  const geckodriver = process.env.GECKODRIVER || path.join(os.homedir(), ".cargo/bin/geckodriver");
  const firefox = process.env.FIREFOX || "/usr/bin/firefox-esr";
  const port = 4444 + Math.floor(Math.random() * 2000);
  const base = `http://127.0.0.1:${port}`;
  const driver = spawn(geckodriver, ["--port", String(port)], { stdio: "ignore" });
  const wd = async (method, route, body) => {
    const res = await fetch(base + route, { method, headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json();
    if (json.value && json.value.error) throw new Error(`${route}: ${json.value.error}: ${json.value.message}`);
    return json.value;
  };
  for (let i = 0; ; i++) {
    try {
      await wd("GET", "/status");
      break;
    } catch (e) {
      if (i > 100) {
        driver.kill();
        throw e;
      }
      await sleep(100);
    }
  }
  const session = async (extra = {}) => {
    const opened = await wd("POST", "/session", { capabilities: { alwaysMatch: { browserName: "firefox",
      "moz:firefoxOptions": { binary: firefox, args: ["-headless"] }, ...extra } } });
    const sid = opened.sessionId;
    return {
      sid,
      run: (script, args = []) => wd("POST", `/session/${sid}/execute/sync`, { script, args }),
      runAsync: (script, args = []) => wd("POST", `/session/${sid}/execute/async`, { script, args }),
      close: () => wd("DELETE", `/session/${sid}`).catch(() => {}),
    };
  };
  return { wd, session, stop: () => driver.kill() };
}

module.exports = { start, sleep };
