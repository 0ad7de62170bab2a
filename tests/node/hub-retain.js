// hub-retain.js MODE - retained messages (georoomd --retain chat
// --retain pos ...): a socket that joins a room gets the room's last
// message of each retained event right after its join_room ack, before
// anything newer.
//
//   node hub-retain.js basic   a hub with --retain chat --retain pos
//   node hub-retain.js ttl     a hub with --retain chat --retain-ttl 1
//   node hub-retain.js bound   a hub with --retain chat
//                              --retain-max-bytes 2048
//   node hub-retain.js cluster two hubs on one Redis, each --retain chat
//                              (GEOROOMD_PORT_A/B, GEOROOM_SOCKET_A/B)
//
// Absence is shown with a barrier sent after what must not arrive.
"use strict";
const t = require("./lib");

const mode = process.argv[2];
const stats = (ctl) => t.control({ op: "stats" }, ctl);

// Joins 'room' and returns what arrived, in order: "ack", then each
// event as [name, ...args], until 'until' says the list is complete.
async function joinAndLog(sock, room, until) {
  const log = [];
  sock.onAny((...ev) => log.push(ev));
  sock.emit("join_room", { locationId: room }, () => log.push("ack"));
  await t.waitFor(() => until(log), 5000, `the log of room ${room}`);
  sock.offAny();
  return log;
}

// Joins 'room', then sends a barrier to it: returns what arrived after
// the ack and before the barrier, where anything retained would be.
async function joinThenBarrier(sock, room) {
  const log = [];
  sock.onAny((...ev) => log.push(ev));
  await sock.emitWithAck("join_room", { locationId: room });
  await emit(String(room), "barrier", 0);
  await t.waitFor(() => isBarrier(log), 5000, `the barrier in room ${room}`);
  sock.offAny();
  return log.filter((e) => e[0] !== "barrier");
}

const emit = (room, event, data, ctl) =>
  t.control({ op: "emit", room, event, data }, ctl);
const isBarrier = (log) => log.some((e) => Array.isArray(e) && e[0] === "barrier");

async function basic() {
  // Positions before anyone is there: only the last one of each event.
  await emit("42", "chat", { n: 1 });
  await emit("42", "chat", { n: 2 });
  await emit("42", "pos", { lat: 1 });
  await emit("42", "note", { not: "retained" });
  const a = await t.connect();
  const log = await joinAndLog(a, 42, (l) => l.length >= 3);
  t.equal(log.slice(0, 3), ["ack", ["chat", { n: 2 }], ["pos", { lat: 1 }]],
    "a joiner gets the ack, then the room's last chat and last pos, oldest first");
  // Then newer ones arrive as usual, after the retained ones.
  const live = t.recorder(a, "chat");
  await emit("42", "chat", { n: 3 });
  await live.until(1);
  const second = await t.connect();
  t.equal(await joinThenBarrier(second, 42), [["pos", { lat: 1 }], ["chat", { n: 3 }]],
    "a later joiner gets the pos and only the newest chat, oldest first, nothing else");

  // A chat through the contract is retained too, and a room's member
  // that rejoins gets it again.
  const c = await t.connect();
  await c.emitWithAck("join_room", { locationId: "B-12" });
  await c.emitWithAck("chat", { roomName: "B-12", userId: 5, message: { lon: 13.4 } });
  const d = await t.connect();
  const log3 = await joinAndLog(d, "B-12", (l) => l.length >= 2);
  t.equal(log3.slice(0, 2), ["ack",
    ["chat", { roomName: "B-12", userId: 5, message: { lon: 13.4 } }]],
    "a chat a client sent is retained for the next joiner");
  // A private emit to a socket is not a room's message.
  await t.control({ op: "emit", socket: d.id, event: "chat", data: "private" });
  const st = await stats();
  t.equal([st.retained_rooms, st.retained_kept, st.retained_sent], [2, 5, 5],
    "stats count 2 rooms, 5 messages kept and 5 sent to joiners");
  for (const s of [a, second, c, d]) s.close();
}

async function ttl() {
  await emit("7", "chat", { old: true });
  const t0 = Date.now();
  const a = await t.connect();
  const log = await joinAndLog(a, 7, (l) => l.length >= 2);
  t.equal(log[1], ["chat", { old: true }], "within the TTL a joiner gets it");
  // Past the 1 s TTL it is no longer sent: wait until then, not longer.
  await new Promise((r) => setTimeout(r, Math.max(0, 1100 - (Date.now() - t0))));
  const b = await t.connect();
  t.equal(await joinThenBarrier(b, 7), [], "past the TTL a joiner gets nothing");
  for (const s of [a, b]) s.close();
}

async function bound() {
  // 2048 bytes hold about a dozen small rooms: older rooms go first.
  for (let i = 0; i < 40; i++) await emit(`r${i}`, "chat", { i, pad: "x".repeat(40) });
  const st = await stats();
  t.check(st.retained_bytes <= 2048 && st.retained_evicted > 0,
    `retained bytes stay under the bound (${st.retained_bytes} B, ${st.retained_evicted} rooms evicted)`);
  const a = await t.connect();
  const log = await joinAndLog(a, "r39", (l) => l.length >= 2);
  t.equal(log[1], ["chat", { i: 39, pad: "x".repeat(40) }], "the newest room keeps its message");
  t.equal(await joinThenBarrier(a, "r0"), [], "the oldest room's was evicted");
  // A message bigger than the whole bound is not kept.
  await emit("big", "chat", "y".repeat(4096));
  t.equal((await stats()).retained_bytes <= 2048, true, "a message over the bound is not kept");
  a.close();
}

async function cluster() {
  const A = process.env.GEOROOM_SOCKET_A, B = process.env.GEOROOMD_PORT_B;
  await t.eventually(async () => (await stats(A)).redis === "up" &&
    (await stats(process.env.GEOROOM_SOCKET_B)).redis === "up", 10000, "both links up");
  // The room has members on neither hub: B retains what it relays.
  await emit("9", "chat", { from: "A" }, A);
  await t.eventually(async () => (await stats(process.env.GEOROOM_SOCKET_B)).retained_rooms === 1,
    5000, "hub B retains the chat published on A");
  const b = await t.connectTo(B);
  const log = await joinAndLog(b, 9, (l) => l.length >= 2);
  t.equal(log[1], ["chat", { from: "A" }], "a joiner on B gets the position sent on A");
  b.close();
}

t.run(async () => {
  await { basic, ttl, bound, cluster }[mode]();
});
