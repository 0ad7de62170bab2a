// browser.js - a real browser with socket.io-client's own bundle and its
// default options: headless Chromium loads a page from another origin than
// the hub's, connects (long-polling, then the upgrade), joins the room of
// location 1, and receives the update geoput stores and announces.  A
// screenshot of the page goes to $SHOT.  Needs GEOROOMD_PORT,
// GEOROOM_SOCKET, GEOROOM_DB, geoput on PATH, CHROMIUM (the browser) and
// CHROME_DIR (a fresh profile directory).
//
// Chromium is driven over its DevTools protocol on a pipe (chromium.js).
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");
const { execFileSync } = require("child_process");
const t = require("./lib");
const { launch, openTab } = require("./chromium");

const bundle = path.join(path.dirname(require.resolve("socket.io-client/package.json")),
  "dist", "socket.io.min.js");

// The page: what an application does with socket.io-client, io(url) with
// no options.
const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>georoom in a browser</title>
<script src="/socket.io.min.js"></script>
<style>body { font: 16px sans-serif; margin: 2em } pre { background: #eee; padding: 1em }</style>
</head><body>
<h1>Location 1</h1>
<p id="state">connecting</p>
<pre id="log"></pre>
<script>
const hub = new URLSearchParams(location.search).get("hub");
const socket = io(hub);
window.updates = [];
window.transports = [];
const say = (id, s) => { document.getElementById(id).textContent = s; };
socket.io.on("open", () => {
  window.transports.push(socket.io.engine.transport.name);
  socket.io.engine.on("upgrade", (tr) => {
    window.transports.push(tr.name);
    say("state", "joined room " + window.joined + " over " + tr.name);
  });
});
socket.on("connect", async () => {
  window.joined = await socket.emitWithAck("join_room", { locationId: 1, userId: 42 });
  say("state", "joined room " + window.joined + " over " + socket.io.engine.transport.name);
});
socket.on("chat", (m) => {
  window.updates.push(m);
  document.getElementById("log").textContent += JSON.stringify(m, null, 1) + "\\n";
});
socket.on("connect_error", (e) => { window.connectError = e.message; });
</script></body></html>
`;

// Serves the page and the bundle on a port of its own: another origin
// than the hub's, as for a real application.
function serve() {
  const srv = http.createServer((req, res) => {
    if (req.url.startsWith("/socket.io.min.js")) {
      res.writeHead(200, { "content-type": "text/javascript" });
      fs.createReadStream(bundle).pipe(res);
    } else if (req.url.startsWith("/?") || req.url === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((r) => srv.listen(0, "127.0.0.1", () => r(srv)));
}

t.run(async () => {
  const srv = await serve();
  const hub = `http://127.0.0.1:${process.env.GEOROOMD_PORT}`;
  const url = `http://127.0.0.1:${srv.address().port}/?hub=${encodeURIComponent(hub)}`;
  const b = launch();
  try {
    const { sessionId, js } = await openTab(b, url);
    const joined = await t.waitFor(() => js("window.joined || window.connectError"),
      15000, "the page joins").catch((e) => e.message);
    t.equal(joined, "1", "Chromium with socket.io-client's bundle and no options joins room 1");
    await t.eventually(async () => (await js("window.transports.join()")) === "polling,websocket",
      10000, "it connected over long-polling from another origin, then upgraded to WebSocket");

    const stored = JSON.parse(execFileSync("geoput", ["--require-hub", "--id", "1",
      "--user", "5", "--lon", "13.3777", "--lat", "52.5163"], { encoding: "utf8" }));
    await t.eventually(async () => (await js("window.updates.length")) >= 1, 10000,
      "the page receives the update geoput sent");
    t.equal(await js("window.updates"), [{ userId: 5, message: stored, roomName: "1" }],
      "it is the stored Feature, once, for room 1");
    const shot = await b.send("Page.captureScreenshot", { format: "png" }, sessionId);
    fs.writeFileSync(process.env.SHOT, Buffer.from(shot.data, "base64"));
    t.equal([...fs.readFileSync(process.env.SHOT).subarray(1, 4)].map((c) => String.fromCharCode(c)).join(""),
      "PNG", "a screenshot of the page is kept in the test's directory");
    await b.send("Browser.close").catch(() => {});
  } catch (e) {
    console.log(`# chromium: ${b.stderr().split("\n").slice(-5).join(" | ")}`);
    throw e;
  } finally {
    await t.withTimeout(b.exited, 5000, "chromium exits").catch(() => b.proc.kill("SIGKILL"));
    srv.close();
  }
});
