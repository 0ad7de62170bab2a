// hub-limits.js MODE - georoomd's limits on clients, as clients see them.
//   rate   a hub started with --rate-limit 20 --rate-burst 20
//          --rate-grace 4000: a flooding client gets error acks, then is
//          disconnected, while the others' messages all arrive, in time
//   perip  --max-per-ip 2: connections counted per source address
//          (127.0.0.2, 127.0.0.3, ...), refused past it with 429
//   perip6 -b ::1 --max-per-ip 1: the same over IPv6
//   proxy  --max-per-ip 1 --trust-proxy 127.0.0.1: X-Forwarded-For is
//          believed from 127.0.0.1 only, from the right
//   nginx  the same behind examples/nginx/georoom.conf on PROXY_PORT
// Timing is only ever bounded generously; the figures are printed as notes.
"use strict";
const net = require("net");
const t = require("./lib");

// A socket.io-client socket from 'local' (a source address), resolving once
// connected, rejecting on connect_error.
function connectFrom(local, opts = {}, base = t.url()) {
  const sock = t.io(base, {
    transports: ["websocket"], reconnection: false, forceNew: true,
    localAddress: local, ...opts,
  });
  return t.withTimeout(new Promise((resolve, reject) => {
    sock.once("connect", () => resolve(sock));
    sock.once("connect_error", (e) => { sock.close(); reject(e); });
  }), 5000, `connect from ${local}`);
}

const refused = (p) => p.then((s) => { s.close(); return false; }, () => true);

