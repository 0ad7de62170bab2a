// shardmsg-vectors.js - what @socket.io/redis-adapter 8.x's sharded
// adapter (socket.io-adapter's ClusterAdapter messages) puts on Redis,
// written by the real packages, and what they make of it.
//
//   node shardmsg-vectors.js                  print the C vectors
//   node shardmsg-vectors.js --corpus DIR     write fuzz seeds to DIR
//
// Two socket.io 4.8 servers with createShardedAdapter talk over an
// in-process stand-in for Redis sharded pub/sub, which records every
// message published; a socket.io-client is connected to the second.  The
// vectors are those messages and hand-made ones a node may receive; the
// summary each must parse to is computed here from what notepack.io or
// JSON.parse make of it, as the adapter's onMessage() reads it, and
// socket.io-parser's Encoder writes a broadcast's frame for clients.
// tests/unit/test_shardmsg.c checks the C codec against them
// (tests/unit/shardmsg_vectors.h, generated, checked in).
"use strict";

const fs = require("fs");
const http = require("http");
const path = require("path");
const { Server } = require("socket.io");
const { io: ioc } = require("socket.io-client");
const { createShardedAdapter } = require("@socket.io/redis-adapter");
const { Encoder } = require("socket.io-parser");
const msgpack = require("notepack.io");

// Redis sharded pub/sub, in process: node-redis v4's calls as the
// adapter makes them, every publication recorded.
class Bus {
  constructor() {
    this.log = [];
    this.subs = new Map();
  }

  client() {
    const bus = this;
    return {
      sSubscribe(channels, listener) {
        for (const c of [].concat(channels)) {
          if (!bus.subs.has(c)) bus.subs.set(c, []);
          bus.subs.get(c).push(listener);
        }
      },
      sUnsubscribe(channels) {
        for (const c of [].concat(channels)) bus.subs.delete(c);
      },
      sPublish(channel, msg) {
        bus.publish(channel, msg);
        return Promise.resolve(1);
      },
      sendCommand(args) { // PUBSUB SHARDNUMSUB <channel>
        return Promise.resolve([args[2], (bus.subs.get(args[2]) || []).length]);
      },
      on() {},
      off() {},
    };
  }

  publish(channel, msg) {
    const buf = Buffer.from(msg);
    this.log.push({ channel, msg: buf });
    for (const l of this.subs.get(channel) || []) {
      setImmediate(() => l(buf, Buffer.from(channel)));
    }
  }
}

const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

// The frame a socket.io 4.8 node sends its clients for a packet, as the
// receiving adapter's broadcast() sets its namespace.
function frameOf(packet, nsp) {
  const [text, ...bins] = new Encoder().encode({ ...packet, nsp });
  return { frame: text, att: bins.map((b) => Buffer.from(b).toString("hex")) };
}

// The flags as the C side names them (clustermsg.h), in its bit order.
function flagNames(flags) {
  const out = [];
  if (!flags || typeof flags !== "object" || Array.isArray(flags)) return out;
  const has = (k) => Object.prototype.hasOwnProperty.call(flags, k);
  if (has("volatile") && flags.volatile) out.push("volatile");
  if (flags.compress === true) out.push("compress");
  if (flags.compress === false) out.push("nocompress");
  if (has("local") && flags.local) out.push("local");
  if (typeof flags.timeout === "number") out.push("timeout");
  if (has("expectSingleResponse") && flags.expectSingleResponse) out.push("single");
  if (has("broadcast") && flags.broadcast) out.push("broadcast");
  if (has("binary") && flags.binary) out.push("binary");
  return out;
}

