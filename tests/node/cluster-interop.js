// cluster-interop.js - two georoomd (GEOROOMD_PORT_A/B, control sockets
// GEOROOM_SOCKET_A/B) and a Node socket.io 4.8 server started here, all
// on one Redis (REDIS_URL) through @socket.io/redis-adapter: rooms span
// the three, each delivery arrives once, and Node's cluster calls see
// georoomd's sockets.  With GEOROOM_ADAPTER=sharded or sharded-static,
// the same through createShardedAdapter (lib.js), but for what only the
// classic adapter has (allRooms(), older adapters' requests, the
// emitter).  Absence is shown with a barrier message sent after
// the one that must not arrive (each path delivers in order).
"use strict";
const t = require("./lib");
const { Emitter } = require("@socket.io/redis-emitter");

const A = process.env.GEOROOMD_PORT_A, B = process.env.GEOROOMD_PORT_B;
const CTL_A = process.env.GEOROOM_SOCKET_A, CTL_B = process.env.GEOROOM_SOCKET_B;


// The original application's contract, on the Node server.
function contract(io) {
  io.on("connection", (socket) => {
    socket.on("join_room", (p, ack) => {
      const room = String(p.locationId);
      socket.join(room);
      if (ack) ack(room);
    });
    socket.on("chat", (p, ack) => {
      io.to(p.roomName).emit("chat", p);
      if (ack) ack(p);
    });
    socket.on("broadcast", (p, ack) => {
      socket.to(p.roomName).emit("chat", p);
      if (ack) ack(p);
    });
  });
}


// Records chats by their "tag"; until(tag) waits for one.
function chats(sock) {
  const seen = new Map();
  const waiters = [];
  sock.on("chat", (p) => {
    const tag = p && p.message && p.message.tag;
    seen.set(tag, (seen.get(tag) || 0) + 1);
    for (const w of waiters.splice(0)) w();
  });
  return {
    count: (tag) => seen.get(tag) || 0,
    async until(tag, ms = 5000) {
      await t.waitFor(() => seen.has(tag), ms, `chat ${tag}`);
    },
  };
}

