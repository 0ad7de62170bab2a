// hub-jwt.js - georoomd with --jwt-secret or --jwt-public-key, driven by
// the real socket.io-client: tokens refused with their reason, claims held.
// Needs GEOROOMD_PORT, GEOROOM_SOCKET, a hub started with -n /other
// -n /third, and JWT_ALG (HS256, RS256 or ES256) with JWT_KEY, the file of
// the secret or of the private key the hub's key belongs to.  Tokens are minted here
// with node:crypto, apart from georoom's own code.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const { Manager } = require("socket.io-client");
const t = require("./lib");

const ALG = process.env.JWT_ALG;
const KEY = ALG.startsWith("HS") ?
  fs.readFileSync(process.env.JWT_KEY, "utf8").replace(/\r?\n$/, "") :
  crypto.createPrivateKey(fs.readFileSync(process.env.JWT_KEY));
const now = () => Math.floor(Date.now() / 1000);
const b64 = (b) => Buffer.from(b).toString("base64url");

// A compact JWS of 'claims' signed with 'alg' and 'key'.
function mint(claims, { alg = ALG, key = KEY, header = {} } = {}) {
  const input = `${b64(JSON.stringify({ alg, typ: "JWT", ...header }))}.` +
    b64(JSON.stringify(claims));
  let sig;
  if (alg.startsWith("HS")) {
    sig = crypto.createHmac(`sha${alg.slice(2)}`, key).update(input).digest();
  } else if (alg === "RS256") {
    sig = crypto.sign("sha256", Buffer.from(input), key);
  } else if (alg === "ES256") {
    // JWS wants r||s (RFC 7518, section 3.4), not DER.
    sig = crypto.sign("sha256", Buffer.from(input),
      { key, dsaEncoding: "ieee-p1363" });
  } else {
    sig = Buffer.alloc(0);
  }
  return `${input}.${b64(sig)}`;
}

const claims = (sub, more = {}) => ({ sub, exp: now() + 300, ...more });

// Connects with 'opts'; resolves with the socket, or with the Error of
// connect_error (its .message, its .data).
function attempt(ns, opts) {
  const sock = t.io(t.url() + ns, {
    transports: ["websocket"], reconnection: false, forceNew: true, ...opts,
  });
  return t.withTimeout(new Promise((resolve) => {
    sock.once("connect", () => resolve(sock));
    sock.once("connect_error", (err) => { sock.close(); resolve(err); });
  }), 5000, `connect ${ns}`);
}

async function refused(opts, message, code, desc) {
  const r = await attempt("/", opts);
  if (!(r instanceof Error)) {
    r.close();
    return t.check(false, desc, "connected");
  }
  return t.equal({ message: r.message, code: r.data && r.data.code },
    { message, code }, desc);
}

async function connectAs(token, ns = "/") {
  const r = await attempt(ns, { auth: { token } });
  if (r instanceof Error) throw new Error(`refused: ${r.message}`);
  return r;
}

// Each refusal, with its reason.
async function refusals() {
  await refused({}, "no token", "missing", "no token: refused, \"no token\"");
  await refused({ auth: { token: "" } }, "no token", "missing",
    "an empty token is no token");
  await refused({ auth: { token: "abc" } }, "malformed token", "malformed",
    "a token that is not three parts: \"malformed token\"");
  await refused({ auth: { token: 5 } }, "malformed token", "malformed",
    "a token that is not a string: \"malformed token\"");
  const good = mint(claims(5));
  const bad = good.slice(0, -4) + (good.endsWith("AAAA") ? "BAAA" : "AAAA");
  await refused({ auth: { token: bad } }, "bad token signature",
    "bad_signature", "a changed signature: \"bad token signature\"");
  await refused({ auth: { token: mint(claims(5, { exp: now() - 120 })) } },
    "token expired", "expired", "an expired token: \"token expired\"");
  await refused({ auth: { token: mint(claims(5, { nbf: now() + 300 })) } },
    "token not yet valid", "not_yet_valid",
    "a token valid only later: \"token not yet valid\"");
  await refused({ auth: { token: mint(claims(5), { alg: "none" }) } },
    "token algorithm not accepted", "wrong_alg",
    "alg none: \"token algorithm not accepted\"");
  const other = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const wrong = ALG === "ES256" ?
    mint(claims(5), { alg: "HS256", key: "secret" }) :
    mint(claims(5), { alg: "ES256", key: other.privateKey });
  await refused({ auth: { token: wrong } }, "token algorithm not accepted",
    "wrong_alg", `an algorithm not ${ALG}'s: \"token algorithm not accepted\"`);
  await refused({ auth: { token: mint({ exp: now() + 300 }) } },
    "token claims invalid: \"sub\" must be a string or a number",
    "bad_claims", "a token without \"sub\" is refused, saying so");
  await refused({ auth: { token: mint(claims(5, { rooms: "1" })) } },
    "token claims invalid: \"rooms\" must be an array of room names",
    "bad_claims", "a token whose \"rooms\" is no array is refused");
}