// What the C side's summary of a message must be (cmsummary_shard()).
function summary(raw) {
  const json = raw[0] === 0x7b;
  const m = json ? JSON.parse(raw.toString()) : msgpack.decode(raw);
  const s = { type: typeof m.type === "number" ? m.type : null, msgpack: !json };
  if (typeof m.uid === "string") s.uid = m.uid;
  if (typeof m.nsp === "string") s.nsp = m.nsp;
  const d = m.data && typeof m.data === "object" ? m.data : {};
  if (typeof d.requestId === "string") s.requestId = d.requestId;
  if (d.opts && typeof d.opts === "object") {
    s.opts = { rooms: d.opts.rooms || [], except: d.opts.except || [],
      flags: flagNames(d.opts.flags) };
    if (d.opts.flags && typeof d.opts.flags.timeout === "number") {
      s.opts.timeout = d.opts.flags.timeout;
    }
  }
  if (Array.isArray(d.rooms)) s.rooms = d.rooms;
  s.close = !!d.close;
  if (d.packet !== undefined) {
    if (m.type === 3) {
      s.packet = frameOf(d.packet, m.nsp);
    } else if (m.type === 12) {
      const f = frameOf({ type: 3, id: 0, data: [d.packet] }, "/");
      const text = f.frame.slice(f.frame.indexOf("["));
      s.packet = { json: JSON.stringify(JSON.parse(text)[0]), att: f.att };
    } else {
      s.packet = JSON.parse(JSON.stringify(d.packet));
    }
  }
  if (Array.isArray(d.sockets)) s.sockets = d.sockets;
  if (typeof d.clientCount === "number") s.clientCount = d.clientCount;
  return JSON.stringify(s);
}

