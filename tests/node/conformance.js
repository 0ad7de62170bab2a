// conformance.js - the conformance server answers as the official
// Socket.IO protocol suite expects: over raw WebSocket frames, and over
// HTTP long-polling by hand, with the upgrade between them, as the suite's
// Engine.IO tests drive them.
"use strict";
const http = require("http");
const t = require("./lib");

const base = "/socket.io/?EIO=4&transport=polling";

// One HTTP request on a connection of its own: { status, body }.
function request(method, path, body) {
  return t.withTimeout(new Promise((resolve, reject) => {
    const headers = body !== undefined ? { "content-length": Buffer.byteLength(body) } : {};
    const req = http.request({ host: "127.0.0.1", port: Number(process.env.GEOROOMD_PORT),
      method, path, headers, agent: false }, (res) => {
      let b = "";
      res.setEncoding("utf8");
      res.on("data", (d) => { b += d; });
      res.on("end", () => resolve({ status: res.statusCode, body: b }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  }), 5000, `${method} ${path}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function polling() {
  const h = await request("GET", base);
  const open = JSON.parse(h.body.slice(1));
  t.equal([h.status, Object.keys(open).sort(), open.upgrades, open.pingInterval,
    open.pingTimeout, open.maxPayload],
  [200, ["maxPayload", "pingInterval", "pingTimeout", "sid", "upgrades"], ["websocket"],
    300, 200, 1000000], "a polling handshake has the suite's settings and offers websocket");
  const codes = [];
  for (const [m, q] of [["GET", "/socket.io/?transport=polling"],
    ["GET", "/socket.io/?EIO=abc&transport=polling"], ["GET", "/socket.io/?EIO=4"],
    ["GET", "/socket.io/?EIO=4&transport=abc"], ["POST", base], ["PUT", base]])
    codes.push((await request(m, q, m === "GET" ? undefined : "")).status);
  t.equal(codes, [400, 400, 400, 400, 400, 400],
    "a bad EIO, transport or method is refused 400");

  // Heartbeat: three pings answered by POST.
  const sid = open.sid;
  const pings = [];
  for (let i = 0; i < 3; i++) {
    const g = await request("GET", `${base}&sid=${sid}`);
    pings.push([g.status, g.body]);
    pings.push([(await request("POST", `${base}&sid=${sid}`, "3")).status]);
  }
  t.equal(pings, [[200, "2"], [200], [200, "2"], [200], [200, "2"], [200]],
    "pings come with GETs and pongs go by POST");
  const quiet = JSON.parse((await request("GET", base)).body.slice(1)).sid;
  await sleep(300 + 200);
  t.equal((await request("GET", `${base}&sid=${quiet}`)).status, 400,
    "a session that did not answer its ping is gone");

  // Close by the client while a GET waits.
  const c = JSON.parse((await request("GET", base)).body.slice(1)).sid;
  const waiting = request("GET", `${base}&sid=${c}`);
  await sleep(50);
  await request("POST", `${base}&sid=${c}`, "1");
  t.equal(await waiting, { status: 200, body: "6" }, "a close packet releases the waiting GET with a noop");
  t.equal((await request("GET", `${base}&sid=${c}`)).status, 400, "and the session is gone");

  // Socket.IO over polling, a binary event with its attachments as base64.
  const s = JSON.parse((await request("GET", base)).body.slice(1)).sid;
  await request("POST", `${base}&sid=${s}`, "40");
  const got = [];
  while (got.length < 2) {
    const g = await request("GET", `${base}&sid=${s}`);
    got.push(...g.body.split("\x1e").filter((p) => p !== "2"));
  }
  t.check(/^40\{"sid":"[A-Za-z0-9_-]{20}"\}$/.test(got[0]) && got[1] === '42["auth",{}]',
    "CONNECT and auth come over polling", got);
  await request("POST", `${base}&sid=${s}`,
    '452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]\x1ebAQID\x1ebBAUG');
  let back = [];
  while (back.length < 3) {
    const g = await request("GET", `${base}&sid=${s}`);
    back.push(...g.body.split("\x1e").filter((p) => p !== "2"));
  }
  t.equal(back, ['452-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
    "bAQID", "bBAUG"], "a binary event comes back with its attachments in base64");

  // The upgrade: probe, upgrade, then polling and a second WebSocket are
  // refused.
  const u = JSON.parse((await request("GET", base)).body.slice(1)).sid;
  const ws = await t.rawSocket(`EIO=4&transport=websocket&sid=${u}`);
  ws.send("2probe");
  t.equal(await ws.nextMessage(), "3probe", "the probe is answered");
  ws.send("5");
  await sleep(50);
  t.equal((await request("GET", `${base}&sid=${u}`)).status, 400,
    "polling requests of an upgraded session are refused");
  const again = new t.WebSocket(`ws://127.0.0.1:${process.env.GEOROOMD_PORT}/socket.io/?EIO=4&transport=websocket&sid=${u}`);
  again.on("error", () => {});
  t.check(typeof (await t.next(again, "close")) === "number",
    "a second WebSocket with the same sid is closed");
  ws.close();
}

async function session(ns, connectPayload) {
  const ws = await t.rawSocket();
  const open = JSON.parse((await ws.nextMessage()).slice(1));
  ws.send(`40${ns === "/" ? "" : ns + ","}${connectPayload || ""}`);
  const reply = await ws.nextMessage();
  return { ws, open, reply };
}

t.run(async () => {
  const { ws, open, reply } = await session("/", '{"token":"123"}');
  t.equal([open.upgrades, open.pingInterval, open.pingTimeout, open.maxPayload],
    [[], 300, 200, 1000000], "the open packet has the suite's settings");
  t.check(/^40\{"sid":"[A-Za-z0-9_-]{20}"\}$/.test(reply), "CONNECT is answered with a sid", reply);
  t.equal(await ws.nextMessage(), '42["auth",{"token":"123"}]',
    "auth echoes the CONNECT payload");
  ws.send('42["message",1,"2",{"3":[true]}]');
  t.equal(await ws.nextMessage(), '42["message-back",1,"2",{"3":[true]}]',
    "message comes back as message-back");
  ws.send('42456["message-with-ack",1,"2",{"3":[false]}]');
  t.equal(await ws.nextMessage(), '43456[1,"2",{"3":[false]}]',
    "message-with-ack is acked with the same arguments");
  ws.send('452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
  ws.send(Uint8Array.from([1, 2, 3]));
  ws.send(Uint8Array.from([4, 5, 6]));
  t.equal(await ws.nextMessage(),
    '452-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
    "a binary event comes back with its placeholders");
  t.equal([...(await ws.nextMessage())], [1, 2, 3], "first attachment relayed intact");
  t.equal([...(await ws.nextMessage())], [4, 5, 6], "second attachment relayed intact");

  const c = await session("/custom");
  t.check(c.reply.startsWith("40/custom,"), "the /custom namespace is served", c.reply);
  t.equal(await c.ws.nextMessage(), '42/custom,["auth",{}]', "auth is {} without a payload");

  const bad = await t.rawSocket();
  await bad.nextMessage();
  bad.send("40/random");
  t.equal(await bad.nextMessage(), '44/random,{"message":"Invalid namespace"}',
    "an unknown namespace gets CONNECT_ERROR");

  // The heartbeat: three pings answered, then silence closes the session.
  const hb = await t.rawSocket();
  await hb.nextMessage();
  for (let i = 0; i < 3; i++) {
    t.equal(await hb.nextMessage(), "2", `ping ${i + 1} arrives`);
    hb.send("3");
  }
  const closed = t.next(hb, "close", 3000);
  t.check(typeof (await closed) === "number", "an unanswered ping closes the session");
  ws.close(); c.ws.close(); bad.close();

  await polling();
});
