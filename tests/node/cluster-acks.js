// cluster-acks.js - emits awaiting acknowledgements across a cluster: two
// georoomd (GEOROOMD_PORT_A/B, control sockets GEOROOM_SOCKET_A/B) and a
// Node socket.io 4.8 server started here with @socket.io/redis-adapter,
// all on one Redis (REDIS_URL).  Node's io.timeout().to(room).emit()
// with an ack gets the acks of georoomd's clients as of its own; the
// answers on the wire are watched on Redis.
"use strict";
const t = require("./lib");
const msgpack = require("notepack.io");

const A = process.env.GEOROOMD_PORT_A, B = process.env.GEOROOMD_PORT_B;
const CTL_A = process.env.GEOROOM_SOCKET_A, CTL_B = process.env.GEOROOM_SOCKET_B;

// Every response of namespace "/", decoded, with its channel.  (A
// subscriber to the request channel would count as a server.)
async function watch(redis) {
  const seen = [];
  const decode = (buf) => (buf[0] === 0x7b ? JSON.parse(buf.toString()) : msgpack.decode(buf));
  const mon = redis.duplicate();
  await mon.connect();
  const keep = (buf, chan) => seen.push({ chan: chan.toString(), msg: decode(buf) });
  await mon.pSubscribe("socket.io-response#/#*", keep, true);
  return {
    seen,
    mon,
    mark() { return seen.length; },
    // The requestId of the first client count (type 8) since 'mark'.
    broadcastSince(mark) {
      const r = seen.slice(mark).find((x) => x.msg.type === 8);
      return r && r.msg.requestId;
    },
    responses(rid, type) {
      return seen.filter((x) => x.msg.requestId === rid && x.msg.type === type);
    },
  };
}

// A value as the test compares it: Buffers by their bytes.
function show(v) {
  if (Buffer.isBuffer(v)) return `buffer:${v.toString("hex")}`;
  return v === undefined ? "undefined" : JSON.stringify(v);
}

function emitWithAckCb(op, ev, ...args) {
  return new Promise((resolve) => op.emit(ev, ...args, (err, res) => resolve({ err, res })));
}

const stats = (ctl) => t.control({ op: "stats" }, ctl);