// The claims: sub, rooms, publish, private.
async function permissions() {
  const a = await connectAs(mint(claims(5, { rooms: ["1"] })));
  const b = await connectAs(mint(claims(6, { rooms: ["1", "2"] })));
  const chatA = t.recorder(a, "chat");
  const chatB = t.recorder(b, "chat");
  t.check(true, `a valid ${ALG} token connects`);

  t.equal(await a.emitWithAck("join_room", { locationId: 1, userId: 99 }), "1",
    "rooms [\"1\"]: join_room 1 acks \"1\"");
  t.equal(await a.emitWithAck("join_room", { locationId: 2 }),
    { error: "cannot join: the token's rooms do not include this room" },
    "rooms [\"1\"]: join_room 2 is refused with an error ack");
  t.equal(await b.emitWithAck("join_room", { locationId: "1" }), "1",
    "another token joins 1");
  t.equal(await b.emitWithAck("join_room", { locationId: "2" }), "2",
    "and 2, which its rooms list");

  // Room 2's traffic, then a barrier in room 1: a gets only the barrier.
  await b.emitWithAck("chat", { userId: 6, message: "to-2", roomName: "2" });
  await b.emitWithAck("chat", { userId: 6, message: "barrier", roomName: "1" });
  await chatA.until(1);
  t.equal(chatA.values.map((v) => v.message), ["barrier"],
    "the socket refused room 2 receives nothing of room 2");

  const ack = await a.emitWithAck("chat",
    { userId: 99, message: "as-99", roomName: "1" });
  t.equal(ack, { userId: 5, message: "as-99", roomName: "1" },
    "chat claiming userId 99 from sub 5 acks with userId 5");
  await chatB.until(3);
  t.equal(chatB.values[2], { userId: 5, message: "as-99", roomName: "1" },
    "and arrives with userId 5");
  await a.emitWithAck("broadcast", { message: "bc", roomName: "1" });
  await chatB.until(4);
  t.equal(chatB.values[3], { userId: 5, message: "bc", roomName: "1" },
    "a broadcast without userId arrives with the sender's sub");
  await a.emitWithAck("chat",
    { userId: 99, message: { bin: Buffer.from([1, 2, 3]) }, roomName: "1" });
  await chatB.until(5);
  t.check(chatB.values[4].userId === 5 &&
    Buffer.from(chatB.values[4].message.bin).equals(Buffer.from([1, 2, 3])),
    "a chat with a binary attachment arrives whole, with userId 5",
    chatB.values[4]);

  // Without "publish": the rooms joined only.
  t.equal(await a.emitWithAck("chat", { message: "x", roomName: "2" }),
    { error: "cannot send to a room the socket has not joined" },
    "without publish, chat to a room not joined is refused");
  t.equal(await a.emitWithAck("broadcast", { message: "x", roomName: "2" }),
    { error: "cannot send to a room the socket has not joined" },
    "so is broadcast");
  // With it: its rooms, joined or not, and no others.
  const p = await connectAs(mint(claims("feeder", { rooms: [],
    publish: ["2", "fleet-*"] })));
  t.equal(await p.emitWithAck("chat", { message: "pub-2", roomName: "2" }),
    { userId: "feeder", message: "pub-2", roomName: "2" },
    "publish [\"2\"]: chat to room 2, not joined, is sent");
  await chatB.until(6);
  t.equal(chatB.values[5].message, "pub-2", "and reaches room 2");
  t.equal(await p.emitWithAck("chat", { message: "pub-1", roomName: "1" }),
    { error: "cannot send: the token's publish rooms do not include this room" },
    "publish limits chat to its rooms");
  t.equal(await p.emitWithAck("chat", { message: "f", roomName: "fleet-7" }),
    { userId: "feeder", message: "f", roomName: "fleet-7" },
    "a publish pattern \"fleet-*\" covers room fleet-7");
  t.equal(await p.emitWithAck("join_room", { locationId: 1 }),
    { error: "cannot join: the token's rooms do not include this room" },
    "rooms [] joins nothing");

  // private: only to a socket that shares a room.
  const d = await connectAs(mint(claims(7, { rooms: ["3"] })));
  await d.emitWithAck("join_room", { locationId: 3 });
  const privB = t.recorder(b, "private");
  const privD = t.recorder(d, "private");
  t.equal(await a.emitWithAck("private", { to: b.id, userId: 99, message: "hi" }),
    { to: b.id, userId: 5, message: "hi", from: a.id },
    "private to a socket sharing room 1 goes, with userId 5");
  await privB.until(1);
  t.equal(privB.values[0].userId, 5, "and arrives with userId 5");
  t.equal(await a.emitWithAck("private", { to: d.id, message: "psst" }),
    { error: "private reaches only a socket that shares a room with the sender" },
    "private to a socket in no common room is refused");
  await b.emitWithAck("private", { to: a.id, message: "barrier" });
  t.equal(await d.emitWithAck("private", { to: p.id, message: "x" }),
    { error: "private reaches only a socket that shares a room with the sender" },
    "private to a socket in no room at all is refused");
  t.check(privD.values.length === 0, "the socket in room 3 got nothing");

  const listed = await t.control({ op: "sockets" });
  const entry = (listed.sockets || []).find((s) => s.id === a.id);
  t.equal(entry && entry.userIds, [5],
    "the control socket lists the token's sub as the socket's userId");
  for (const s of [a, b, p, d]) s.close();
}

