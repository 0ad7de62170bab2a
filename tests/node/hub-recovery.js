// hub-recovery.js - connection state recovery against georoomd, with the
// real socket.io-client 4.8 (its connectionStateRecovery support: the pid
// from CONNECT, the offset of the last event, socket.recovered).
//
//   node hub-recovery.js recover   georoomd --recovery-window 2000
//   node hub-recovery.js caps      ... --recovery-buffer 4096
//                                      --recovery-sessions 2
//   node hub-recovery.js off       georoomd without the option
//   node hub-recovery.js cluster   two georoomd on Redis, A with the option
//                                  (GEOROOMD_PORT_A/B, GEOROOM_SOCKET_A)
"use strict";

const {
  check, equal, connect, connectTo, control, eventually, recorder, run,
  waitFor, withTimeout,
} = require("./lib");

// The transport alone closes, as a network blip does; socket.io-client
// keeps its pid and last offset, and reconnects with them.
function blip(sock) {
  return new Promise((resolve) => {
    sock.once("disconnect", resolve);
    sock.io.engine.close();
  });
}

function reconnect(sock) {
  return withTimeout(new Promise((resolve, reject) => {
    sock.once("connect", resolve);
    sock.once("connect_error", reject);
    sock.connect();
  }), 5000, "reconnect");
}

async function chat(sender, room, message) {
  const ack = await sender.timeout(3000).emitWithAck("chat",
    { userId: 1, message, roomName: room });
  return ack;
}

async function join(sock, room, userId = 7) {
  return sock.timeout(3000).emitWithAck("join_room",
    { locationId: room, userId });
}

// Until the hub has seen the socket with id 'id' go (and so kept its
// session, in the same step, when it keeps one).
async function gone(id, ctl = process.env.GEOROOM_SOCKET) {
  await waitFor(async () =>
    !(await control({ op: "sockets", local: true }, ctl)).sockets
      .some((s) => s.id === id),
  5000, `socket ${id} gone`);
}

// Cuts the transport and waits for the hub to notice.
async function cut(sock, ctl) {
  const id = sock.id;
  await blip(sock);
  await gone(id, ctl);
}

function messages(rec) {
  return rec.values.map((args) => args[0].message);
}

async function recover() {
  const sender = await connect();
  const sock = await connect();
  check(typeof sock._pid === "string" && sock._pid.length === 22,
    "CONNECT's answer carries a pid");
  equal(sock.recovered, false, "a first connection is not recovered");
  await join(sock, "r1");
  const got = recorder(sock, "chat");

  await chat(sender, "r1", "before");
  await got.until(1);
  const args = got.values[0];
  check(Array.isArray(args) && args.length === 2 &&
    typeof args[1] === "string", "a room event carries an offset last",
  args);
  equal(sock._lastOffset, args[1], "socket.io-client keeps it");

  const id = sock.id;
  await cut(sock);
  check((await control({ op: "stats" })).recovery_sessions >= 1,
    "the hub keeps its session");
  for (const m of ["one", "two", "three"]) await chat(sender, "r1", m);
  await reconnect(sock);
  equal(sock.recovered, true, "socket.recovered is true after the blip");
  equal(sock.id, id, "the socket has its id back");
  await got.until(4);
  equal(messages(got), ["before", "one", "two", "three"],
    "the three chats sent meanwhile arrive, in order, once");
  // Its rooms came back: no join_room needed.
  await chat(sender, "r1", "after");
  await got.until(5);
  equal(messages(got).slice(4), ["after"], "its room is its own again");
  const listed = await control({ op: "sockets", room: "r1" });
  const me = (listed.sockets || []).find((s) => s.id === id);
  equal(me && me.userIds, [7], "its userIds come back with it");

  // What producers emit to the room over the control socket is kept too.
  await cut(sock);
  const r = await control({ op: "emit", room: "r1", event: "chat",
    data: { message: "from-control" } });
  equal(r.reached, 0, "a socket kept for recovery is not reached");
  await reconnect(sock);
  equal(sock.recovered, true, "recovered a second time");
  await got.until(6);
  equal(messages(got).slice(5), ["from-control"],
    "and gets the control socket's emit to its room");
  // Events to a socket alone carry offsets as well.
  const priv = recorder(sock, "private");
  await sender.timeout(3000).emitWithAck("private", { to: id, text: "psst" });
  await control({ op: "emit", socket: id, event: "private", data: {} });
  await priv.until(2);
  check(priv.values.every((a) => Array.isArray(a) &&
    typeof a[a.length - 1] === "string"),
  "private and the control socket's emit to a socket carry an offset",
  priv.values);

  // After the window: a fresh session, and none of what was missed.
  await cut(sock);
  for (const m of ["lost1", "lost2", "lost3"]) await chat(sender, "r1", m);
  await new Promise((res) => setTimeout(res, 2300));
  await reconnect(sock);
  equal(sock.recovered, false, "after the window, recovered is false");
  check(sock.id !== id, "and the socket has a new id");
  await join(sock, "r1");
  await chat(sender, "r1", "barrier");
  await got.until(7);
  equal(messages(got).slice(6), ["barrier"],
    "none of the chats sent while it was away arrive");

  // A client that saw no event yet comes back with its pid alone.
  const quiet = await connect();
  await join(quiet, "r2");
  const qgot = recorder(quiet, "chat");
  await cut(quiet);
  await chat(sender, "r2", "q1");
  await reconnect(quiet);
  equal(quiet.recovered, true, "a client without an offset recovers");
  await qgot.until(1);
  equal(messages(qgot), ["q1"], "and gets what it missed");

  // A client that leaves on purpose keeps nothing.
  const before = (await control({ op: "stats" })).recovery_sessions;
  const qid = quiet.id;
  quiet.disconnect();
  await gone(qid);
  equal((await control({ op: "stats" })).recovery_sessions, before,
    "a client's own disconnect keeps no session");

  const st = await control({ op: "stats" });
  check(st.recovery_recovered >= 3 && st.recovery_failed >= 1 &&
    st.recovery_replayed >= 5, "stats count recoveries and replays", st);
  // One is left kept, for the hub to free when it stops.
  const left = await connect();
  await join(left, "r1");
  await cut(left);
  for (const s of [sender, sock, quiet, left]) s.close();
}

