// cluster-sharded.js - what only the sharded adapter does, with two
// georoomd --redis-mode sharded or sharded-static (GEOROOMD_PORT_A/B,
// control sockets GEOROOM_SOCKET_A/B) and a Node socket.io 4.8 server
// started here with createShardedAdapter (GEOROOM_ADAPTER, lib.js), all
// on one Redis 7 (REDIS_URL): emitWithAck() from Node hears georoomd's
// clients; a room's own shard channel is subscribed to while the room
// exists ("dynamic" mode only), and broadcasts to one room go on it; what
// georoomd publishes is watched on the wire with MONITOR, which counts as
// no subscriber.
"use strict";
const t = require("./lib");
const msgpack = require("notepack.io");

const A = process.env.GEOROOMD_PORT_A, B = process.env.GEOROOMD_PORT_B;
const CTL_A = process.env.GEOROOM_SOCKET_A, CTL_B = process.env.GEOROOM_SOCKET_B;
const dynamic = t.adapterMode === "sharded";

const stats = (ctl) => t.control({ op: "stats" }, ctl);
const show = (v) => (Buffer.isBuffer(v) ? `buffer:${v.toString("hex")}` :
  v === undefined ? "undefined" : JSON.stringify(v));

// Every SPUBLISH Redis executes, from MONITOR on a connection of its own
// (node-redis 4 has no monitor()): {chan, msg} decoded as the adapter
// does, and the raw bytes.
async function monitor(url) {
  const net = require("net");
  const u = new URL(url);
  const seen = [];
  const sock = net.connect(Number(u.port), u.hostname);
  await new Promise((resolve, reject) => {
    sock.once("connect", resolve);
    sock.once("error", reject);
  });
  sock.write("MONITOR\r\n");
  // MONITOR quotes arguments, escaping bytes as \xNN and \", \\, \n...
  const unq = (s) => Buffer.from(s.replace(/\\x([0-9a-f]{2})|\\(.)/g,
    (_, h, c) => (h ? String.fromCharCode(parseInt(h, 16)) :
      ({ n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" }[c] || c))), "latin1");
  let pending = "";
  sock.setEncoding("latin1");
  sock.on("data", (chunk) => {
    pending += chunk;
    let i;
    while ((i = pending.indexOf("\r\n")) >= 0) {
      const line = pending.slice(0, i);
      pending = pending.slice(i + 2);
      const m = /"SPUBLISH" "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"$/i.exec(line);
      if (!m) continue;
      const raw = unq(m[2]);
      let msg;
      try {
        msg = raw[0] === 0x7b ? JSON.parse(raw.toString()) : msgpack.decode(raw);
      } catch (e) {
        msg = { undecoded: raw.toString("hex") };
      }
      seen.push({ chan: unq(m[1]).toString(), msg, raw });
    }
  });
  return { seen, close: () => sock.destroy(), mark: () => seen.length };
}

async function shardNumSub(redis, chan) {
  const r = await redis.sendCommand(["PUBSUB", "SHARDNUMSUB", chan]);
  return Number(r[1]);
}

t.run(async () => {
  const node = await t.nodeClusterServer((io) => {
    io.on("connection", (socket) => {
      socket.on("join_room", (p, ack) => {
        socket.join(String(p.locationId));
        if (ack) ack(String(p.locationId));
      });
      socket.on("leave_room", (p, ack) => {
        socket.leave(String(p.locationId));
        if (ack) ack();
      });
    });
  });
  const { io, pub } = node, N = node.port;
  const w = await monitor(process.env.REDIS_URL);
  const uid = io.of("/").adapter.uid;
  await t.eventually(async () => (await io.of("/").adapter.serverCount()) === 3, 10000,
    "Node counts three servers (PUBSUB SHARDNUMSUB socket.io#/#)");

  const a1 = await t.connectTo(A), b1 = await t.connectTo(B), b2 = await t.connectTo(B);
  const n1 = await t.connectTo(N);
  const join = async (s, ...rooms) => {
    for (const r of rooms) await s.emitWithAck("join_room", { locationId: r });
  };

  // A room's own channel, in the dynamic mode only.
  const roomChan = "socket.io#/#acks#";
  await join(a1, "acks");
  await join(b1, "acks");
  await join(b2, "acks");
  await join(n1, "acks");
  await t.eventually(async () => (await shardNumSub(pub, roomChan)) === (dynamic ? 3 : 0),
    5000, dynamic ? "each server with room acks subscribes to its channel" :
      "static: no server subscribes to a room's channel");

  // Acks from georoomd's clients, exact, a binary one included.
  const bin = Buffer.from([0, 1, 254, 255]);
  a1.on("q", (v, cb) => cb({ from: "a1", v }));
  b1.on("q", (v, cb) => cb(bin));
  b2.on("q", (v, cb) => cb());
  n1.on("q", (v, cb) => cb("n1"));
  let mark = w.mark();
  const got = await io.timeout(10000).to("acks").emitWithAck("q", { n: 42, s: "é" });
  t.equal(got.map(show).sort(), [
    JSON.stringify({ from: "a1", v: { n: 42, s: "é" } }), show(bin), '"n1"', "undefined",
  ].sort(), "emitWithAck() from Node gets the acks of the clients on both georoomd, exact");
  await t.eventually(() => w.seen.slice(mark).filter((x) => x.msg.type === 12).length === 3,
    5000, "georoomd publishes one BROADCAST_ACK per client ack");
  const answers = w.seen.slice(mark).filter((x) => x.msg.type === 11 || x.msg.type === 12);
  t.equal([...new Set(answers.map((x) => x.chan))], [`socket.io#/#${uid}#`],
    "its answers go on the asker's own channel");
  t.equal(answers.filter((x) => x.msg.type === 11).map((x) => x.msg.data.clientCount).sort(),
    [1, 2], "each georoomd's BROADCAST_CLIENT_COUNT is its own members in the room");
  const binAck = answers.find((x) => x.msg.type === 12 && Buffer.isBuffer(x.msg.data.packet));
  t.check(binAck && binAck.raw[0] !== 0x7b && binAck.msg.data.packet.equals(bin),
    "a binary ack goes in MessagePack, the others in JSON text",
    answers.map((x) => x.raw[0]));
  const asked = w.seen.slice(mark).find((x) => x.msg.type === 3);
  t.equal(asked && asked.chan, "socket.io#/#",
    "a broadcast awaiting acks goes on the namespace's channel, as Node sends it");

  // What georoomd publishes: a chat to one room.
  const uids = [];
  for (const ctl of [CTL_A, CTL_B]) {
    mark = w.mark();
    const got1 = t.next(n1, "note");
    const r = await t.control({ op: "emit", room: "acks", event: "note", data: { k: 1 } }, ctl);
    t.equal(r.published, true, "a control emit to one room is published");
    await got1;
    const mine = w.seen.slice(mark).find((x) => x.msg.type === 3);
    t.equal(mine && mine.chan, dynamic ? roomChan : "socket.io#/#",
      dynamic ? "on the room's own channel" : "static: on the namespace's channel");
    t.equal(mine && Object.keys(mine.msg), ["type", "data", "uid", "nsp"],
      "as {type, data, uid, nsp}");
    t.equal(mine && mine.msg.data, { packet: { type: 2, data: ["note", { k: 1 }] },
      opts: { rooms: ["acks"], except: [], flags: {} } }, "with the adapter's data");
    t.check(mine && /^[0-9a-f]{16}$/.test(mine.msg.uid), "from a uid of 16 hex digits");
    uids.push(mine && mine.msg.uid);
  }
  t.check(uids[0] !== uids[1], "each georoomd has its own");

  // A room that empties frees its channel; a new one takes one.
  await b1.emitWithAck("leave_room", { locationId: "acks" });
  await b2.emitWithAck("leave_room", { locationId: "acks" });
  await t.eventually(async () => (await shardNumSub(pub, roomChan)) === (dynamic ? 2 : 0),
    5000, dynamic ? "georoomd B unsubscribes as its last member leaves the room" :
      "static: nothing changes as B's room empties");
  await join(b1, "fresh");
  await t.eventually(async () => (await shardNumSub(pub, "socket.io#/#fresh#")) ===
    (dynamic ? 1 : 0), 5000,
  dynamic ? "and subscribes to a room as it is created" : "static: nor as one is created");
  const fresh = t.next(b1, "note");
  io.to("fresh").emit("note", { k: "fresh" });
  t.equal((await fresh).k, "fresh", "Node's broadcast to the new room reaches it");
  const gone = t.next(b1, "disconnect");
  b1.disconnect();
  await gone;
  await t.eventually(async () => (await shardNumSub(pub, "socket.io#/#fresh#")) === 0,
    5000, "a room whose last member disconnects frees its channel");

  // A message no adapter would send is counted, and changes nothing.
  // (On A's own channel: the Node server would throw at it.)
  const s0 = await stats(CTL_A);
  await pub.sPublish(`socket.io#/#${uids[0]}#`,
    "{\"type\":3,\"data\":{\"packet\":1},\"uid\":\"x\",\"nsp\":\"/\"}");
  await pub.sPublish("socket.io#/#", JSON.stringify({ type: 3, uid: "x", nsp: "/other",
    data: { packet: { type: 2, data: ["note2", "wrong-nsp"] }, opts: { rooms: [], except: [] } } }));
  await t.eventually(async () => (await stats(CTL_A)).redis_malformed === s0.redis_malformed + 1,
    5000, "a malformed message is counted as such");
  const barrier = t.next(a1, "note2");
  io.emit("note2", { k: "barrier" });
  t.equal((await barrier).k, "barrier", "and one for another namespace reaches no one");

  const sa = await stats(CTL_A), sb = await stats(CTL_B);
  t.check(sa.redis_dropped === 0 && sb.redis_dropped === 0, "nothing dropped on the way",
    [sa.redis_dropped, sb.redis_dropped]);

  for (const s of [a1, b2, n1]) s.close();
  w.close();
  await node.close();
});
