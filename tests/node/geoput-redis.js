// geoput-redis.js - geoput --redis announces each stored location as
// @socket.io/redis-emitter does: a socket.io-client in the location's room
// on a Node socket.io 4.8 server with @socket.io/redis-adapter, and one on
// georoomd --redis, each receive it exactly once, with the payload the
// control socket's path sends.  Needs REDIS_URL, GEOROOMD_PORT and
// GEOROOM_SOCKET (a georoomd on that Redis, started with -n /fleet),
// GEOROOM_DB, and geoput on PATH.  Absence is shown with a barrier sent
// after the update that must not arrive (each path delivers in order).
"use strict";
const t = require("./lib");
const http = require("http");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");
const { Emitter } = require("@socket.io/redis-emitter");
const msgpack = require("notepack.io");

const REDIS = process.env.REDIS_URL;
const G = process.env.GEOROOMD_PORT;
const CTL = process.env.GEOROOM_SOCKET;

// geoput with 'args' ({input, env} as t.program takes them).
const geoput = (args, opts) => t.program("geoput", args, opts);

const stored = (r) => JSON.parse(r.stdout.split("\n")[0]);

// The original application's contract, on a Node namespace.
function contract(nsp) {
  nsp.on("connection", (socket) => {
    socket.on("join_room", (p, ack) => {
      const room = String(p.locationId);
      socket.join(room);
      if (ack) ack(room);
    });
  });
}

// A Node socket.io server on the test's Redis with adapter option 'key'.
async function nodeServer(key) {
  const pub = createClient({ url: REDIS });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const srv = http.createServer();
  const io = new Server(srv, { transports: ["websocket"] });
  io.adapter(createAdapter(pub, sub, key ? { key } : {}));
  contract(io.of("/"));
  contract(io.of("/fleet"));
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  return { io, srv, pub, sub, port: srv.address().port };
}

// A client of namespace 'ns' on 'port', joined to room 'room'.
async function member(port, room, ns = "/") {
  const sock = t.io(`http://127.0.0.1:${port}${ns}`, {
    transports: ["websocket"], reconnection: false, forceNew: true,
  });
  await t.withTimeout(new Promise((resolve, reject) => {
    sock.once("connect", resolve);
    sock.once("connect_error", reject);
  }), 5000, `connect to ${port}${ns}`);
  await sock.emitWithAck("join_room", { locationId: room });
  return sock;
}

// Records 'ev' events by the tag property of the stored Feature.
function tags(sock, ev = "chat") {
  const seen = [];
  sock.on(ev, (p) => seen.push(p));
  const tagOf = (p) => p && p.message && p.message.properties &&
    p.message.properties.tag;
  return {
    seen,
    count: (tag) => seen.filter((p) => tagOf(p) === tag).length,
    get: (tag) => seen.find((p) => tagOf(p) === tag),
    until: (tag, ms = 5000) =>
      t.waitFor(() => seen.some((p) => tagOf(p) === tag), ms, `${ev} ${tag}`),
  };
}