t.run(async () => {
  const node = await t.nodeClusterServer(contract);
  const { io, pub } = node, N = node.port;

  const a = await t.connectTo(A), b = await t.connectTo(B), n = await t.connectTo(N);
  const outsider = await t.connectTo(A);
  const members = { a, b, n };
  const rec = {};
  for (const [k, s] of Object.entries(members)) rec[k] = chats(s);
  const recOut = chats(outsider);
  for (const s of [a, b, n])
    t.equal(await s.emitWithAck("join_room", { locationId: 7, userId: 1 }), "7", "a member joins room 7");
  await outsider.emitWithAck("join_room", { locationId: 8 });

  // A chat from each node reaches every member once, and no one else.
  for (const [from, s] of Object.entries(members)) {
    const tag = `chat-from-${from}`;
    await s.emitWithAck("chat", { roomName: "7", userId: 1, message: { tag } });
    const barrier = `barrier-${from}`;
    await s.emitWithAck("chat", { roomName: "7", userId: 1, message: { tag: barrier } });
    for (const k of Object.keys(members)) await rec[k].until(barrier);
    t.equal(Object.keys(members).map((k) => rec[k].count(tag)), [1, 1, 1],
      `a chat sent on ${from} reaches the members on all three servers exactly once`);
  }
  await outsider.emitWithAck("join_room", { locationId: 9 });
  t.equal(recOut.count("chat-from-a") + recOut.count("chat-from-b") + recOut.count("chat-from-n"), 0,
    "and no one outside the room");

  // broadcast: all but the sender, across nodes.
  await b.emitWithAck("broadcast", { roomName: "7", userId: 1, message: { tag: "bc" } });
  await b.emitWithAck("chat", { roomName: "7", userId: 1, message: { tag: "bc-barrier" } });
  for (const k of Object.keys(members)) await rec[k].until("bc-barrier");
  t.equal([rec.a.count("bc"), rec.b.count("bc"), rec.n.count("bc")], [1, 0, 1],
    "broadcast from georoomd B reaches A's and Node's members, not the sender");

  // except, from Node, naming a socket that lives on georoomd A.
  io.to("7").except(a.id).emit("chat", { roomName: "7", message: { tag: "ex" } });
  io.to("7").emit("chat", { roomName: "7", message: { tag: "ex-barrier" } });
  for (const k of Object.keys(members)) await rec[k].until("ex-barrier");
  t.equal([rec.a.count("ex"), rec.b.count("ex"), rec.n.count("ex")], [0, 1, 1],
    "Node's except() of a socket on georoomd A leaves out just that socket");

  // Binary attachments cross nodes intact, both ways.
  const bin = Buffer.from([0, 1, 2, 254, 255]);
  const gotN = t.next(n, "chat"), gotB = t.next(b, "chat");
  await a.emitWithAck("chat", { roomName: "7", message: { tag: "bin", data: bin } });
  const [pn, pb] = await Promise.all([gotN, gotB]);
  t.check(Buffer.isBuffer(pn.message.data) && pn.message.data.equals(bin),
    "a binary attachment sent on georoomd A reaches Node's client intact");
  t.check(Buffer.isBuffer(pb.message.data) && pb.message.data.equals(bin),
    "and georoomd B's client");
  const gotA = t.next(a, "chat");
  io.to("7").emit("chat", { roomName: "7", message: { tag: "bin2", data: bin } });
  const pa = await gotA;
  t.check(Buffer.isBuffer(pa.message.data) && pa.message.data.equals(bin),
    "a binary emitted by Node reaches georoomd A's client intact");

  // Node's cluster calls see georoomd's sockets and servers.
  const socks = await io.in("7").fetchSockets();
  t.equal(socks.map((s) => s.id).sort(), [a.id, b.id, n.id].sort(),
    "Node's fetchSockets() of room 7 lists the sockets on both georoomd");
  const count = await io.of("/").adapter.serverCount();
  t.equal(count, 3, "Node's serverCount() counts both georoomd");
  const all = await io.of("/").adapter.fetchSockets({ rooms: new Set(), except: new Set(),
    flags: {} });
  t.equal(all.length, 4, "fetchSockets() of the whole namespace finds all 4 sockets, 3 of them on georoomd");
  if (!t.sharded) {
    const rooms = await io.of("/").adapter.allRooms();
    t.check(rooms.has("7") && rooms.has("9") && rooms.has(a.id),
      "allRooms() includes georoomd's rooms and its sockets' own rooms");
  }

  // socketsJoin / socketsLeave move a socket that lives on georoomd B.
  io.in(b.id).socketsJoin("10");
  await t.eventually(async () => {
    const s = await t.control({ op: "sockets", room: "10" }, CTL_B);
    return s.ok && s.sockets.length === 1 && s.sockets[0].id === b.id;
  }, 5000, "Node's socketsJoin() puts georoomd B's socket in room 10");
  const got10 = t.next(b, "chat");
  await n.emitWithAck("chat", { roomName: "10", message: { tag: "r10" } });
  t.equal((await got10).message.tag, "r10", "and a chat to room 10 from Node reaches it");
  io.in(b.id).socketsLeave("10");
  await t.eventually(async () => {
    const s = await t.control({ op: "sockets", room: "10" }, CTL_B);
    return s.ok && s.sockets.length === 0;
  }, 5000, "Node's socketsLeave() takes it out again");

  // What only the classic adapter has.
  if (!t.sharded) {
    // Requests older adapters send: SOCKETS, and REMOTE_JOIN of one socket.
    const resp = pub.duplicate();
    await resp.connect();
    const answers = [];
    await resp.subscribe("socket.io-response#/#", (m) => answers.push(JSON.parse(m)));
    await pub.publish("socket.io-request#/#",
      JSON.stringify({ uid: "tester", requestId: "r-sockets", type: 0, rooms: ["7"] }));
    await t.eventually(() => answers.filter((x) => x.requestId === "r-sockets").length === 3,
      5000, "a SOCKETS request is answered by all three servers");
    t.equal(answers.filter((x) => x.requestId === "r-sockets").flatMap((x) => x.sockets).sort(),
      [a.id, b.id, n.id].sort(), "and the answers list room 7's sockets, georoomd's among them");
    await pub.publish("socket.io-request#/#", JSON.stringify({
      uid: "tester", requestId: "r-join", type: 2, sid: b.id, room: "11" }));
    await t.eventually(() => answers.some((x) => x.requestId === "r-join"), 5000,
      "a one-socket REMOTE_JOIN is answered by the node that has the socket");
    const in11 = await t.control({ op: "sockets", room: "11" }, CTL_B);
    t.equal(in11.sockets.map((x) => x.id), [b.id], "and the socket is in the room");
    await resp.quit();

    // The Redis emitter reaches georoomd's clients.
    const emitter = new Emitter(pub);
    emitter.to("7").emit("chat", { roomName: "7", message: { tag: "emitter" } });
    for (const k of Object.keys(members)) await rec[k].until("emitter");
    t.equal(Object.keys(members).map((k) => rec[k].count("emitter")), [1, 1, 1],
      "@socket.io/redis-emitter reaches every member once");
  }

  // The control socket's emit on georoomd A is cluster-wide.
  const r = await t.control({ op: "emit", room: "7", event: "chat",
    data: { roomName: "7", message: { tag: "ctl" } } }, CTL_A);
  t.equal(r.reached, 1, "a control emit on A reaches A's member there");
  for (const k of Object.keys(members)) await rec[k].until("ctl");
  t.equal(Object.keys(members).map((k) => rec[k].count("ctl")), [1, 1, 1],
    "and every member on the other servers once");

  // disconnectSockets() from Node closes a georoomd socket.
  const gone = t.next(outsider, "disconnect");
  io.in(outsider.id).disconnectSockets();
  t.equal(await gone, "io server disconnect", "Node's disconnectSockets() disconnects a socket on georoomd A");

  const sa = await t.control({ op: "stats" }, CTL_A);
  t.check(sa.redis_published > 0 && sa.redis_received > 0 && sa.redis_dropped === 0,
    "A's stats count what it published and received, nothing dropped", sa);

  for (const s of [a, b, n]) s.close();
  await node.close();
});
