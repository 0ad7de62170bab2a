// hub-polling.js - georoomd's HTTP long-polling transport and the upgrade
// to WebSocket, with socket.io-client as applications use it (no options)
// and by hand.  Needs GEOROOMD_PORT and GEOROOM_SOCKET; the mode names the
// hub started: "clients" and "http" a hub with polling and -o
// http://good.example --max-payload 2000; "slow" one with --max-backlog
// 4096; "wsonly" one with --transports websocket; "pollonly" one with
// --transports polling; "limits" one with --max-per-ip 2
// --max-connections 3.
"use strict";
const http = require("http");
const t = require("./lib");

const port = () => Number(process.env.GEOROOMD_PORT);
const base = "/socket.io/?EIO=4&transport=polling";

// One HTTP request on a connection of its own; resolves with
// { status, headers, body }.
function request(method, path, { body, headers = {}, from } = {}) {
  return t.withTimeout(new Promise((resolve, reject) => {
    const h = { ...headers };
    if (body !== undefined) h["content-length"] = Buffer.byteLength(body);
    const req = http.request({ host: "127.0.0.1", port: port(), method, path,
      headers: h, agent: false, localAddress: from }, (res) => {
      let b = "";
      res.setEncoding("utf8");
      res.on("data", (d) => { b += d; });
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: b }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  }), 5000, `${method} ${path}`);
}

async function handshake(headers) {
  const r = await request("GET", base, { headers });
  return { r, open: JSON.parse(r.body.slice(1)) };
}

const get = (sid, headers) => request("GET", `${base}&sid=${sid}`, { headers });
const post = (sid, body, headers) =>
  request("POST", `${base}&sid=${sid}`, { body, headers });

// A socket.io-client socket with the options given (none: the defaults),
// connected.
async function client(opts = {}) {
  const sock = t.io(t.url(), { reconnection: false, forceNew: true, ...opts });
  await t.withTimeout(new Promise((resolve, reject) => {
    sock.once("connect", resolve);
    sock.once("connect_error", (e) => reject(new Error(
      `connect_error: ${e.message} ${e.context ? e.context.responseText : ""}`)));
  }), 5000, "connect");
  return sock;
}

const stat = async (name) => (await t.control({ op: "stats" }))[name];

// Lets a GET just sent reach the hub and wait there, before what must
// find it waiting: the hub shows no sign of a GET that waits.
const settle = () => new Promise((res) => setTimeout(res, 150));

async function clients() {
  // The defaults: polling first, then the upgrade.
  const a = t.io(t.url(), { reconnection: false, forceNew: true });
  const upgraded = t.next(a.io.engine, "upgrade", 5000);
  await t.next(a, "connect");
  t.equal(a.io.engine.transport.name === "polling" ||
    a.io.engine.transport.name === "websocket", true,
    "socket.io-client with no options connects");
  t.equal((await upgraded).name, "websocket",
    "and upgrades to WebSocket by itself");
  const b = await client({ transports: ["polling"] });
  t.equal(b.io.engine.transport.name, "polling", "a polling-only client connects");
  const chatA = t.recorder(a, "chat");
  const chatB = t.recorder(b, "chat");

  t.equal(await a.emitWithAck("join_room", { locationId: 7, userId: 1 }), "7",
    "the upgraded client joins room 7 (ack)");
  t.equal(await b.emitWithAck("join_room", { locationId: 7, userId: 2 }), "7",
    "the polling client joins room 7 (ack)");
  const p1 = { userId: 1, message: { lon: 13.4, lat: 52.5 }, roomName: "7" };
  t.equal(await a.emitWithAck("chat", p1), p1, "chat over WebSocket acks the payload");
  await chatB.until(1);
  t.equal(chatB.values[0], p1, "the polling client receives it");
  const p2 = { userId: 2, message: "x".repeat(3000).slice(0, 1500), roomName: "7" };
  t.equal(await b.emitWithAck("chat", p2), p2, "chat over polling acks the payload");
  await chatA.until(2);
  t.equal(chatA.values[1], p2, "the upgraded client receives it");
  // Many at once: one GET takes them in one payload, in order.
  const many = [];
  for (let i = 0; i < 50; i++) many.push(a.emitWithAck("chat", { userId: 1, message: i, roomName: "7" }));
  await Promise.all(many);
  await chatB.until(52);
  t.equal(chatB.values.slice(2).map((v) => v.message), [...Array(50).keys()],
    "fifty chats reach the polling client, in order");
  t.equal(await b.emitWithAck("leave_room", { locationId: 7, userId: 2 }), "7",
    "the polling client leaves the room (ack)");
  await a.emitWithAck("chat", { userId: 1, message: "after", roomName: "7" });
  await t.control({ op: "emit", room: b.id, event: "chat", data: { message: "barrier" } });
  await chatB.until(53);
  t.equal(chatB.values[52], { message: "barrier" },
    "after leaving it gets no more of the room's chats");
  const st = await t.control({ op: "stats" });
  t.equal([st.polling, st.upgrades >= 1], [1, true],
    "stats count the session on polling and the upgrade");
  const sockets = await t.control({ op: "sockets" });
  t.check(JSON.stringify(sockets).includes(b.id), "the control socket lists the polling socket");
  a.close();
  b.close();
  await t.eventually(async () => (await stat("connections")) === 0, 5000,
    "both sessions end when the clients close");
}

async function httpMode() {
  const { r, open } = await handshake();
  t.equal([r.status, r.headers["content-type"], open.upgrades, open.maxPayload],
    [200, "text/plain; charset=UTF-8", ["websocket"], 2000],
    "a polling handshake answers the open packet, offering the upgrade");
  t.equal(r.headers["access-control-allow-origin"], undefined,
    "no CORS headers without an Origin");
  const sid = open.sid;
  t.equal((await post(sid, "40")).body, "ok", "CONNECT is posted (ok)");
  const c = await get(sid);
  t.check(/^40\{"sid":"[A-Za-z0-9_-]{20}"\}$/.test(c.body), "and its answer comes with the next GET", c.body);
  // Two packets in one POST, their answers in one GET.
  t.equal((await post(sid, '421["join_room",{"locationId":3}]\x1e422["chat",{"roomName":"3","message":"m"}]')).status,
    200, "two packets in one POST, joined by the record separator");
  const two = await get(sid);
  t.equal(two.body.split("\x1e").sort(),
    ['42["chat",{"roomName":"3","message":"m"}]', '431["3"]', '432[{"roomName":"3","message":"m"}]'].sort(),
    "their acks and the chat come back in one payload");
  // A GET waits for packets, and a control emit releases it.
  const waiting = get(sid);
  await settle();
  await t.control({ op: "emit", room: "3", event: "chat", data: "later" });
  t.equal((await waiting).body, '42["chat","later"]', "a waiting GET is answered when a packet comes");

  // CORS: the allowed origin, its preflight, a refused one.
  const o = { origin: "http://good.example" };
  const pre = await request("OPTIONS", `${base}&sid=${sid}`, {
    headers: { ...o, "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,x-custom" } });
  t.equal([pre.status, pre.headers["access-control-allow-origin"],
    pre.headers["access-control-allow-credentials"],
    pre.headers["access-control-allow-methods"], pre.headers["access-control-allow-headers"]],
  [204, "http://good.example", "true", "GET, POST", "authorization,x-custom"],
  "a CORS preflight is answered 204 with the origin, credentials, methods and headers");
  const wait2 = get(sid, o);
  await t.control({ op: "emit", room: "3", event: "chat", data: "cors" });
  const g2 = await wait2;
  t.equal([g2.headers["access-control-allow-origin"], g2.headers["access-control-allow-credentials"]],
    ["http://good.example", "true"], "a GET from the allowed origin gets CORS headers");
  t.equal((await get(sid, { origin: "http://evil.example" })).status, 403,
    "a request from another origin is refused 403");
  t.equal((await handshake({ origin: "http://evil.example" }).catch(() => ({ r: { status: 403 } }))).r.status,
    403, "and so is its handshake");

  // Limits: a POST over --max-payload, two GETs at once.
  const big = await post(sid, "4" + "2".repeat(2000));
  t.equal([big.status, big.headers.connection], [413, "close"],
    "a POST over --max-payload is refused 413 before it is read");
  const s2 = (await handshake()).open.sid;
  const first = get(s2);
  await settle();
  const second = await get(s2);
  t.equal(second.status, 400, "a second GET while one waits is refused 400");
  t.equal((await first).body, "1", "and the session closes: the waiting GET gets a close packet");
  t.equal((await get(s2)).status, 400, "the session is gone");
  // A close packet from the client: a waiting GET gets a noop.
  const s3 = (await handshake()).open.sid;
  const w3 = get(s3);
  await settle();
  t.equal((await post(s3, "1")).status, 200, "a close packet is posted");
  t.equal((await w3).body, "6", "the waiting GET is released with a noop");
  t.equal((await get(s3)).status, 400, "and the session is gone");
  // Bad input closes the session.
  const s4 = (await handshake()).open.sid;
  t.equal((await post(s4, "bA")).status, 400, "a payload whose base64 is bad is refused");
  t.equal((await get(s4)).status, 400, "and ends the session");
  t.equal((await get("nosuchsession")).status, 400, "an unknown sid is refused 400");
  t.equal((await request("PUT", base)).status, 400, "PUT is refused 400");
  t.equal((await request("POST", base, { body: "40" })).status, 400,
    "a handshake by POST is refused 400");

  // The upgrade by hand: probe, upgrade, the session's packets follow.
  const s5 = (await handshake()).open.sid;
  await post(s5, "40");
  await get(s5);
  const ws = await t.rawSocket(`EIO=4&transport=websocket&sid=${s5}`);
  const held = get(s5);
  ws.send("2probe");
  t.equal(await ws.nextMessage(), "3probe", "the probe is answered 3probe");
  t.equal((await held).body, "6", "a waiting GET is released with a noop");
  ws.send("5");
  await t.waitFor(async () => (await stat("upgrades")) >= 1, 5000, "upgrade counted");
  t.equal((await get(s5)).status, 400, "after the upgrade, polling requests are refused");
  ws.send('42["join_room",{"locationId":9}]');
  await t.control({ op: "emit", room: "9", event: "chat", data: "ws" });
  t.equal(await ws.nextMessage(), '42["chat","ws"]',
    "the session, its socket and rooms, goes on over the WebSocket");
  const again = new t.WebSocket(`ws://127.0.0.1:${port()}/socket.io/?EIO=4&transport=websocket&sid=${s5}`);
  again.on("error", () => {});
  t.check(typeof (await t.next(again, "close")) === "number",
    "a second WebSocket with the same sid is closed");
  ws.close();
}

async function slow() {
  // A client that stops polling: its backlog fills and it is dropped.
  const { open } = await handshake();
  const sid = open.sid;
  await post(sid, "40");
  await get(sid);
  await post(sid, '421["join_room",{"locationId":5}]');
  t.equal((await get(sid)).body, '431["5"]', "a polling client joins a room");
  const before = await stat("dropped_slow");
  for (let i = 0; i < 8; i++)
    await t.control({ op: "emit", room: "5", event: "chat", data: "y".repeat(1000) });
  t.equal(await stat("dropped_slow"), before + 1,
    "a polling client that does not read is dropped at --max-backlog");
  t.equal((await get(sid)).status, 400, "its session is gone at once");
  await t.eventually(async () => (await stat("connections")) === 0, 5000,
    "and no longer counted");
  // One that reads while it waits gets the close packet.
  const s2 = (await handshake()).open.sid;
  await post(s2, "40");
  await get(s2);
  await post(s2, '421["join_room",{"locationId":6}]');
  await get(s2);
  const w = get(s2);
  await settle();
  const big = "z".repeat(3000);
  await t.controlMany([{ op: "emit", room: "6", event: "chat", data: big },
    { op: "emit", room: "6", event: "chat", data: big }]);
  t.equal((await w).body, "1",
    "a GET waiting while the backlog overflows in one round gets the close packet");
}

async function wsonly() {
  const r = await request("GET", base);
  t.equal([r.status, r.body], [400, '{"code":0,"message":"Transport unknown"}'],
    "with --transports websocket a polling request is refused at once");
  await request("GET", base);
  t.equal(await stat("refused_polling"), 2, "both count in refused_polling");
  const sock = await client({ transports: ["websocket"] });
  t.check(sock.connected, "a WebSocket client still connects");
  sock.close();
}

async function pollonly() {
  const { open } = await handshake();
  t.equal(open.upgrades, [], "with --transports polling no upgrade is offered");
  const ws = new t.WebSocket(`ws://127.0.0.1:${port()}/socket.io/?EIO=4&transport=websocket`);
  const err = await t.next(ws, "error");
  t.check(/400/.test(err.message), "and WebSocket handshakes are refused 400", err.message);
  const sock = await client();
  t.equal(sock.io.engine.transport.name, "polling", "socket.io-client with no options connects over polling");
  t.equal(await sock.emitWithAck("join_room", { locationId: 1 }), "1", "and joins a room");
  sock.close();
}

async function limits() {
  // --max-per-ip 2 --max-connections 3: sessions on polling count, though
  // they hold no connection between their requests.
  const from = (a) => request("GET", base, { from: a });
  const codes = [];
  for (const a of ["127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.3"])
    codes.push((await from(a)).status);
  t.equal(codes, [200, 200, 429, 200, 503],
    "polling sessions count for --max-per-ip and --max-connections");
  t.equal(await stat("connections"), 3, "three sessions are open, no request is");
}

const modes = { clients, http: httpMode, slow, wsonly, pollonly, limits };
t.run(modes[process.argv[2]]);