t.run(async () => {
  const N = await nodeServer();
  const K = await nodeServer("custom");
  await t.eventually(async () => (await t.control({ op: "stats" }, CTL)).redis === "up",
    10000, "georoomd reports its Redis link up");

  const g = await member(G, 42), n = await member(N.port, 42);
  const outG = await member(G, 43), outN = await member(N.port, 43);
  const nf = await member(N.port, 42, "/fleet"), gf = await member(G, 42, "/fleet");
  const k = await member(K.port, 42);
  const rec = { g: tags(g), n: tags(n), outG: tags(outG), outN: tags(outN),
    nf: tags(nf), gf: tags(gf), k: tags(k), nPos: tags(n, "position") };
  const both = ["g", "n"];

  // The raw message, to compare with what the emitter itself writes.
  const spy = createClient({ url: REDIS });
  await spy.connect();
  const raw = [];
  await spy.pSubscribe("socket.io#/#*", (msg, chan) => raw.push({ chan: chan.toString(), msg }),
    true);

  // One update reaches the room's member on each server, once.
  let r = await geoput(["--redis", REDIS, "--id", "42", "--lon", "13.405",
    "--lat", "52.52", "--user", "7", "--prop", "tag=first"]);
  t.equal([r.status, r.stderr], [0, ""], "geoput --redis exits 0 and warns of nothing");
  const first = stored(r);
  r = await geoput(["-q", "--redis", REDIS, "--id", "42", "--lon", "1",
    "--lat", "1", "--prop", "tag=barrier1"]);
  for (const s of both) await rec[s].until("barrier1");
  t.equal(both.map((s) => rec[s].count("first")), [1, 1],
    "the member of room 42 on Node and the one on georoomd each receive it exactly once");
  for (const s of both)
    t.equal(rec[s].get("first"), { userId: 7, message: first, roomName: "42" },
      `${s === "g" ? "georoomd's" : "Node's"} client receives chat {userId, message: the stored Feature, roomName}`);

  // The bytes: what @socket.io/redis-emitter publishes for the same call.
  await t.waitFor(() => raw.length >= 2, 5000, "the spy sees both messages");
  t.equal(raw[0].chan, "socket.io#/#42#", "published on the room's channel, socket.io#/#42#");
  const [uid, packet, opts] = msgpack.decode(raw[0].msg);
  t.equal(uid, "emitter", "with the emitter's uid");
  t.equal(packet, { type: 2, data: ["chat", { userId: 7, message: first, roomName: "42" }], nsp: "/" },
    "the packet {type: 2, data: [event, payload], nsp}");
  t.equal({ rooms: opts.rooms, except: opts.except, flags: opts.flags },
    { rooms: ["42"], except: [], flags: {} },
    "and the options io.to(room).emit() gives: {rooms: [room], except: [], flags: {}}");
  const mine = [];
  new Emitter({ publish: (chan, msg) => mine.push({ chan, msg }) })
    .to("42").emit("chat", { userId: 7, message: first, roomName: "42" });
  const sorted = (v) => JSON.parse(JSON.stringify(v, (key, x) =>
    x && typeof x === "object" && !Array.isArray(x) ?
      Object.fromEntries(Object.entries(x).sort()) : x));
  t.equal([raw[0].chan, sorted(msgpack.decode(raw[0].msg))],
    [mine[0].chan, sorted(msgpack.decode(mine[0].msg))],
    "the channel and message @socket.io/redis-emitter 5 writes for the same emit (its map order aside)");
  const [eu, ep, eo] = msgpack.decode(mine[0].msg);
  const adapterOrder = msgpack.encode([eu, ep,
    { rooms: eo.rooms, except: eo.except, flags: eo.flags }]);
  t.check(Buffer.compare(raw[0].msg, adapterOrder) === 0,
    "byte for byte, but for opts in the adapter's key order {rooms, except, flags}",
    { ours: raw[0].msg.toString("hex"), emitter: mine[0].msg.toString("hex") });

  // The control socket's path sends the same payload (georoomd --redis
  // passes it on to Node's member too).
  r = await geoput(["--hub", CTL, "--id", "42", "--lon", "2", "--lat", "3",
    "--user", "7", "--prop", "tag=viahub"]);
  t.equal(r.status, 0, "geoput over the control socket exits 0");
  const viaHub = stored(r);
  for (const s of both) await rec[s].until("viahub");
  t.equal(rec.n.get("viahub"), { userId: 7, message: viaHub, roomName: "42" },
    "and Node's member hears the same shape of payload through georoomd");
  t.equal(Object.keys(rec.g.get("viahub")), Object.keys(rec.g.get("first")),
    "in the same key order as through Redis");

  // Others hear nothing: room 43's members and the /fleet members.
  await geoput(["-q", "--redis", REDIS, "--id", "43", "--lon", "1",
    "--lat", "1", "--prop", "tag=barrier43"]);
  await rec.outG.until("barrier43");
  await rec.outN.until("barrier43");
  t.equal([rec.outG.seen.length, rec.outN.seen.length, rec.nf.seen.length, rec.gf.seen.length],
    [1, 1, 0, 0], "members of room 43 and of /fleet heard only their own update");
  t.equal(both.map((s) => rec[s].count("barrier43")), [0, 0],
    "and room 42's members nothing of room 43's");

  // GEOROOM_REDIS, and which wins.
  r = await geoput(["-q", "--id", "42", "--lon", "1", "--lat", "1", "--prop",
    "tag=env"], { env: { GEOROOM_REDIS: REDIS, GEOROOM_SOCKET: "/nonexistent" } });
  t.equal([r.status, r.stderr], [0, ""], "GEOROOM_REDIS with no flag: exits 0");
  for (const s of both) await rec[s].until("env");
  t.check(true, "and both members hear it, through Redis rather than $GEOROOM_SOCKET");
  r = await geoput(["-q", "--redis", REDIS, "--id", "42", "--lon", "1",
    "--lat", "1", "--prop", "tag=flagwins"],
    { env: { GEOROOM_REDIS: "redis://127.0.0.1:1" } });
  t.equal([r.status, r.stderr], [0, ""], "--redis wins over GEOROOM_REDIS");
  for (const s of both) await rec[s].until("flagwins");
  r = await geoput(["-q", "--hub", CTL, "--id", "42", "--lon", "1",
    "--lat", "1", "--prop", "tag=hubwins"],
    { env: { GEOROOM_REDIS: "redis://127.0.0.1:1" } });
  t.equal([r.status, r.stderr], [0, ""], "--hub wins over GEOROOM_REDIS");
  await rec.g.until("hubwins");

  // --redis-key: the servers of another key hear it, no one else.
  r = await geoput(["-q", "--redis", REDIS, "--redis-key", "custom", "--id",
    "42", "--lon", "1", "--lat", "1", "--prop", "tag=custom"]);
  t.equal(r.status, 0, "geoput --redis-key custom exits 0");
  await rec.k.until("custom");
  t.equal(rec.k.count("custom"), 1, "the member on the server with key \"custom\" receives it once");
  await geoput(["-q", "--redis", REDIS, "--id", "42", "--lon", "1",
    "--lat", "1", "--prop", "tag=barrier2"]);
  for (const s of both) await rec[s].until("barrier2");
  t.equal(both.map((s) => rec[s].count("custom")), [0, 0],
    "the servers of key socket.io do not");
  t.equal(rec.k.count("barrier2"), 0, "nor does the custom server hear key socket.io");

  // Another namespace, another event.
  r = await geoput(["-q", "--redis", REDIS, "-n", "/fleet", "--id", "42",
    "--lon", "5", "--lat", "6", "--prop", "tag=fleet"]);
  t.equal(r.status, 0, "geoput --redis -n /fleet exits 0");
  await rec.nf.until("fleet");
  await rec.gf.until("fleet");
  t.check(true, "the /fleet members of room 42 on Node and georoomd receive it");
  r = await geoput(["-q", "--redis", REDIS, "--event", "position", "--id",
    "42", "--lon", "7", "--lat", "8", "--prop", "tag=pos"]);
  await rec.nPos.until("pos");
  t.equal(rec.nPos.get("pos").message.geometry.coordinates, [7, 8],
    "--event names the event the room receives");

  // A batch: each record to its room, the last of a repeated id once.
  const batch = [42, 43, 44, 42].map((id, i) => JSON.stringify({
    id, lon: i, lat: i, userId: 100 + i, properties: { tag: `batch${i}` },
  })).join("\n") + "\n";
  r = await geoput(["-q", "--redis", REDIS], { input: batch });
  t.equal(r.status, 0, "a batch of four records exits 0");
  await rec.outN.until("batch1");
  for (const s of both) await rec[s].until("batch3");
  t.equal([rec.n.count("batch0"), rec.n.count("batch3"), rec.outN.count("batch1"),
    rec.g.count("batch3"), rec.outG.count("batch1")], [0, 1, 1, 1, 1],
    "room 42 hears its last record of the batch, room 43 its own, once each");

  for (const s of [g, n, outG, outN, nf, gf, k]) s.disconnect();
  await spy.quit();
  for (const S of [N, K]) {
    S.io.close();
    await Promise.all([S.pub.quit(), S.sub.quit()].map((p) => p.catch(() => {})));
  }
});
