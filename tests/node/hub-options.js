// hub-options.js - georoomd's options as clients see them.  Needs a hub
// started with --path /chat, -o http://good.example, --max-connections 3
// and GEOROOMD_NAMESPACES="/a /b" in its environment.
"use strict";
const t = require("./lib");

function handshakeStatus(path, headers = {}) {
  return new Promise((resolve) => {
    const ws = new t.WebSocket(`${t.url().replace("http", "ws")}${path}`, { headers });
    ws.on("open", () => { ws.close(); resolve(101); });
    ws.on("unexpected-response", (req, res) => resolve(res.statusCode));
    ws.on("error", () => {});
  });
}

t.run(async () => {
  const a = await t.connect("/", { path: "/chat" });
  t.check(a.connected, "socket.io-client connects with path /chat");
  t.equal(await handshakeStatus("/socket.io/?EIO=4&transport=websocket"), 404,
    "the default path is not served when --path is given");
  t.equal(await handshakeStatus("/chat/?EIO=4&transport=websocket",
    { Origin: "http://evil.example" }), 403, "an origin not allowed gets 403");
  t.equal(await handshakeStatus("/chat/?EIO=4&transport=websocket",
    { Origin: "http://" + "x".repeat(600) + ".example" }), 403,
    "an origin too long to read is not allowed either");

  const na = await t.connect("/a", { path: "/chat", extraHeaders: { Origin: "http://good.example" } });
  const nb = await t.connect("/b", { path: "/chat" });
  t.check(na.connected && nb.connected,
    "namespaces listed in GEOROOMD_NAMESPACES are served, an allowed origin passes");

  // Three sessions are open (a, na, nb): a fourth is refused with 503.
  t.equal(await handshakeStatus("/chat/?EIO=4&transport=websocket"), 503,
    "--max-connections refuses sessions beyond the limit with 503");

  // The control socket's disconnect op, and several producers at once.
  const nbId = nb.id;
  const gone = t.next(nb, "disconnect");
  const [r1, r2] = await Promise.all([
    t.control({ op: "disconnect", socket: nb.id }),
    t.control({ op: "stats" }),
  ]);
  t.equal(r1, { ok: true, disconnected: 1 }, "control disconnect replies");
  t.equal(r2.ok, true, "a second producer is served at the same time");
  t.equal(await gone, "io server disconnect",
    "the client is told the server disconnected it");
  t.equal(await t.control({ op: "disconnect", socket: nbId }),
    { ok: false, error: `no socket "${nbId}"` }, "a socket disconnected twice is unknown");
  a.close(); na.close();
});