async function makeVectors() {
  const bus = new Bus();
  const httpB = http.createServer();
  const ioA = new Server();
  const ioB = new Server(httpB);
  ioA.adapter(createShardedAdapter(bus.client(), bus.client()));
  ioB.adapter(createShardedAdapter(bus.client(), bus.client()));
  for (const io of [ioA, ioB]) io.of("/chat");
  ioB.on("ping", (n, cb) => cb({ pong: n }));
  ioB.on("connection", (socket) => {
    socket.join(["room1", "r#1"]);
    socket.data = { user: "u1", n: 1 };
  });
  await new Promise((r) => httpB.listen(0, "127.0.0.1", r));
  const client = ioc(`http://127.0.0.1:${httpB.address().port}`, {
    transports: ["websocket"], auth: { token: "t" }, reconnection: false, forceNew: true,
  });
  await new Promise((resolve, reject) => {
    client.once("connect", resolve);
    client.once("connect_error", reject);
  });
  client.on("q", (buf, cb) => cb(Buffer.from("ok")));
  client.on("q2", (cb) => cb({ a: [1, "é"] }));
  client.on("q3", (cb) => cb());
  await settle();

  const vec = [];
  const add = (names, got) => got.forEach((m, i) => {
    const [name, mode] = names[Math.min(i, names.length - 1)];
    vec.push({ name: `${name}${i >= names.length ? ` ${i}` : ""}`, mode,
      channel: m.channel, msg: m.msg });
  });
  const cap = async (names, fn) => {
    const start = bus.log.length;
    await fn();
    await settle();
    add(names, bus.log.slice(start));
  };
  const sid = [...ioB.of("/").sockets.keys()][0];

  await cap([["BROADCAST", "build"]], () => ioA.emit("chat", { m: 1 }));
  await cap([["BROADCAST to one room", "build"]], () => ioA.to("room1").emit("chat", "hi"));
  await cap([["BROADCAST rooms except flags", "build"]], () => ioA.to(["a", "b"]).except("c")
    .volatile.compress(false).emit("ev", 1, "two", [3], { four: 4 }, null, true, false));
  await cap([["BROADCAST to a socket", "build"]], () => ioA.to(sid).emit("direct", 1));
  await cap([["BROADCAST binary", "build"]], () => ioA.emit("file", Buffer.from([1, 2, 3]),
    { nested: [Buffer.alloc(0), new Uint8Array([255])] }, "after"));
  await cap([["BROADCAST namespace and room with #", "build"]], () =>
    ioA.of("/chat").to("r#1").emit("m", "x"));
  await cap([["BROADCAST unicode", "build"]], () => ioA.emit("u", "h\u00e9llo", "\u{1f600}",
    "\u2028", "\u0000\u001f\"\\/"));
  await cap([["BROADCAST with ack, binary", "build"], ["BROADCAST_CLIENT_COUNT", "build"],
    ["BROADCAST_ACK binary", "build"]],
  () => ioA.timeout(2000).emitWithAck("q", Buffer.from([9, 8])));
  await cap([["BROADCAST with ack", "build"], ["BROADCAST_CLIENT_COUNT", "build"],
    ["BROADCAST_ACK", "build"]], () => ioA.to("room1").timeout(2000).emitWithAck("q2"));
  await cap([["BROADCAST with ack", "build"], ["BROADCAST_CLIENT_COUNT", "build"],
    ["BROADCAST_ACK of nothing", "build"]], () => ioA.timeout(2000).emitWithAck("q3"));
  await cap([["FETCH_SOCKETS", "build"], ["FETCH_SOCKETS_RESPONSE", "build"]],
    () => ioA.in("room1").fetchSockets());
  await cap([["SOCKETS_JOIN", "build"]], () => ioA.in("room1").socketsJoin(["r2", "r3"]));
  await cap([["SOCKETS_LEAVE", "build"]], () => ioA.in("room1").except("r9").socketsLeave("r2"));
  await cap([["DISCONNECT_SOCKETS", "build"]], () => ioA.in("nobody").disconnectSockets(true));
  await cap([["SERVER_SIDE_EMIT", "build"]], () => ioA.serverSideEmit("hello", { a: 1 }, [2]));
  await cap([["SERVER_SIDE_EMIT with ack", "parse"], ["SERVER_SIDE_EMIT_RESPONSE", "parse"]],
    () => new Promise((resolve) => ioA.serverSideEmit("ping", 1, resolve)));

  // What no package writes, but a node may receive.
  const main = "socket.io#/#";
  const hand = (name, mode, msg) => vec.push({ name, mode, channel: main, msg: Buffer.from(msg) });
  const J = (o) => JSON.stringify(o);
  const std = { rooms: [], except: [], flags: {} };
  hand("number rooms", "parse", J({ type: 4, data: { opts: { rooms: [42], except: [] },
    rooms: [7, "x"] }, uid: "u", nsp: "/" }));
  hand("BROADCAST in MessagePack without binary", "parse", msgpack.encode({ type: 3,
    data: { packet: { type: 2, data: ["e", 1.5] }, opts: std }, uid: "u", nsp: "/" }));
  hand("BROADCAST with the packet's own nsp", "parse", J({ type: 3, data: {
    packet: { type: 2, data: ["e"], nsp: "/chat" }, opts: std }, uid: "u", nsp: "/" }));
  hand("heartbeat", "parse", J({ type: 2, uid: "u", nsp: "/" }));
  hand("unknown type", "parse", J({ type: 42, uid: "u", nsp: "/", data: { x: 1 } }));
  hand("keys in another order", "parse", msgpack.encode({ nsp: "/", uid: "u",
    data: { opts: std, packet: { type: 2, data: ["e"] } }, type: 3 }));
  hand("a Buffer outside the packet", "parse", msgpack.encode({ type: 9,
    data: { packet: ["e", Buffer.from([1, 2])] }, uid: "u", nsp: "/" }));
  for (const [name, msg] of [
    ["invalid JSON", "{\"type\":"],
    ["a JSON array", "[1]"],
    ["empty", ""],
    ["MessagePack array", msgpack.encode([1])],
    ["type not a number", J({ type: "3", data: {} })],
    ["uid not a string", J({ type: 2, uid: 1 })],
    ["data not an object", J({ type: 4, data: [1], uid: "u", nsp: "/" })],
    ["BROADCAST without data", J({ type: 3, uid: "u", nsp: "/" })],
    ["BROADCAST without opts", J({ type: 3, data: { packet: { type: 2, data: ["e"] } } })],
    ["BROADCAST without packet", J({ type: 3, data: { opts: std } })],
    ["BROADCAST of a CONNECT", J({ type: 3, data: { packet: { type: 0, data: ["e"] },
      opts: std } })],
    ["BROADCAST of a reserved event", J({ type: 3, data: { packet: { type: 2,
      data: ["connect"] }, opts: std } })],
    ["opts rooms a string", J({ type: 6, data: { opts: { rooms: "abc" } } })],
    ["SOCKETS_JOIN without rooms", J({ type: 4, data: { opts: std } })],
    ["FETCH_SOCKETS without requestId", J({ type: 7, data: { opts: std } })],
    ["FETCH_SOCKETS_RESPONSE without sockets", J({ type: 8, data: { requestId: "r" } })],
    ["BROADCAST_CLIENT_COUNT without a count", J({ type: 11, data: { requestId: "r" } })],
    ["requestId not a string", J({ type: 12, data: { requestId: 5 } })],
    ["SERVER_SIDE_EMIT packet not an array", J({ type: 9, data: { packet: "e" } })],
    ["bytes after the message", Buffer.concat([msgpack.encode({ type: 2 }), Buffer.from([0xc0])])],
  ]) hand(name, "refuse", msg);

  client.close();
  ioB.close();
  await new Promise((r) => httpB.close(r));
  return vec;
}

