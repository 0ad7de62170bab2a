// clustermsg-vectors.js - what @socket.io/redis-adapter 8.x and
// @socket.io/redis-emitter put on Redis, written by the real packages, and
// what a receiving socket.io 4.8 node makes of it for its clients.
//
//   node clustermsg-vectors.js                  print the C vectors
//   node clustermsg-vectors.js --corpus DIR     write fuzz seeds to DIR
//   node clustermsg-vectors.js --live DRIVER    check DRIVER against them
//
// Two nodes (real socket.io servers with the real redis adapter) talk over
// an in-process stand-in for Redis pub/sub, which records every message
// published; one socket.io-client is connected to the second node.  The
// vectors are those messages, the emitter's, and hand-made ones that no
// package writes but a node may receive.  For each, the expected result is
// computed by the packages themselves: notepack.io decodes the payload,
// socket.io-parser's Encoder writes the frame a client gets.
//
// The C vectors (tests/unit/clustermsg_vectors.h) let the unit tests run
// without Node.  --live makes fresh vectors with the installed packages,
// adds random ones, and runs them through the driver
// (tests/conformance/clustermsg-driver.c): it prints "ok DESC" and
// "not ok DESC" lines for tests/prog/lib.sh's node_tap.
"use strict";

const fs = require("fs");
const http = require("http");
const path = require("path");
const readline = require("readline");
const { spawn } = require("child_process");
const { Server } = require("socket.io");
const { io: ioc } = require("socket.io-client");
const { createAdapter } = require("@socket.io/redis-adapter");
const { Emitter } = require("@socket.io/redis-emitter");
const { Encoder, Decoder } = require("socket.io-parser");
const msgpack = require("notepack.io");

// Redis pub/sub, in process: node-redis v4's calls as the adapter makes
// them, every publication recorded.
class Bus {
  constructor() {
    this.log = [];
    this.subs = [];
  }

  client() {
    const bus = this;
    return {
      sSubscribe() {}, // the adapter takes this for node-redis v4
      pSubscribe(pattern, listener) {
        bus.subs.push({ prefix: pattern.slice(0, -1), listener, pattern: true });
      },
      subscribe(channels, listener) {
        for (const c of [].concat(channels)) {
          bus.subs.push({ prefix: c, listener, pattern: false });
        }
      },
      pUnsubscribe() {},
      unsubscribe() {},
      publish(channel, msg) {
        bus.publish(channel, msg);
        return Promise.resolve(1);
      },
      sendCommand(args) { // PUBSUB NUMSUB <channel>
        const n = bus.subs.filter((s) => !s.pattern && s.prefix === args[2]).length;
        return Promise.resolve([args[2], n]);
      },
      on() {},
      off() {},
    };
  }

  publish(channel, msg) {
    const buf = Buffer.from(msg);
    this.log.push({ channel, msg: buf });
    for (const s of this.subs) {
      const hit = s.pattern ? channel.startsWith(s.prefix) : channel === s.prefix;
      if (hit) setImmediate(() => s.listener(buf, Buffer.from(channel)));
    }
  }
}

const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