t.run(async () => {
  const node = await t.nodeClusterServer((io) => {
    io.on("connection", (socket) => {
      socket.on("join_room", (p, ack) => {
        socket.join(String(p.locationId));
        if (ack) ack(String(p.locationId));
      });
    });
  });
  const { io, pub } = node, N = node.port;
  const w = await watch(pub);
  await t.eventually(async () => (await io.of("/").adapter.serverCount()) === 3, 10000,
    "Node counts three servers");

  const a1 = await t.connectTo(A), c1 = await t.connectTo(A), e1 = await t.connectTo(A);
  const b1 = await t.connectTo(B), b2 = await t.connectTo(B), d1 = await t.connectTo(B);
  const n1 = await t.connectTo(N);
  const join = async (s, ...rooms) => {
    for (const r of rooms) await s.emitWithAck("join_room", { locationId: r });
  };
  await join(a1, "acks", "slow", "dup");
  await join(b1, "acks");
  await join(b2, "acks", "slow", "gone");
  await join(n1, "acks");
  await join(c1, "slow");
  await join(d1, "dup");
  await join(e1, "gone");
  const a0 = await stats(CTL_A), b0 = await stats(CTL_B);
  const uid = io.of("/").adapter.uid;

  // Every member acks: the values come back exact, a binary one from
  // georoomd B to Node included, and an ack with no value as undefined.
  const bin = Buffer.from([0, 1, 254, 255]);
  a1.on("q", (v, cb) => cb({ from: "a1", v }));
  b1.on("q", (v, cb) => cb(bin));
  b2.on("q", (v, cb) => cb());
  n1.on("q", (v, cb) => cb("n1"));
  let mark = w.mark();
  // (Timeouts that should not be reached are long: the call ends as
  // soon as every ack is in, and a loaded machine is slow.)
  const got = await io.timeout(10000).to("acks").emitWithAck("q", { n: 42, s: "é" });
  t.equal(got.map(show).sort(), [
    JSON.stringify({ from: "a1", v: { n: 42, s: "é" } }), show(bin), '"n1"', "undefined",
  ].sort(), "emitWithAck() from Node gets the acks of the clients on both georoomd, exact");
  t.check(got.some((v) => Buffer.isBuffer(v) && v.equals(bin)),
    "a binary ack on georoomd B reaches Node as a Buffer");
  // The watcher has its own connection to Redis, which may lag behind
  // Node's: wait until it has seen the request's answers.
  const ridSince = (m) => t.waitFor(() => w.broadcastSince(m), 5000,
    "the watcher sees the BROADCAST's client counts");
  let rid = await ridSince(mark);
  await t.eventually(() => w.responses(rid, 9).length === 3, 5000,
    "georoomd publishes one BROADCAST_ACK per client ack");
  t.equal(w.responses(rid, 8).map((x) => x.msg.clientCount).sort(), [1, 2],
    "each georoomd's BROADCAST_CLIENT_COUNT is its own members in the room");
  t.equal([...new Set(w.responses(rid, 8).concat(w.responses(rid, 9)).map((x) => x.chan))],
    [`socket.io-response#/#${uid}#`], "on the asker's own response channel");

  // A member that does not ack: Node's call times out, with the others'.
  a1.on("q2", (v, cb) => cb("a1"));
  b2.on("q2", (v, cb) => cb("b2"));
  let silent = 0;
  c1.on("q2", () => { silent++; });
  const t0 = Date.now();
  const slow = await emitWithAckCb(io.timeout(1000).to("slow"), "q2", 1);
  t.check(slow.err instanceof Error && slow.err.message === "operation has timed out",
    "a member that does not ack makes Node's call time out", String(slow.err));
  t.equal(slow.res.map(show).sort(), ['"a1"', '"b2"'],
    "with the acks that came, as socket.io reports them");
  t.check(Date.now() - t0 >= 1000 && silent === 1, "after its timeout, the event delivered");
  await t.eventually(async () => {
    const s = await stats(CTL_A);
    return s.acks_expired === a0.acks_expired + 1 && s.acks_pending === 0;
  }, 5000, "georoomd A expires the entry it awaited at the timeout");

  // Acking twice, and with an id never asked for, changes nothing.
  let lastId;
  const onevent = d1.onevent.bind(d1);
  d1.onevent = (p) => { lastId = p.id; onevent(p); };
  a1.on("q3", (v, cb) => cb("a1"));
  d1.on("q3", (v, cb) => {
    cb("d1");
    d1.packet({ type: 3, id: lastId, data: ["again"] });
    d1.packet({ type: 3, id: lastId + 1000, data: ["wrong"] });
  });
  mark = w.mark();
  const dup = await io.timeout(10000).to("dup").emitWithAck("q3", 0);
  t.equal(dup.map(show).sort(), ['"a1"', '"d1"'], "a client acking twice is heard once");
  rid = await ridSince(mark);
  await t.eventually(async () => (await stats(CTL_B)).acks_unknown === b0.acks_unknown + 2,
    5000, "georoomd B counts the repeated ack and the one with a wrong id as unknown");
  // B publishes in order: once its answer to this request is in, all it
  // published before is too.
  await pub.publish("socket.io-request#/#",
    JSON.stringify({ uid: "tester", requestId: "barrier", type: 0, rooms: ["dup"] }));
  await t.eventually(() => w.seen.filter((x) => x.msg.requestId === "barrier").length === 3,
    5000, "every server answers a barrier request");
  t.equal(w.responses(rid, 9).map((x) => show(x.msg.packet)).sort(), ['"a1"', '"d1"'],
    "and publishes nothing for them");

  // A member that disconnects before acking leaves no entry behind.
  b2.on("q4", (v, cb) => cb("b2"));
  e1.on("q4", () => e1.disconnect());
  const goneP = emitWithAckCb(io.timeout(3000).to("gone"), "q4", 0);
  // Counted as gone with its socket, not expired: dropped at the
  // disconnect, before the request's timeout, however slow the machine.
  const expiredBefore = (await stats(CTL_A)).acks_expired;
  await t.eventually(async () => {
    const s = await stats(CTL_A);
    return s.acks_disconnected === a0.acks_disconnected + 1 && s.acks_pending === 0;
  }, 10000, "georoomd A drops the entry of a socket that disconnects before acking");
  t.equal((await stats(CTL_A)).acks_expired, expiredBefore,
    "as gone with its socket, not expired at the request's timeout");
  const gone = await goneP;
  t.check(gone.err && gone.err.message === "operation has timed out",
    "Node's call times out for it");
  t.equal(gone.res.map(show), ['"b2"'], "with the other member's ack");

  // A connection awaited for 128 acks gets more events without an ack id.
  const asked = [];
  c1.on("q6", (i, cb) => asked.push(typeof cb === "function"));
  const many = [];
  for (let i = 0; i < 130; i++)
    many.push(emitWithAckCb(io.timeout(1000).to(c1.id), "q6", i));
  await t.eventually(() => asked.length === 130, 5000, "a silent client gets 130 events");
  t.equal([asked.filter((x) => x).length, asked.slice(128).some((x) => x)], [128, false],
    "the first 128 with an ack id, the others without");
  t.equal((await stats(CTL_A)).acks_over_cap - a0.acks_over_cap, 2,
    "stats count the two in acks_over_cap");
  await Promise.all(many);
  await t.eventually(async () => {
    const s = await stats(CTL_A);
    return s.acks_pending === 0 && s.acks_expired - a0.acks_expired === 1 + 128;
  }, 5000, "and the 128 expire");

  const sa = await stats(CTL_A), sb = await stats(CTL_B);
  t.equal([sa.acks_pending, sb.acks_pending, sb.acks_over_cap], [0, 0, 0],
    "nothing is left awaited on either georoomd, and B's tables were never full");
  t.equal([sa.acks_received - a0.acks_received, sb.acks_received - b0.acks_received], [3, 5],
    "stats count the acks received on each");
  t.check(sa.redis_dropped === 0 && sb.redis_dropped === 0, "nothing dropped on the way",
    [sa.redis_dropped, sb.redis_dropped]);

  // georoomd A stopping while it awaits acks frees what it kept for
  // them: under the sanitizer build, a leak fails its exit status.
  emitWithAckCb(io.timeout(10000).to("slow"), "q5", 0);
  await t.eventually(async () => (await stats(CTL_A)).acks_pending === 2, 5000,
    "georoomd A awaits the acks of its two members of a room");
  const closed = t.next(c1, "disconnect");
  process.kill(Number(process.env.GEOROOMD_PID_A), "SIGTERM");
  t.equal(await closed, "transport close", "and closes their connections as it stops");

  for (const s of [a1, c1, b1, b2, d1, n1]) s.close();
  await w.mon.quit().catch(() => {});
  await node.close();
});