// C string literal: octal escapes, which no following digit can extend
// past three.
function cstr(s) {
  const b = Buffer.from(s);
  let out = "\"";
  for (const c of b) {
    if (c === 0x22 || c === 0x5c) out += "\\" + String.fromCharCode(c);
    else if (c >= 0x20 && c < 0x7f && c !== 0x3f) out += String.fromCharCode(c);
    else out += "\\" + c.toString(8).padStart(3, "0");
  }
  return out + "\"";
}

function printC(vec) {
  const lines = [];
  const p = (s) => lines.push(s);
  p("/*");
  p(" * shardmsg_vectors.h - what @socket.io/redis-adapter 8.3.0's sharded adapter,");
  p(" * socket.io-adapter 2.5, notepack.io 3.0.1 and socket.io 4.8 wrote; generated");
  p(" * by tests/node/shardmsg-vectors.js, do not edit.  Each vector: its name, the");
  p(" * channel it came on and the message, in hex, what the C side must do with");
  p(" * it, and the summary it must make of it (cmsummary_shard()).");
  p(" */");
  p("/* clang-format off */");
  p("struct smv {\n\tconst char *name;\n\tconst char *channel;\n\tconst char *hex;\n" +
    "\tconst char *mode;\n\tconst char *summary;\n};\n");
  p("static const struct smv smv[] = {");
  for (const v of vec) {
    p(`\t{ ${cstr(v.name)}, "${Buffer.from(v.channel).toString("hex")}",`);
    const hex = v.msg.toString("hex");
    for (let i = 0; i < hex.length; i += 64) {
      p(`\t    "${hex.slice(i, i + 64)}"${i + 64 >= hex.length ? "," : ""}`);
    }
    if (hex.length === 0) p("\t    \"\",");
    p(`\t    ${cstr(v.mode)},`);
    p(`\t    ${cstr(v.mode === "refuse" ? "" : summary(v.msg))} },`);
  }
  p("};\n");
  p("/* clang-format on */");
  process.stdout.write(lines.join("\n") + "\n");
}

function writeCorpus(vec, dir) {
  fs.mkdirSync(dir, { recursive: true });
  vec.forEach((v, i) => {
    const name = `${String(i).padStart(3, "0")}-${v.name.replace(/[^a-z0-9]+/gi, "-")}`;
    fs.writeFileSync(path.join(dir, name), v.msg);
  });
}

async function main() {
  const argv = process.argv.slice(2);
  const vec = await makeVectors();
  if (argv[0] === "--corpus") return writeCorpus(vec, argv[1]);
  return printC(vec);
}

main().then(() => process.exit()).catch((e) => {
  console.error(e.stack);
  process.exit(1);
});