async function caps() {
  const sender = await connect();
  // Three sockets go away; two sessions are kept.
  const away = [];
  for (let i = 0; i < 3; i++) {
    const s = await connect();
    await join(s, "c");
    away.push(s);
  }
  for (const s of away) await cut(s);
  await eventually(async () => {
    const st = await control({ op: "stats" });
    return st.recovery_sessions === 2 && st.recovery_sessions_dropped === 1;
  }, 5000, "past --recovery-sessions, the oldest session is dropped");
  await reconnect(away[0]);
  equal(away[0].recovered, false, "its client starts afresh");

  // Events over --recovery-buffer: the oldest go, and a client that
  // missed one of them starts afresh rather than with a gap.
  await reconnect(away[1]);
  equal(away[1].recovered, true, "a kept session recovers");
  const got = recorder(away[1], "chat");
  await chat(sender, "c", "seen");
  await got.until(1);
  await cut(away[1]);
  const big = "x".repeat(400);
  for (let i = 0; i < 20; i++) await chat(sender, "c", `${i} ${big}`);
  const st = await control({ op: "stats" });
  check(st.recovery_event_bytes <= 4096 && st.recovery_events_dropped > 0,
    "buffered events stay within --recovery-buffer", st);
  const failed = st.recovery_failed;
  await reconnect(away[1]);
  equal(away[1].recovered, false,
    "a client whose missed events were dropped starts afresh");
  equal((await control({ op: "stats" })).recovery_failed, failed + 1,
    "and is counted as failed");
  await join(away[1], "c");
  await chat(sender, "c", "barrier");
  await got.until(2);
  equal(messages(got), ["seen", "barrier"],
    "with none of the events replayed");
  for (const s of [sender, ...away]) s.close();
}

async function off() {
  const sender = await connect();
  const sock = await connect();
  equal(sock._pid, undefined, "without --recovery-window, no pid");
  await join(sock, "o");
  const got = recorder(sock, "chat");
  await chat(sender, "o", "plain");
  await got.until(1);
  check(!Array.isArray(got.values[0]), "events carry no offset");
  const st = await control({ op: "stats" });
  equal(st.recovery_sessions, undefined, "stats have no recovery members");
  await blip(sock);
  await reconnect(sock);
  check(!sock.recovered, "a reconnected client is not recovered");
  sender.close();
  sock.close();
}

// Events relayed from another node are broadcasts like the rest: a
// client of A that misses one while away gets it back from A.
async function cluster() {
  const ctlA = process.env.GEOROOM_SOCKET_A;
  const onA = await connectTo(process.env.GEOROOMD_PORT_A);
  const onB = await connectTo(process.env.GEOROOMD_PORT_B);
  await join(onA, "x");
  const got = recorder(onA, "chat");
  await waitFor(async () => (await control({ op: "stats" }, ctlA)).redis ===
    "up", 10000, "A's Redis link is up");
  await chat(onB, "x", "via-b-1");
  await got.until(1);
  await cut(onA, ctlA);
  await chat(onB, "x", "via-b-2");
  await chat(onB, "x", "via-b-3");
  await reconnect(onA);
  equal(onA.recovered, true, "a client of A recovers");
  await got.until(3);
  equal(messages(got), ["via-b-1", "via-b-2", "via-b-3"],
    "with the chats sent on B while it was away, in order");
  onA.close();
  onB.close();
}

run(async () => {
  const which = process.argv[2];
  if (which === "recover") await recover();
  else if (which === "caps") await caps();
  else if (which === "off") await off();
  else if (which === "cluster") await cluster();
  else throw new Error(`unknown case ${which}`);
});
