// cluster-redis-down.js PHASE: two georoomd (GEOROOMD_PORT_A/B, control
// sockets GEOROOM_SOCKET_A/B) on one Redis, which the .t kills and
// restarts between phases.  "up": a chat crosses from A to B.  "down":
// Redis is gone; A's local room still works, nothing is lost locally,
// the links say down and count what could not be published.  "again":
// Redis is back; the links come up by themselves and chats cross again.
"use strict";
const t = require("./lib");

const A = process.env.GEOROOMD_PORT_A, B = process.env.GEOROOMD_PORT_B;
const CTL_A = process.env.GEOROOM_SOCKET_A, CTL_B = process.env.GEOROOM_SOCKET_B;


const link = async (ctl) => (await t.control({ op: "stats" }, ctl)).redis;


// A node that counts (it subscribes to the request channel) but never
// answers: a listing waits for it until the timeout, then says it is
// incomplete.  A producer that leaves while its listing waits costs the
// hub nothing.
async function silentNode() {
  const { createClient } = require("redis");
  const sub = createClient({ url: process.env.REDIS_URL });
  await sub.connect();
  await sub.subscribe("socket.io-request#/#", () => {});
  const net = require("net");
  const gone = net.createConnection(CTL_A);
  await t.next(gone, "connect");
  gone.end('{"op":"sockets"}\n');
  gone.destroy();
  const t0 = Date.now();
  const { execFile } = require("child_process");
  const cli = new Promise((resolve) => execFile(`${process.env.GEOROOM_BIN}/georoom-cli`,
    ["-c", CTL_A, "rooms"], (err, stdout, stderr) => resolve({ err, stdout, stderr })));
  const r = await t.control({ op: "sockets", room: "5" }, CTL_A);
  const ms = Date.now() - t0;
  const c = await cli;
  t.equal(c.err && c.err.code, 75, "again: georoom-cli rooms exits 75 when a server is silent");
  t.check(/incomplete: 1 of the 2 other servers answered in time/.test(c.stderr),
    `again: and says so (${c.stderr.trim()})`);
  t.equal(c.stdout, '{"name":"5","members":3}\n', "again: it prints what came");
  t.equal([r.servers, r.answered, r.complete, r.sockets.length], [3, 1, false, 3],
    "again: with a silent node, the listing has A's and B's sockets and says it is incomplete");
  t.check(ms >= 4500, `again: it came once the 5 s timeout was over (${ms} ms)`);
  const st = await t.control({ op: "stats" }, CTL_A);
  t.equal(st.redis_incomplete, 3, "again: the three waits are counted incomplete");
  await sub.quit();
}

t.run(async () => {
  const phase = process.argv[2];
  const a1 = await t.connectTo(A), a2 = await t.connectTo(A), b1 = await t.connectTo(B);
  for (const s of [a1, a2, b1]) await s.emitWithAck("join_room", { locationId: 5 });
  const onA2 = t.recorder(a2, "chat"), onB1 = t.recorder(b1, "chat");

  if (phase === "up" || phase === "again") {
    await t.eventually(async () => (await link(CTL_A)) === "up" && (await link(CTL_B)) === "up",
      15000, `${phase}: both links are up`);
    // B's member joined after A subscribed; the subscription is per
    // namespace, so the first chat crosses.
    await a1.emitWithAck("chat", { roomName: "5", message: { n: 1 } });
    await onB1.until(1, 5000).then(() => {}, () => {});
    t.equal(onB1.values.map((p) => p.message.n), [1],
      `${phase}: a chat on A reaches B's member through Redis`);
    if (phase === "again") await silentNode();
  } else {
    await t.eventually(async () => (await link(CTL_A)) === "down", 15000,
      "down: A's link says down once Redis is gone");
    const before = await t.control({ op: "stats" }, CTL_A);
    for (let i = 0; i < 50; i++)
      await a1.emitWithAck("chat", { roomName: "5", message: { n: i } });
    await onA2.until(50, 5000).catch(() => {});
    t.equal(onA2.values.length, 50, "down: all 50 chats reach the member on the same hub");
    const after = await t.control({ op: "stats" }, CTL_A);
    t.equal(after.redis_dropped - before.redis_dropped, 50,
      "down: the 50 that could not be published are counted as dropped");
    // The control socket: asking the cluster is refused, naming the way
    // out; acting here still works and says it was not published.
    let r = await t.control({ op: "sockets", room: "5" }, CTL_A);
    t.check(r.ok === false && /redis is down/.test(r.error) && /"local":true/.test(r.error),
      `down: a cluster-wide listing is refused (${r.error})`);
    r = await t.control({ op: "sockets", room: "5", local: true }, CTL_A);
    t.equal(r.sockets.length, 2, "down: a local listing still answers");
    r = await t.control({ op: "emit", room: "5", event: "chat", data: { n: 99 } }, CTL_A);
    t.equal([r.reached, r.published], [2, false],
      "down: a control emit reaches A's members and says it was not published");
  }
  for (const s of [a1, a2, b1]) s.close();
});
