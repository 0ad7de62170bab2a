// chromium.js - headless Chromium (Debian's package) driven over its
// DevTools protocol on a pipe (--remote-debugging-pipe: commands on its
// descriptor 3, answers and events on 4, each a JSON text ended by a NUL),
// which needs nothing from npm and no port.  CHROMIUM names the browser
// and CHROME_DIR a fresh profile directory.
"use strict";
const { spawn } = require("child_process");
const t = require("./lib");

// Chromium and its DevTools pipe: send(method, params, sessionId)
// resolves with the command's result.
function launch() {
  const args = ["--headless", "--no-sandbox", "--disable-gpu",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
    `--user-data-dir=${process.env.CHROME_DIR}`, "--remote-debugging-pipe",
    "--window-size=800,600", "about:blank"];
  const proc = spawn(process.env.CHROMIUM || "chromium", args,
    { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
  let stderr = "";
  proc.stdio[2].on("data", (d) => { stderr += d; });
  const pending = new Map();
  let id = 0, buf = Buffer.alloc(0);
  proc.stdio[4].on("data", (d) => {
    buf = Buffer.concat([buf, d]);
    let i;
    while ((i = buf.indexOf(0)) >= 0) {
      const msg = JSON.parse(buf.subarray(0, i).toString());
      buf = buf.subarray(i + 1);
      const p = pending.get(msg.id);
      if (p) {
        pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
        else p.resolve(msg.result);
      }
    }
  });
  const exited = new Promise((r) => proc.on("exit", r));
  return {
    proc, exited, stderr: () => stderr,
    send(method, params = {}, sessionId) {
      const msg = { id: ++id, method, params };
      if (sessionId) msg.sessionId = sessionId;
      proc.stdio[3].write(JSON.stringify(msg) + "\0");
      return t.withTimeout(new Promise((resolve, reject) =>
        pending.set(msg.id, { resolve, reject, method })), 15000, method);
    },
  };
}

// Attaches to the browser's tab and loads 'url': resolves with the
// session and js(expr), which evaluates an expression in the page.
async function openTab(b, url) {
  const { targetInfos } = await b.send("Target.getTargets");
  const tab = targetInfos.find((x) => x.type === "page");
  const { sessionId } = await b.send("Target.attachToTarget",
    { targetId: tab.targetId, flatten: true });
  const js = async (expr) => (await b.send("Runtime.evaluate",
    { expression: expr, returnByValue: true }, sessionId)).result.value;
  await b.send("Page.navigate", { url }, sessionId);
  return { sessionId, js };
}

module.exports = { launch, openTab };