// A handshake from 'local' with 'headers': its status and body.
function handshake(local, headers = {}, host = "127.0.0.1") {
  const port = process.env.GEOROOMD_PORT;
  const h = host.includes(":") ? `[${host}]` : host;
  return new Promise((resolve) => {
    const ws = new t.WebSocket(`ws://${h}:${port}/socket.io/?EIO=4&transport=websocket`,
      { headers, localAddress: local });
    ws.on("open", () => resolve({ status: 101, ws }));
    ws.on("unexpected-response", (req, res) => {
      let body = "";
      res.on("data", (d) => { body += d; });
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    ws.on("error", (e) => resolve({ status: 0, body: e.message }));
  });
}

// What a connection from 'local' is told when refused on accept: the
// hub answers before reading anything, so nothing is sent.
function answerOnAccept(local, host = "127.0.0.1") {
  return t.withTimeout(new Promise((resolve) => {
    const c = net.connect({ host, port: Number(process.env.GEOROOMD_PORT),
      localAddress: local });
    let got = "";
    c.on("data", (d) => { got += d; });
    c.on("close", () => resolve(got));
    c.on("error", () => {});
  }), 5000, `answer to ${local}`);
}

const stats = () => t.control({ op: "stats" });
const perIpBody = '{"code":3,"message":"Too many connections from this address"}';

function summary(ms) {
  const s = [...ms].sort((x, y) => x - y);
  return `n=${s.length} p50=${s[Math.floor(s.length / 2)]} max=${s[s.length - 1]} ms`;
}

// A well-behaved client 'from' chats to room 1 every 100 ms (half the
// limit) 'n' times, with acks; 'to' times each arrival.  Resolves with
// the latencies, the error acks and the messages that never came.
async function steadyChat(from, to, n, tag) {
  const sent = new Map();
  const lat = [];
  const onChat = (m) => {
    if (m.userId === 1 && m.message.tag === tag && sent.has(m.message.i)) {
      lat.push(Date.now() - sent.get(m.message.i));
      sent.delete(m.message.i);
    }
  };
  to.on("chat", onChat);
  let errors = 0;
  for (let i = 0; i < n; i++) {
    sent.set(i, Date.now());
    from.timeout(5000).emitWithAck("chat",
      { userId: 1, message: { tag, i }, roomName: "1" })
      .then((a) => { if (a && a.error) errors++; }, () => { errors++; });
    await new Promise((r) => setTimeout(r, 100));
  }
  await t.waitFor(() => sent.size === 0, 5000, `${tag} chats arrive`).catch(() => {});
  to.off("chat", onChat);
  return { lat, errors, missing: sent.size };
}

async function rate() {
  const [a, b, flood] = await Promise.all([t.connect(), t.connect(), t.connect()]);
  for (const s of [a, b, flood])
    await s.emitWithAck("join_room", { locationId: 1, userId: s === flood ? 9 : 1 });

  // One burst: the bucket's 20 events (less the join) pass, the rest are
  // answered with the contract's error ack.
  const acks = await Promise.all(Array.from({ length: 60 }, (_, i) =>
    flood.timeout(5000).emitWithAck("chat", { userId: 9, message: i, roomName: "1" })));
  const errs = acks.filter((x) => x && x.error);
  t.check(acks.length - errs.length >= 19 && acks.length - errs.length <= 30,
    "a burst: about the bucket's 20 events pass", acks.length - errs.length);
  t.equal(errs[0], { error: "rate limited: over 20 events a second" },
    "the rest get an error ack in the contract's style");
  let st = await stats();
  t.check(st.events_rate_limited === errs.length && st.dropped_rate_limited === 0,
    "stats count the events dropped, and no client disconnected", st);
  // A burst is not abuse: once the bucket refills, events pass again.
  await t.eventually(async () => {
    const x = await flood.timeout(5000).emitWithAck("chat",
      { userId: 9, message: "again", roomName: "1" });
    return !(x && x.error);
  }, 5000, "after a pause the flooder's events pass again");
  t.check(flood.connected, "one burst does not disconnect");

  // Baseline, then the same while one client floods without pause.
  const base = await steadyChat(a, b, 20, "base");
  const gone = t.next(flood, "disconnect", 15000);
  let flooding = true, floodSent = 0;
  const pump = setInterval(() => {
    if (!flooding || !flood.connected) return;
    for (let i = 0; i < 50; i++, floodSent++)
      flood.emit("chat", { userId: 9, message: "x", roomName: "1" });
  }, 5);
  const during = steadyChat(a, b, 30, "flood");
  const reason = await gone.catch((e) => e.message);
  flooding = false;
  clearInterval(pump);
  const fl = await during;
  t.equal(reason, "io server disconnect",
    "the flooder is disconnected once over the limit for --rate-grace");
  console.log(`# flooder sent about ${floodSent} events before it was dropped`);
  console.log(`# latency without flood: ${summary(base.lat)}`);
  console.log(`# latency with flood:    ${summary(fl.lat)}`);
  t.check(base.missing === 0 && fl.missing === 0,
    "every message of the well-behaved client arrives", { base: base.missing, flood: fl.missing });
  t.check(base.errors === 0 && fl.errors === 0,
    "none of them is rate-limited", { base: base.errors, flood: fl.errors });
  t.check(Math.max(...fl.lat) < 2000,
    "each arrives within 2 s during the flood (a generous bound)", Math.max(...fl.lat));
  st = await stats();
  t.check(st.dropped_rate_limited === 1 && st.events_rate_limited > errs.length,
    "stats count the disconnection and the events dropped", st);
  t.check(a.connected && b.connected, "the others stay connected");

  // Control-socket emits are producers', never limited.
  const replies = await t.controlMany(Array.from({ length: 100 }, () => ({
    op: "emit", room: "1", event: "chat", data: { userId: 0, message: "c", roomName: "1" },
  })));
  t.check(replies.every((r) => r.ok && r.reached === 2),
    "100 control emits at once all reach the room");
  a.close(); b.close();
}

async function perIp() {
  const c1 = await connectFrom("127.0.0.2");
  const c2 = await connectFrom("127.0.0.2");
  t.check(c1.connected && c2.connected, "two connections from 127.0.0.2 are accepted");
  t.check(await refused(connectFrom("127.0.0.2")), "a third from 127.0.0.2 is refused");
  t.equal(await answerOnAccept("127.0.0.2"),
    "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n" +
    `content-length: ${perIpBody.length}\r\nconnection: close\r\n\r\n${perIpBody}`,
    "it is answered 429 with a JSON body as soon as it is accepted");
  const d = await connectFrom("127.0.0.3");
  t.check(d.connected, "127.0.0.3 has connections of its own");
  const st = await stats();
  t.check(st.refused_per_ip === 2 && st.refused_at_accept === 2 && st.refused === 2,
    "stats count both refusals in refused_per_ip, refused_at_accept and refused", st);
  c1.close();
  await t.eventually(() => refused(connectFrom("127.0.0.2")).then((r) => !r),
    5000, "once one closes, 127.0.0.2 may connect again");
  c2.close(); d.close();
  await t.eventually(async () => (await stats()).connections === 0, 5000,
    "every connection is gone");
}

async function perIp6() {
  const base = "http://[::1]:" + process.env.GEOROOMD_PORT;
  const c = await connectFrom("::1", {}, base);
  t.check(c.connected, "a connection from ::1 is accepted");
  t.check(await refused(connectFrom("::1", {}, base)), "a second from ::1 is refused");
  const got = await answerOnAccept("::1", "::1");
  t.check(got.startsWith("HTTP/1.1 429 ") && got.endsWith(perIpBody),
    "with 429 and the JSON body", got);
  c.close();
}

async function proxy() {
  const xff = (v) => ({ extraHeaders: { "X-Forwarded-For": v } });
  const c1 = await connectFrom("127.0.0.1", xff("203.0.113.7"));
  t.check(c1.connected, "a client named by the trusted proxy connects");
  let r = await handshake("127.0.0.1", { "X-Forwarded-For": "203.0.113.7" });
  t.equal([r.status, r.body], [429, perIpBody],
    "a second connection of the same client through the proxy gets 429 with JSON");
  r = await handshake("127.0.0.1", { "X-Forwarded-For": "1.1.1.1, 203.0.113.7" });
  t.equal(r.status, 429, "what the client wrote on the left does not count");
  const c2 = await connectFrom("127.0.0.1", xff("203.0.113.7, 203.0.113.8"));
  t.check(c2.connected, "the rightmost untrusted hop is the client: 203.0.113.8 connects");
  const c3 = await connectFrom("127.0.0.1", xff("junk"));
  t.check(c3.connected, "a header that names no address leaves the proxy as the client");

  // From an address not trusted, the header is not believed.
  const u = await connectFrom("127.0.0.2", xff("198.51.100.1"));
  t.check(u.connected, "127.0.0.2 connects, whatever its header says");
  t.equal(await answerOnAccept("127.0.0.2"),
    "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n" +
    `content-length: ${perIpBody.length}\r\nconnection: close\r\n\r\n${perIpBody}`,
    "and its next connection is counted under 127.0.0.2, refused on accept");
  t.check(await refused(connectFrom("127.0.0.2", xff("198.51.100.2"))),
    "a forged X-Forwarded-For from it changes nothing");
  const st = await stats();
  t.check(st.refused_per_ip === 4 && st.refused_at_accept === 2,
    "stats: 4 refused per address, 2 of them on accept", st);
  for (const s of [c1, c2, c3, u]) s.close();
}

async function viaNginx() {
  const base = `http://127.0.0.1:${process.env.PROXY_PORT}`;
  const opts = { path: "/chat" };
  const a = await connectFrom("127.0.0.2", opts, base);
  t.check(a.connected, "a client on 127.0.0.2 connects through nginx");
  t.check(await refused(connectFrom("127.0.0.2", opts, base)),
    "its second connection through nginx is refused: nginx named it");
  const b = await connectFrom("127.0.0.3", opts, base);
  t.check(b.connected, "a client on 127.0.0.3 connects through the same nginx");
  const st = await stats();
  t.check(st.refused_per_ip === 1, "stats count one refusal per address", st);
  a.close(); b.close();
}

const modes = { rate, perip: perIp, perip6: perIp6, proxy, nginx: viaNginx };
t.run(modes[process.argv[2]]);
