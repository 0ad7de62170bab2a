// hub-metrics.js - georoomd's metrics page against known traffic and the
// control socket's stats, and its HTTP endpoint's answers to bad requests,
// to slow clients and to more clients than it serves at once.
//
//   node hub-metrics.js   a hub started with -n /fleet, -o
//                         http://allowed.example and --metrics-bind
//
// Needs GEOROOMD_PORT, GEOROOM_SOCKET and METRICS_PORT.
"use strict";
const net = require("net");
const t = require("./lib");

const mport = Number(process.env.METRICS_PORT);

// Sends 'text' on a new connection and resolves with all it got back
// before the server closed (or "" after 'ms').
function exchange(text, ms = 5000) {
  return t.withTimeout(new Promise((resolve, reject) => {
    const c = net.createConnection(mport, "127.0.0.1");
    let got = "";
    c.on("data", (d) => { got += d; });
    c.on("end", () => { c.end(); resolve(got); });
    c.on("error", reject);
    c.write(text);
  }), ms, "metrics answer");
}

const get = (path, method = "GET") =>
  exchange(`${method} ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);

function split(resp) {
  const i = resp.indexOf("\r\n\r\n");
  const head = resp.slice(0, i).split("\r\n");
  const headers = {};
  for (const h of head.slice(1)) {
    const j = h.indexOf(":");
    headers[h.slice(0, j).toLowerCase()] = h.slice(j + 1).trim();
  }
  return { status: Number(head[0].split(" ")[1]), headers, body: resp.slice(i + 4) };
}

// Parses an exposition page, checking its syntax as Prometheus' text
// format 0.0.4 has it; returns { samples: Map("name{labels}" -> value),
// types: Map(name -> type) }.
function parse(page) {
  const samples = new Map();
  const types = new Map();
  const helps = new Set();
  const nameRe = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
  let bad = [];
  for (const line of page.split("\n")) {
    if (line === "") continue;
    let m;
    if ((m = /^# HELP (\S+) (.*)$/.exec(line))) {
      if (helps.has(m[1])) bad.push(`HELP twice: ${m[1]}`);
      helps.add(m[1]);
      continue;
    }
    if ((m = /^# TYPE (\S+) (counter|gauge|untyped)$/.exec(line))) {
      if (types.has(m[1]) || !helps.has(m[1])) bad.push(`TYPE: ${line}`);
      if (m[2] === "counter" && !m[1].endsWith("_total"))
        bad.push(`counter without _total: ${m[1]}`);
      types.set(m[1], m[2]);
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (\S+)$/.exec(line);
    if (!m || !nameRe.test(m[1]) || !types.has(m[1]) ||
        Number.isNaN(Number(m[3]))) {
      bad.push(`sample: ${line}`);
      continue;
    }
    samples.set(m[1] + (m[2] || ""), Number(m[3]));
  }
  t.equal(bad, [], "the page is well-formed text format 0.0.4");
  return { samples, types };
}

async function scrape() {
  const r = split(await get("/metrics"));
  return { ...r, ...parse(r.body) };
}

const stats = () => t.control({ op: "stats" });

// Holds a connection that sent part of a request; .answer resolves with
// what the server wrote before closing.
function holdPartial() {
  const c = net.createConnection(mport, "127.0.0.1");
  let got = "";
  c.on("data", (d) => { got += d; });
  c.answer = new Promise((resolve) => c.on("close", () => resolve(got)));
  c.on("error", () => {});
  c.write("GET /metrics HTTP/1.1\r\n");
  return c;
}

async function main() {
  // Eight slow clients take every slot; a ninth waits in the kernel's
  // queue until one goes, and the hub serves Socket.IO meanwhile.
  const held = [];
  for (let i = 0; i < 8; i++) held.push(holdPartial());
  await new Promise((r) => setTimeout(r, 500));
  let ninth = null;
  const ninthP = get("/healthz").then((r) => { ninth = r; });
  const probe = await t.connect("/");
  t.check(probe.connected, "the hub serves Socket.IO while the endpoint is full");
  probe.disconnect();
  await new Promise((r) => setTimeout(r, 300));
  t.equal(ninth, null, "a ninth client waits while eight hold every slot");
  held.shift().destroy();
  await ninthP;
  t.check(/^HTTP\/1\.1 200 /.test(ninth || ""),
    "and is answered once one of them leaves", ninth);

  const before = await scrape();
  const st0 = await stats();
  t.equal(before.status, 200, "GET /metrics is 200");
  t.equal(before.headers["content-type"],
    "text/plain; version=0.0.4; charset=utf-8", "in the text format's type");
  t.equal(Number(before.headers["content-length"]),
    Buffer.byteLength(before.body), "with its length");

  // Known traffic: 3 sockets on "/" in room 1, one on /fleet; 5 chats.
  const socks = [];
  for (let i = 0; i < 3; i++) socks.push(await t.connect("/"));
  const fleet = await t.connect("/fleet");
  const chats = socks.map((s) => t.recorder(s, "chat"));
  for (const s of socks)
    await s.emitWithAck("join_room", { locationId: 1, userId: 1 });
  for (let i = 0; i < 5; i++)
    await socks[0].emitWithAck("chat", { userId: 1, message: i, roomName: "1" });
  for (const c of chats) await c.until(5);

  // A refused handshake of each of two kinds.
  const bad = await new Promise((resolve) => {
    const c = net.createConnection(Number(process.env.GEOROOMD_PORT), "127.0.0.1");
    let got = "";
    c.on("data", (d) => { got += d; });
    c.on("close", () => resolve(got));
    c.write("GET /elsewhere/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n\r\n");
  });
  t.check(/^HTTP\/1\.1 404/.test(bad), "a handshake on the wrong path is refused");
  const refused = await t.connect("/", {
    extraHeaders: { Origin: "http://evil.example" },
  }).then(() => false, () => true);
  t.check(refused, "a handshake from an origin not allowed is refused");

  const after = await scrape();
  const st = await stats();
  const m = after.samples;
  const delta = (k) => m.get(k) - before.samples.get(k);
  t.equal(m.get("georoomd_connections"), 4, "4 connections open");
  t.equal(m.get('georoomd_sockets{namespace="/"}'), 3, "3 sockets on /");
  t.equal(m.get('georoomd_sockets{namespace="/fleet"}'), 1, "1 on /fleet");
  t.equal(m.get('georoomd_rooms{namespace="/"}'), 1, "1 room on /");
  t.equal(m.get("georoomd_namespaces"), 2, "2 namespaces");
  t.equal(delta("georoomd_connections_opened_total"), 4,
    "4 connections opened since the first page");
  // 4 CONNECTs, 3 joins, 5 chats.
  t.equal(delta("georoomd_messages_received_total"), 12,
    "12 Socket.IO packets received");
  // 4 Engine.IO opens, 4 CONNECT replies, 3 join acks, 5 chat acks,
  // 5 chats x 3 members.
  t.equal(delta("georoomd_messages_delivered_total"), 31,
    "31 delivered: opens, replies, acks and each chat to each member");
  t.equal(delta('georoomd_handshakes_refused_total{reason="path"}'), 1,
    "a refusal for the path");
  t.equal(delta('georoomd_handshakes_refused_total{reason="origin"}'), 1,
    "and one for the origin");
  t.check(m.get("georoomd_received_bytes_total") > before.samples.get("georoomd_received_bytes_total") &&
    m.get("georoomd_sent_bytes_total") > before.samples.get("georoomd_sent_bytes_total"),
    "bytes in and out grew");

  // The page and the stats reply are the same counters.
  const same = [
    ["georoomd_connections", st.connections],
    ["georoomd_connections_opened_total", st.connections_total],
    ["georoomd_messages_received_total", st.messages_in],
    ["georoomd_messages_delivered_total", st.messages_out],
    ["georoomd_received_bytes_total", st.bytes_in],
    ["georoomd_slow_clients_dropped_total", st.dropped_slow],
    ["georoomd_protocol_errors_total", st.protocol_errors],
    ["georoomd_auth_failures_total", st.refused_connect],
    ["georoomd_rate_limited_events_total", st.events_rate_limited],
    ["georoomd_acks_pending", st.acks_pending],
    ["georoomd_conflated_total", st.conflated],
    ["georoomd_retained_bytes", st.retained_bytes],
    ['georoomd_sockets{namespace="/"}', st.by_namespace["/"].sockets],
  ];
  t.equal(same.filter(([k, v]) => m.get(k) !== v), [],
    "each metric is the stats reply's member");
  let sum = 0;
  for (const [r, n] of Object.entries(st.refused_by)) {
    sum += n;
    if (m.get(`georoomd_handshakes_refused_total{reason="${r}"}`) !== n)
      t.check(false, `refused ${r}: ${n} in stats`);
  }
  t.equal(sum, st.refused, "the reasons add up to the stats' refused");
  t.check(st.control_requests > st0.control_requests &&
    m.get("georoomd_control_requests_total") === st.control_requests - 1,
  "the control socket's requests too (the page came before the last one)");
  t.equal(after.types.get("georoomd_messages_delivered_total"), "counter",
    "counters are typed counter");
  t.equal(after.types.get("georoomd_connections"), "gauge",
    "gauges gauge");
  t.check(!after.body.includes("redis"), "no Redis metric without --redis");
  for (const s of [...socks, fleet]) s.disconnect();

  // Health, HEAD, and what is not served.
  let r = split(await get("/healthz"));
  t.equal([r.status, r.body], [200, "ok\n"], "GET /healthz is 200 ok");
  const head = await get("/metrics", "HEAD");
  r = split(head);
  t.check(r.status === 200 && r.body === "" &&
    Number(r.headers["content-length"]) > 1000,
  "HEAD /metrics has the length and no body");
  r = split(await get("/metrics?x=1"));
  t.equal(r.status, 200, "a query string is ignored");
  r = split(await get("/nothing"));
  t.equal(r.status, 404, "another path is 404");
  r = split(await get("/metrics", "POST"));
  t.equal([r.status, r.headers.allow], [405, "GET, HEAD"],
    "POST is 405 with Allow");
  r = split(await exchange("hello\r\n\r\n"));
  t.equal(r.status, 400, "a line that is no request is 400");
  r = split(await exchange("GET /metrics HTTP/2.0\r\n\r\n"));
  t.equal(r.status, 400, "HTTP/2 is 400");
  r = split(await exchange(`GET /metrics HTTP/1.1\r\nX: ${"a".repeat(9000)}\r\n\r\n`));
  t.equal(r.status, 431, "a head over 8192 bytes is 431");
  r = await exchange("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03");
  t.check(/^HTTP\/1\.1 400/.test(r), "TLS on the clear-text port is 400");
  r = split(await exchange("GET /healthz HTTP/1.0\n\n"));
  t.equal(r.status, 200, "HTTP/1.0 with bare newlines is served");

  // The slow clients still held get 408 at their deadline (10 s).
  const answers = await t.withTimeout(Promise.all(held.map((c) => c.answer)),
    15000, "408s");
  t.check(answers.every((a) => /^HTTP\/1\.1 408 /.test(a)),
    "clients that never finish their request get 408", answers[0]);
}

t.run(main);
