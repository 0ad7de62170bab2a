// hub-slow.js - a client that stops reading is dropped under the backlog
// policy and stalls nobody.  Needs a hub started with --max-backlog 65536
// and a ping timeout long enough that the backlog, not the heartbeat,
// drops the client.
"use strict";
const net = require("net");
const t = require("./lib");

// A WebSocket client that completes the handshake and then never reads.
function stalledClient() {
  return new Promise((resolve, reject) => {
    const s = net.createConnection(Number(process.env.GEOROOMD_PORT), "127.0.0.1");
    s.on("error", () => {});
    s.on("connect", () => {
      s.write("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n" +
        "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Sec-WebSocket-Version: 13\r\n\r\n");
    });
    let got = "";
    s.on("data", (d) => {
      got += d.toString("latin1");
      if (got.includes("\r\n\r\n")) {
        s.removeAllListeners("data");
        // A masked text frame "40": CONNECT to "/".
        s.write(Buffer.from([0x81, 0x82, 1, 2, 3, 4, 0x34 ^ 1, 0x30 ^ 2]));
        s.pause();
        resolve(s);
      }
    });
    setTimeout(() => reject(new Error("stalled client handshake")), 5000);
  });
}

t.run(async () => {
  const a = await t.connect();
  await a.emitWithAck("join_room", { locationId: "flood" });
  const stalled = await stalledClient();
  const sockets = await t.waitFor(async () => {
    const r = await t.control({ op: "sockets" });
    return r.sockets.length === 2 ? r.sockets : null;
  }, 5000, "the stalled client to connect");
  const victim = sockets.find((s) => s.id !== a.id).id;

  // Every message goes to the room (the reader) and to the stalled socket
  // by id.  The producer waits for the reader after each batch, so the
  // reader's backlog stays under the limit while the stalled socket's
  // grows until the hub drops it; then emits to it fail by name.
  const N = 6000, BATCH = 12;
  const blob = "y".repeat(4000);
  const flood = t.recorder(a, "flood");
  const toRoom = [], toVictim = [];
  for (let i = 0; i < N; i += BATCH) {
    const reqs = [];
    for (let k = i; k < i + BATCH; k++) {
      reqs.push({ op: "emit", room: "flood", event: "flood", data: { i: k, blob } });
      reqs.push({ op: "emit", socket: victim, event: "flood", data: { i: k, blob } });
    }
    const rs = await t.controlMany(reqs);
    rs.forEach((r, k) => (k % 2 ? toVictim : toRoom).push(r));
    await flood.until(i + BATCH, 10000);
  }
  t.check(toRoom.every((r) => r.ok && r.reached === 1),
    "every emit to the reader's room reached it");
  const firstFail = toVictim.findIndex((r) => !r.ok);
  t.check(firstFail > 0 && toVictim.slice(firstFail).every((r) =>
    r.error === `no socket "${victim}" in namespace "/"`),
    "once dropped, the stalled socket is gone and emits to it fail by name",
    { firstFail, sample: toVictim[firstFail] });
  t.check(flood.values.length === N &&
    flood.values.every((v, i) => v.i === i && v.blob === blob),
    `the reading client got all ${N} messages, intact and in order`);
  const stats = await t.control({ op: "stats" });
  t.equal([stats.dropped_slow, stats.protocol_errors, stats.connections], [1, 0, 1],
    "the client that never read was dropped for its backlog (dropped_slow), not for bad input");
  stalled.destroy();
  a.close();
});
