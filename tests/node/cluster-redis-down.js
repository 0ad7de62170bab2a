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
  }
  for (const s of [a1, a2, b1]) s.close();
});