// The Authorization header of the upgrade; one token per namespace.
async function handshakeAndNamespaces() {
  const h = await attempt("/", {
    extraHeaders: { Authorization: `Bearer ${mint(claims(8, { rooms: ["1"] }))}` },
  });
  if (!t.check(!(h instanceof Error),
    "a token in the Authorization: Bearer header connects", h.message)) return;
  await h.emitWithAck("join_room", { locationId: 1 });
  t.equal(await h.emitWithAck("chat", { userId: 1, message: "m", roomName: "1" }),
    { userId: 8, message: "m", roomName: "1" },
    "and its sub is the socket's userId");
  h.close();
  await refused({ auth: { token: "abc" }, extraHeaders:
    { Authorization: `Bearer ${mint(claims(8))}` } }, "malformed token",
    "malformed", "a token in the CONNECT payload is the one checked");
  await refused({ extraHeaders: { Authorization: `Basic ${mint(claims(8))}` } },
    "no token", "missing", "an Authorization header that is not Bearer is no token");

  // One connection, three namespaces: each CONNECT carries its own token.
  const m = new Manager(t.url(), { transports: ["websocket"], reconnection: false });
  const s1 = m.socket("/", { auth: { token: mint(claims(11, { rooms: ["1"] })) } });
  const s2 = m.socket("/other", { auth: { token: mint(claims(12, { rooms: ["1"] })) } });
  const s3 = m.socket("/third", { auth: {} });
  const s3err = t.next(s3, "connect_error");
  await Promise.all([t.next(s1, "connect"), t.next(s2, "connect")]);
  t.check(s1.io.engine === s2.io.engine, "two namespaces over one connection");
  t.equal((await s3err).message, "no token",
    "a namespace's CONNECT without a token is refused on that connection");
  await s1.emitWithAck("join_room", { locationId: 1 });
  await s2.emitWithAck("join_room", { locationId: 1 });
  t.equal([
    (await s1.emitWithAck("chat", { userId: 0, message: "1", roomName: "1" })).userId,
    (await s2.emitWithAck("chat", { userId: 0, message: "2", roomName: "1" })).userId,
  ], [11, 12], "each namespace's socket speaks as its own token's sub");
  t.check(s1.connected && s2.connected,
    "the other namespaces stay connected after the refusal");
  s1.close();
  s2.close();
  s3.close();
}

t.run(async () => {
  await refusals();
  await permissions();
  if (ALG === "HS256") await handshakeAndNamespaces();
});