// Lone surrogates as UTF-8 writers other than notepack.io's short-string
// loop write them.
function wellFormed(v) {
  if (typeof v === "string") return v.toWellFormed();
  if (Buffer.isBuffer(v) || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(wellFormed);
  const o = {};
  for (const k of Object.keys(v)) o[wellFormed(k)] = wellFormed(v[k]);
  return o;
}

// The frame a socket.io 4.8 node sends its clients for a packet it took
// from the bus, and its attachments, as the in-memory adapter encodes it.
function frameOf(packet) {
  const p = { ...packet };
  if (p.nsp === undefined) p.nsp = "/";
  const [text, ...bins] = new Encoder().encode(p);
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

// What the C side's summary of a broadcast must be (clustermsg_summary.c).
function bcastSummary(payload) {
  const [uid, packet, opts] = msgpack.decode(payload);
  const s = { uid, nsp: packet.nsp === undefined ? "/" : packet.nsp };
  Object.assign(s, frameOf(packet));
  s.rooms = opts.rooms || [];
  s.except = opts.except || [];
  s.flags = flagNames(opts.flags);
  if (opts.flags && typeof opts.flags.timeout === "number") s.timeout = opts.flags.timeout;
  return JSON.stringify(s);
}

// The same for a request or a response (the adapter's onrequest and
// onresponse read it so).
function reqSummary(msg) {
  const json = msg[0] === 0x7b;
  const r = json ? JSON.parse(msg.toString()) : msgpack.decode(msg);
  const s = { type: typeof r.type === "number" ? r.type : null, msgpack: !json };
  for (const k of ["requestId", "uid", "sid"]) if (typeof r[k] === "string") s[k] = r[k];
  if (typeof r.room === "string" || typeof r.room === "number") s.room = r.room;
  if (Array.isArray(r.rooms)) s.rooms = r.rooms;
  if (r.opts && typeof r.opts === "object") {
    s.opts = { rooms: r.opts.rooms || [], except: r.opts.except || [],
      flags: flagNames(r.opts.flags) };
    if (r.opts.flags && typeof r.opts.flags.timeout === "number") {
      s.opts.timeout = r.opts.flags.timeout;
    }
  }
  s.close = !!r.close;
  const packetHandled = r.type === 7 || r.type === 9;
  if (r.data !== undefined) s.data = r.data;
  if (Array.isArray(r.sockets)) s.sockets = r.sockets;
  if (typeof r.clientCount === "number") s.clientCount = r.clientCount;
  if (packetHandled && r.packet !== undefined) {
    if (r.type === 7) {
      s.packet = frameOf(r.packet);
    } else {
      const f = frameOf({ type: 3, id: 0, data: [r.packet], nsp: "/" });
      // "30[v]" or "61-0[v]": the value alone, as JSON.stringify writes it.
      const text = f.frame.slice(f.frame.indexOf("["));
      s.packet = { json: JSON.stringify(JSON.parse(text)[0]), att: f.att };
    }
  }
  return JSON.stringify(s);
}

// MessagePack by hand, for what notepack.io never writes.
const mp = {
  str: (s) => { const b = Buffer.from(s, "latin1"); return Buffer.concat([Buffer.from([0xd9, b.length]), b]); },
  fix: (s) => { const b = Buffer.isBuffer(s) ? s : Buffer.from(s); return Buffer.concat([Buffer.from([0xa0 | b.length]), b]); },
  arr: (...xs) => Buffer.concat([Buffer.from([0x90 | xs.length]), ...xs]),
  map: (...kv) => Buffer.concat([Buffer.from([0x80 | (kv.length / 2)]), ...kv]),
  raw: (...bytes) => Buffer.from(bytes),
  enc: (v) => msgpack.encode(v),
};
const stdOpts = mp.enc({ rooms: [], except: [], flags: {} });
// [uid, packet, opts] with a hand-made packet or data.
const withPacket = (packet, opts = stdOpts) => Buffer.concat([Buffer.from([0x93]),
  mp.enc("handmd"), packet, opts]);
const withData = (data) => withPacket(mp.map(mp.fix("type"), mp.raw(2),
  mp.fix("data"), data, mp.fix("nsp"), mp.fix("/")));

function nest(depth, leaf) {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

async function cluster() {
  const bus = new Bus();
  const httpB = http.createServer();
  const ioA = new Server();
  const ioB = new Server(httpB);
  ioA.adapter(createAdapter(bus.client(), bus.client()));
  ioB.adapter(createAdapter(bus.client(), bus.client()));
  for (const io of [ioA, ioB]) io.of("/chat");
  ioB.on("ping", (n, cb) => cb({ pong: n }));
  ioB.on("connection", (socket) => {
    socket.join(["room1", "r#1"]);
    socket.data = { user: "u1", n: 1 };
  });
  await new Promise((r) => httpB.listen(0, "127.0.0.1", r));
  const client = ioc(`http://127.0.0.1:${httpB.address().port}`, {
    transports: ["websocket"], auth: { token: "t" }, query: { q: "1" },
    reconnection: false, forceNew: true,
  });
  await new Promise((resolve, reject) => {
    client.once("connect", resolve);
    client.once("connect_error", reject);
  });
  client.on("q", (buf, x, cb) => cb(Buffer.from("ok"), 2));
  await settle();
  return { bus, ioA, ioB, httpB, client };
}

async function capture(bus, fn) {
  const start = bus.log.length;
  await fn();
  await settle();
  return bus.log.slice(start);
}

async function makeVectors() {
  const c = await cluster();
  const { bus, ioA } = c;
  const bc = [];
  const rq = [];
  const addB = (name, mode, m, why) => bc.push({ name, mode, channel: m.channel,
    msg: m.msg, why });
  // The channel the adapter would publish a hand-made payload on.
  const channelOf = (msg) => {
    try {
      const [, packet, opts] = msgpack.decode(msg);
      const rooms = Array.isArray(opts.rooms) ? opts.rooms : [];
      return `socket.io#${packet.nsp || "/"}#${rooms.length === 1 ? `${rooms[0]}#` : ""}`;
    } catch (e) {
      return "socket.io#/#";
    }
  };
  const hand = (name, mode, msg, why) => bc.push({ name, mode,
    channel: channelOf(msg), msg, why });

  // Broadcasts, as the adapter publishes them.
  const pub = async (name, mode, fn, why) => {
    for (const m of await capture(bus, fn)) addB(name, mode, m, why);
  };
  await pub("text", "exact", () => ioA.emit("chat", { m: 1 }));
  await pub("one room", "exact", () => ioA.to("room1").emit("chat", "hi"));
  await pub("rooms except flags", "exact", () => ioA.to(["a", "b"]).except("c")
    .volatile.compress(false).emit("ev", 1, "two", [3], { four: 4 }, null, true, false));
  await pub("binary", "exact", () => ioA.emit("file", Buffer.from([1, 2, 3]),
    { nested: [Buffer.alloc(0), new Uint8Array([255])] }, "after"));
  await pub("unicode", "exact", () => ioA.emit("u", "h\u00e9llo", "\u{1f600}",
    "\u2028\u2029", "\u0000\u001f\"\\/\u007f\u0080", "\u65e5\u672c\u8a9e".repeat(12),
    "x\ud800".padEnd(40, "y")));
  await pub("numbers", "exact", () => ioA.emit("n", 1.5, 2 ** 53, -0, 0.1, -1, -32,
    -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, 127, 128, 255, 256,
    65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 + 2, 2 ** 63, -(2 ** 63), 1e-7,
    123e-20, 5e-324, -1.5e-10, 2 ** 64 - 2 ** 11, 1.7976931348623157e308 / 2 ** 960));
  await pub("beyond 64 bits", "same", () => ioA.emit("big", 1e21, 2 ** 64,
    -(2 ** 64), 2 ** 70, Number.MAX_VALUE, 1e300),
  "notepack.io writes integers past 2^64 modulo 2^64; the C side writes the " +
    "value it then reads (0 or 3875820019684212700) as the smaller int");
  await pub("namespace and a room with #", "exact", () =>
    ioA.of("/chat").to("r#1").emit("m", "x"));
  await pub("number room", "same", () => ioA.to(42).emit("n"),
    "the C side writes room names as strings");
  await pub("room with NUL", "exact", () => ioA.to("a\u0000b").emit("z"));
  await pub("timeout flag", "exact", () => ioA.timeout(5000).emit("t"));
  await pub("flags in the C order", "exact", () =>
    ioA.volatile.compress(true).timeout(1.5).emit("f"));
  await pub("flags in another order", "same", () =>
    ioA.compress(true).volatile.timeout(100).emit("f"),
  "flags keep the order they were set in; the C side writes its own");
  await pub("long containers", "exact", () => ioA.emit("long",
    Array.from({ length: 20 }, (_, i) => i),
    Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
    "s".repeat(300), Buffer.alloc(300, 7), "t".repeat(40), 70000));
  await pub("index keys", "exact", () => ioA.emit("k",
    { b: 1, 10: 2, 2: 3, a: 4, "01": 5, 4294967294: 6, 4294967295: 7 }));
  await pub("deep", "exact", () => ioA.emit("deep", nest(62, "leaf")));
  await pub("number event name", "exact", () => ioA.emit(7, "seven"));

  // The emitter: uid "emitter", opts in the order {rooms, flags, except}.
  const em = new Emitter(bus.client());
  await pub("emitter", "same", () => em.to("r").except("x").emit("e", Buffer.from("hi")),
    "the emitter writes opts as {rooms, flags, except}");
  await pub("emitter key and namespace", "same", () =>
    new Emitter(bus.client(), { key: "myapp" }).of("/chat").volatile.emit("e", 1),
  "the emitter writes opts as {rooms, flags, except}");

  // What no package writes, but a node may receive.
  hand("repeated and index keys", "same", withData(mp.arr(mp.fix("e"),
    mp.map(mp.fix("b"), mp.raw(1), mp.fix("1"), mp.raw(2), mp.fix("a"), mp.raw(3),
      mp.fix("b"), mp.raw(4), mp.fix("0"), mp.raw(5)))),
  "a repeated key keeps its last value in its first place");
  hand("float 32, NaN, infinities, -0", "same", withData(mp.arr(mp.fix("f"),
    mp.raw(0xca, 0x3f, 0xc0, 0, 0), mp.raw(0xca, 0x3d, 0xcc, 0xcc, 0xcd),
    mp.raw(0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0), mp.raw(0xcb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0),
    mp.raw(0xcb, 0xff, 0xf0, 0, 0, 0, 0, 0, 0), mp.raw(0xcb, 0x80, 0, 0, 0, 0, 0, 0, 0))),
  "NaN and infinities are null in JSON; float 32 is widened");
  hand("not UTF-8", "same", withData(mp.arr(mp.fix("s"),
    mp.fix(Buffer.from([0xff])), mp.fix(Buffer.from([0x61, 0xe2, 0x82])),
    mp.fix(Buffer.from([0xed, 0xa0, 0x80])), mp.fix(Buffer.from([0xf0, 0x9f, 0x98, 0x41])),
    mp.fix(Buffer.from([0xc0, 0x80, 0xf4, 0x90, 0x80, 0x80])),
    mp.map(mp.fix(Buffer.from([0xfe])), mp.raw(1)))),
  "bytes that are not UTF-8 read as U+FFFD");
  hand("__proto__", "same", withData(mp.arr(mp.fix("p"),
    mp.map(mp.fix("__proto__"), mp.raw(1), mp.fix("a"), mp.raw(2)),
    mp.map(mp.fix("__proto__"), mp.map(mp.fix("x"), mp.raw(1))))),
  "notepack.io's assignment sets the prototype: the key is gone");
  hand("no namespace, no flags", "same", withPacket(mp.map(mp.fix("type"), mp.raw(2),
    mp.fix("data"), mp.arr(mp.fix("e"))), mp.enc({ rooms: ["x"] })),
  "written back with nsp and flags");
  hand("an ack id", "decode", withPacket(mp.map(mp.fix("type"), mp.raw(2),
    mp.fix("data"), mp.arr(mp.fix("e")), mp.fix("nsp"), mp.fix("/"),
    mp.fix("id"), mp.raw(7))),
  "socket.io never sends one, and the C side writes none");
  hand("more than [uid, packet, opts]", "same", Buffer.concat([Buffer.from([0x94]),
    mp.enc("handmd"), mp.enc({ type: 2, data: ["e"], nsp: "/" }), stdOpts, mp.enc("x")]),
  "what follows opts is ignored");
  hand("unknown keys", "same", withPacket(mp.enc({ type: 2, data: ["e"], nsp: "/",
    attachments: 3, extra: { a: [1] } }), mp.enc({ rooms: [], except: [],
    flags: { volatile: true, future: 1 }, more: null })),
  "keys a node does not know are ignored");
  hand("larger forms than needed", "same", withPacket(Buffer.concat([mp.raw(0xde, 0, 3),
    mp.str("type"), mp.raw(0xcc, 2), mp.str("data"),
    Buffer.concat([mp.raw(0xdc, 0, 3), mp.str("e"), mp.raw(0xd1, 0, 1),
      mp.raw(0xc5, 0, 1, 9)]), mp.str("nsp"), mp.str("/")])),
  "the C side writes the smallest forms");
  hand("placeholder lookalike", "decode", withData(mp.enc(["e",
    { _placeholder: true, num: 0 }, Buffer.from([1])])),
  "a map that reads as a placeholder is one to a client of a binary packet, " +
    "from a Node node too; encoded back, it is the binary it names");
  hand("placeholder lookalike in a text packet", "exact", withData(mp.enc(["e",
    { _placeholder: true, num: 0 }])), "clients read no placeholders there");
  hand("null rooms", "same", withPacket(mp.enc({ type: 2, data: ["e"], nsp: "/" }),
    mp.enc({ rooms: null, except: null, flags: null })),
  "null lists are empty lists");

  const bad = (name, msg, why) => hand(name, "refuse", msg, why);
  bad("not an array", mp.raw(0x80), "wrong shape");
  bad("two elements", mp.arr(mp.enc("u"), mp.enc({ type: 2, data: ["e"] })), "wrong shape");
  bad("uid not a string", Buffer.concat([mp.raw(0x93, 1),
    mp.enc({ type: 2, data: ["e"] }), stdOpts]), "wrong shape");
  bad("packet not a map", withPacket(mp.enc([2])), "wrong shape");
  bad("type CONNECT", withPacket(mp.enc({ type: 0, data: ["e"], nsp: "/" })),
    "only events are relayed");
  bad("type BINARY_EVENT", withPacket(mp.enc({ type: 5, data: ["e"], nsp: "/" })),
    "socket.io-parser writes BINARY_EVENT itself");
  bad("no data", withPacket(mp.enc({ type: 2, nsp: "/" })), "nothing to send");
  bad("data not an array", withData(mp.enc("e")), "clients refuse it");
  bad("empty data", withData(mp.enc([])), "clients refuse it");
  bad("reserved event", withData(mp.enc(["connect"])), "clients refuse it");
  bad("event name a map", withData(mp.enc([{}])), "clients refuse it");
  bad("NaN event name", withData(mp.arr(mp.raw(0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0))),
    "clients get null for a name, which they refuse");
  bad("placeholder lookalike naming no binary", withData(mp.enc(["e",
    { _placeholder: true, num: 1 }, Buffer.from([1])])),
  "clients refuse the packet (illegal attachments)");
  bad("ext in data", withData(mp.arr(mp.fix("e"), mp.raw(0xd4, 1, 0))), "ext type");
  bad("timestamp in data", withData(mp.arr(mp.fix("e"),
    mp.raw(0xd6, 0xff, 0, 0, 0, 1))), "ext type");
  bad("truncated", bc[0].msg.subarray(0, bc[0].msg.length - 1), "malformed");
  bad("trailing byte", Buffer.concat([bc[0].msg, mp.raw(0xc0)]), "malformed");
  bad("0xc1", withData(mp.arr(mp.fix("e"), mp.raw(0xc1))), "malformed");
  bad("number map key", withData(mp.arr(mp.fix("e"), mp.raw(0x81, 1, 2))),
    "JSON keys are strings");
  bad("too deep", withData(mp.enc(["d", nest(64, 1)])), "deeper than Socket.IO takes");
  bad("too many binaries", withData(mp.enc(["b",
    ...Array.from({ length: 65 }, () => Buffer.from([1]))])), "more than 64 attachments");
  bad("rooms a string", withPacket(mp.enc({ type: 2, data: ["e"], nsp: "/" }),
    mp.enc({ rooms: "abc" })), "wrong shape");
  bad("room a map", withPacket(mp.enc({ type: 2, data: ["e"], nsp: "/" }),
    mp.enc({ rooms: [{}] })), "wrong shape");
  bad("opts not a map", withPacket(mp.enc({ type: 2, data: ["e"], nsp: "/" }),
    mp.enc([])), "wrong shape");
  bad("nsp not a string", withPacket(mp.enc({ type: 2, data: ["e"], nsp: 1 })),
    "wrong shape");
  bad("nsp without /", withPacket(mp.enc({ type: 2, data: ["e"], nsp: "chat" })),
    "not a namespace");
  bad("huge array count", withData(mp.raw(0xdd, 0xff, 0xff, 0xff, 0xff)), "malformed");
  bad("uid not UTF-8", Buffer.concat([mp.raw(0x93), mp.fix(Buffer.from([0xff])),
    mp.enc({ type: 2, data: ["e"], nsp: "/" }), stdOpts]), "identifiers must be UTF-8");
  bad("flags not a map", withPacket(mp.enc({ type: 2, data: ["e"], nsp: "/" }),
    mp.enc({ rooms: [], flags: 1 })), "wrong shape");
  bad("bad ack id", withPacket(mp.enc({ type: 2, data: ["e"], nsp: "/", id: 1.5 })),
    "not an ack id");

  // Requests and responses between the two nodes.
  const addR = (name, mode, m, why) => rq.push({ name, mode, channel: m.channel,
    msg: m.msg, why });
  const req = async (names, fn) => {
    const got = await capture(bus, fn);
    got.forEach((m, i) => {
      const [name, mode] = names[Math.min(i, names.length - 1)];
      addR(`${name}${i >= names.length ? ` ${i}` : ""}`, mode, m);
    });
  };
  await req([["ALL_ROOMS request", "build"], ["ALL_ROOMS response", "build"]],
    () => ioA.of("/").adapter.allRooms());
  await req([["REMOTE_FETCH request", "build"], ["REMOTE_FETCH response", "build"]],
    () => ioA.in("room1").fetchSockets());
  await req([["REMOTE_JOIN request", "build"]],
    () => ioA.in("room1").socketsJoin(["r2", "r3"]));
  await req([["REMOTE_LEAVE request", "build"]],
    () => ioA.in("room1").except("r9").socketsLeave("r2"));
  await req([["REMOTE_DISCONNECT request", "build"]],
    () => ioA.in("nobody").disconnectSockets(true));
  await req([["SERVER_SIDE_EMIT request", "build"]],
    () => ioA.serverSideEmit("hello", { a: 1 }, [2]));
  await req([["SERVER_SIDE_EMIT request with ack", "build"],
    ["SERVER_SIDE_EMIT response", "build"]],
  () => new Promise((resolve) => ioA.serverSideEmit("ping", 1, resolve)));
  await req([["BROADCAST request", "build"], ["BROADCAST_CLIENT_COUNT response", "build"],
    ["BROADCAST_ACK response", "build"]],
  () => ioA.timeout(2000).emitWithAck("q", Buffer.from([9, 8]), "x"));
  const sid = [...c.ioB.of("/").sockets.keys()][0];
  const reqCh = "socket.io-request#/#";
  await req([["SOCKETS request (older adapters)", "parse"], ["SOCKETS response", "build"], ["SOCKETS response of the asking node", "build"]],
    () => bus.publish(reqCh, JSON.stringify({ uid: "legacy", requestId: "abc123",
      type: 0, rooms: ["room1"] })));
  await req([["REMOTE_JOIN of one socket", "parse"], ["REMOTE_JOIN response", "build"]],
    () => bus.publish(reqCh, JSON.stringify({ uid: "legacy", requestId: "def456",
      type: 2, sid, room: "r5" })));
  await req([["REMOTE_LEAVE of one socket", "parse"], ["REMOTE_LEAVE response", "build"]],
    () => bus.publish(reqCh, JSON.stringify({ uid: "legacy", requestId: "ghi789",
      type: 3, sid, room: 5 })));
  await req([["emitter socketsJoin", "build"]], () => em.in("room1").socketsJoin("r7"));
  await req([["emitter socketsLeave", "build"]], () => em.socketsLeave(["r7"]));
  await req([["emitter disconnectSockets", "build"]], () => em.in("none").disconnectSockets());
  await req([["emitter serverSideEmit", "build"]], () => em.serverSideEmit("e", 1));
  const rhand = (name, mode, msg) => rq.push({ name, mode, channel: reqCh,
    msg: Buffer.from(msg) });
  rhand("REMOTE_FETCH in MessagePack", "parse", msgpack.encode({ uid: "mp",
    requestId: "mp1", type: 5, opts: { rooms: ["a"], except: [] } }));
  rhand("BROADCAST in JSON", "parse", JSON.stringify({ uid: "js", requestId: "js1",
    type: 7, packet: { type: 2, data: ["j", 1.5, { b: 1, 1: 2 }], nsp: "/" },
    opts: { rooms: [], except: ["x"], flags: { timeout: 10 } } }));
  rhand("BROADCAST_ACK in JSON", "parse", JSON.stringify({ type: 9, requestId: "js1",
    packet: { a: [1] } }));
  rhand("BROADCAST_ACK of nothing", "parse", msgpack.encode({ type: 9,
    requestId: "js1" }));
  rhand("a Buffer in MessagePack", "parse", msgpack.encode({ type: 6,
    requestId: "b1", data: Buffer.from([1, 2]) }));
  rhand("unknown type", "parse", JSON.stringify({ uid: "u", type: 42 }));
  for (const [name, msg] of [
    ["invalid JSON", "{\"type\":"],
    ["a JSON array", "[1]"],
    ["type not a number", JSON.stringify({ type: "0" })],
    ["requestId not a string", JSON.stringify({ type: 1, requestId: 5 })],
    ["rooms not an array", JSON.stringify({ type: 2, rooms: "a" })],
    ["REMOTE_FETCH without opts", JSON.stringify({ uid: "u", requestId: "r", type: 5 })],
    ["BROADCAST without packet", msgpack.encode({ uid: "u", requestId: "r", type: 7,
      opts: { rooms: [], except: [] } })],
    ["MessagePack array", msgpack.encode([1])],
    ["empty", ""],
  ]) rhand(name, "refuse", msg);

  c.client.close();

  c.ioB.close();
  await new Promise((r) => c.httpB.close(r));
  return { bc, rq };
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

function expected(v, summary) {
  if (v.mode === "refuse") return "";
  try {
    return summary(v.msg);
  } catch (e) {
    throw new Error(`${v.name}: ${e.message}`);
  }
}

function printC({ bc, rq }) {
  const lines = [];
  const p = (s) => lines.push(s);
  p("/*");
  p(" * clustermsg_vectors.h - what @socket.io/redis-adapter 8.3.0, redis-emitter");
  p(" * 5.1.0, notepack.io 3.0.1 and socket.io 4.8 wrote; generated by");
  p(" * tests/node/clustermsg-vectors.js, do not edit.  Each vector: its name,");
  p(" * the channel it came on and the message, in hex, what the C side must");
  p(" * do with it, and the summary it must make of it (cmsummary.h).");
  p(" */");
  p("/* clang-format off */");
  p("struct cmv {\n\tconst char *name;\n\tconst char *channel;\n\tconst char *hex;\n" +
    "\tconst char *mode;\n\tconst char *summary;\n};\n");
  const emit = (arr, summary, tab) => {
    p(`static const struct cmv ${tab}[] = {`);
    for (const v of arr) {
      if (v.why) p(`\t/* ${v.why.replace(/\*\//g, "* /")} */`);
      p(`\t{ ${cstr(v.name)}, "${Buffer.from(v.channel).toString("hex")}",`);
      const hex = v.msg.toString("hex");
      for (let i = 0; i < hex.length; i += 64) {
        p(`\t    "${hex.slice(i, i + 64)}"${i + 64 >= hex.length ? "," : ""}`);
      }
      if (hex.length === 0) p("\t    \"\",");
      p(`\t    ${cstr(v.mode)},`);
      p(`\t    ${cstr(expected(v, summary))} },`);
    }
    p("};\n");
  };
  emit(bc, bcastSummary, "cmv_bcast");
  emit(rq, reqSummary, "cmv_req");
  p("/* clang-format on */");
  process.stdout.write(lines.join("\n") + "\n");
}

function writeCorpus({ bc, rq }, dir) {
  fs.mkdirSync(dir, { recursive: true });
  [...bc, ...rq].forEach((v, i) => {
    const name = `${String(i).padStart(3, "0")}-${v.name.replace(/[^a-z0-9]+/gi, "-")}`;
    fs.writeFileSync(path.join(dir, name), v.msg);
  });
}

// --live

let failures = 0;
function check(cond, desc, detail) {
  console.log(`${cond ? "ok" : "not ok"} ${desc}`);
  if (!cond) {
    failures++;
    if (detail !== undefined) console.log(`# ${JSON.stringify(detail)}`);
  }
  return cond;
}

// One request to the driver, one JSON line back.
function driver(file) {
  const child = spawn(file, [], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  lines.on("line", (l) => waiting.shift()(JSON.parse(l)));
  return {
    ask(cmd, arg) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${cmd} ${arg}\n`);
      });
    },
    close() {
      const exited = new Promise((r) => child.on("exit", (code) => r(code)));
      child.stdin.end();
      return exited;
    },
  };
}

// A value notepack.io writes and JSON carries (bar binaries).
function randomValue(rnd, depth = 0) {
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const strs = ["", "a", "h\u00e9", "\u{1f600}", "\u0000\n\"\\", "\u2028", "\ud800",
    "x\udc00y", "long ".repeat(10), "#", "_placeholder"];
  const nums = [0, -0, 1, -1, 127, 128, -33, 65536, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 60,
    -(2 ** 40), 1.5, 0.1, 1e-7, 1e21, 123456.789, -2.5e-300, 2 ** 64, 1e300];
  const kind = depth > 3 ? pick(["s", "n", "b", "z"]) : pick(["s", "n", "b", "z", "a", "o", "B"]);
  switch (kind) {
    case "s": return pick(strs) + (rnd() < 0.3 ? pick(strs) : "");
    case "n": return rnd() < 0.5 ? pick(nums) : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 30);
    case "b": return rnd() < 0.5;
    case "z": return null;
    case "B": return Buffer.from(Array.from({ length: Math.floor(rnd() * 5) }, () => Math.floor(rnd() * 256)));
    case "a": return Array.from({ length: Math.floor(rnd() * 5) }, () => randomValue(rnd, depth + 1));
    default: {
      const o = {};
      const keys = ["a", "b", "1", "0", "10", "k\u00e9", "", "_placeholder", "num", "z"];
      for (let i = Math.floor(rnd() * 5); i > 0; i--) o[pick(keys)] = randomValue(rnd, depth + 1);
      return o;
    }
  }
}

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What a socket.io node's client-side decoder makes of a frame: the packet
// with its Buffers back.
function decodeFrame(text, bins) {
  const d = new Decoder();
  let got;
  d.on("decoded", (p) => { got = p; });
  d.add(text);
  for (const b of bins) d.add(b);
  return got;
}

// Values as JSON.parse and notepack.io round trips leave them: -0 is 0
// in MessagePack, and integers past 2^64 are what the C side writes.
function same(a, b) {
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) {
    return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  }
  if (typeof a === "number" && typeof b === "number") {
    return a === b || (Number.isNaN(a) && Number.isNaN(b));
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    return a === b;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same(a[k], b[k]));
}

async function live(file) {
  const vec = await makeVectors();
  const d = driver(file);
  for (const v of vec.bc) {
    const got = await d.ask("B", v.msg.toString("hex"));
    if (v.mode === "refuse") {
      check(!got.ok, `broadcast "${v.name}" is refused (${got.reason || "accepted"})`, got);
      continue;
    }
    const want = bcastSummary(v.msg);
    check(got.ok && got.summary === want, `broadcast "${v.name}" decodes as socket.io does`,
      { got, want });
    if (!got.ok || v.mode === "decode") continue;
    if (v.mode === "exact") {
      check(got.reencoded === v.msg.toString("hex"),
        `broadcast "${v.name}" encodes back to the same bytes`, got.reencoded);
    }
    check(got.resummary === got.textsummary,
      `broadcast "${v.name}" decodes the same once encoded back`, got);
  }
  for (const v of vec.rq) {
    const got = await d.ask("R", v.msg.toString("hex"));
    if (v.mode === "refuse") {
      check(!got.ok, `message "${v.name}" is refused (${got.reason || "accepted"})`, got);
      continue;
    }
    const want = reqSummary(v.msg);
    check(got.ok && got.summary === want, `message "${v.name}" parses as the adapter reads it`,
      { got, want });
    if (v.mode === "build") {
      check(got.rebuilt === v.msg.toString("hex"),
        `message "${v.name}" is built byte for byte`, { got: got.rebuilt, want: v.msg.toString("hex") });
    }
  }
  // Random values, both ways.
  const rnd = mulberry32(13);
  let decodeOk = 0;
  let encodeOk = 0;
  const N = 400;
  for (let i = 0; i < N; i++) {
    const value = randomValue(rnd);
    // From a node: notepack.io's payload, read as socket.io would send it.
    const payload = msgpack.encode(["rnd", { type: 2, data: ["r", value], nsp: "/" },
      { rooms: [], except: [], flags: {} }]);
    const got = await d.ask("B", payload.toString("hex"));
    if (got.ok && got.summary === bcastSummary(payload)) decodeOk++;
    else check(false, `random value ${i} decodes as socket.io does`, { value, got });
    // From a client: the frame socket.io-client writes, encoded by the C
    // side, read back by notepack.io as the value the client sent.
    const [text, ...bins] = new Encoder().encode({ type: 2, data: ["r", value], nsp: "/" });
    const json = text.slice(text.indexOf("["));
    const enc = await d.ask("E", JSON.stringify({ uid: "rnd", nsp: "/", json,
      att: bins.map((b) => Buffer.from(b).toString("hex")) }));
    const sent = decodeFrame(text, bins.map((b) => Buffer.from(b)));
    const back = enc.ok ? msgpack.decode(Buffer.from(enc.hex, "hex"))[1].data : undefined;
    const wantBack = wellFormed(sent.data);
    if (enc.ok && same(back, wantBack)) encodeOk++;
    else check(false, `random value ${i} encodes as the client sent it`, { value, enc, back });
  }
  check(decodeOk === N, `${decodeOk}/${N} random payloads decode as socket.io does`);
  check(encodeOk === N, `${encodeOk}/${N} random events encode to the values sent`);
  check(await d.close() === 0, "the driver exits 0 (with no leak, under SANITIZE=1)");
  if (failures > 0) process.exitCode = 1;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === "--live") return live(argv[1]);
  const vec = await makeVectors();
  if (argv[0] === "--corpus") return writeCorpus(vec, argv[1]);
  return printC(vec);
}

main().then(() => process.exit()).catch((e) => {
  console.log(`not ok ${e.stack}`);
  process.exit(1);
});
