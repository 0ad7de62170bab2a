// cluster-control.js - georoomd's control socket acting on a whole
// cluster: two georoomd (GEOROOMD_PORT_A/B, control sockets
// GEOROOM_SOCKET_A/B) and a Node socket.io 4.8 server started here share
// one Redis (REDIS_URL).  Through A alone, a producer lists every node's
// sockets and rooms, counts the servers, emits to a socket elsewhere,
// moves and disconnects sockets elsewhere and emits to the other servers;
// "local":true keeps each to A.  Absence is shown with a barrier message
// sent after the one that must not arrive (each path delivers in order).
"use strict";
const t = require("./lib");

const A = process.env.GEOROOMD_PORT_A, B = process.env.GEOROOMD_PORT_B;
const CTL_A = process.env.GEOROOM_SOCKET_A, CTL_B = process.env.GEOROOM_SOCKET_B;

const ctl = (req) => t.control(req, CTL_A);
const ids = (list) => list.map((s) => s.id).sort();

// Collects the events 'ev' a client receives.
function inbox(sock, ev) {
  const got = [];
  sock.on(ev, (...args) => got.push(args));
  return {
    got,
    async until(pred, what) {
      return t.waitFor(() => got.find(pred), 5000, what);
    },
  };
}

t.run(async () => {
  const serverEvents = [];
  const node = await t.nodeClusterServer((io) => {
    io.on("connection", (socket) => {
      socket.on("join_room", (p, ack) => {
        socket.join(String(p.locationId));
        if (ack) ack(String(p.locationId));
      });
    });
    io.on("cluster-note", (...args) => serverEvents.push(args));
  });
  const { io } = node, N = node.port;

  const a = await t.connectTo(A), b = await t.connectTo(B), n = await t.connectTo(N);
  for (const s of [a, b, n])
    await s.emitWithAck("join_room", { locationId: 5, userId: 3 });
  await b.emitWithAck("join_room", { locationId: 6, userId: 3 });

  // Listings through A span the cluster.
  let r = await ctl({ op: "servers" });
  t.equal(r.servers, 3, "servers counts the three nodes");
  t.equal((await ctl({ op: "servers", local: true })).servers, 1,
    "servers with local:true counts this node alone");

  r = await ctl({ op: "sockets", room: "5", id: "q1" });
  t.equal(ids(r.sockets), [a.id, b.id, n.id].sort(),
    "sockets of room 5 lists the members on A, on B and on Node");
  t.equal([r.servers, r.answered, r.complete, r.id], [3, 2, true, "q1"],
    "the reply says 3 servers, 2 answers, complete, and echoes the id");
  const onB = r.sockets.find((s) => s.id === b.id);
  t.equal(onB.rooms.sort(), ["5", "6"], "a socket on B is listed with its rooms, its own id left out");
  t.equal(onB.userIds, [3], "a socket on B keeps the userIds its georoomd knows");
  t.equal(r.sockets.find((s) => s.id === n.id).rooms, ["5"],
    "a socket on Node is listed with its rooms");
  r = await ctl({ op: "sockets", room: "5", local: true });
  t.equal(ids(r.sockets), [a.id], "sockets with local:true lists A's member only");
  t.check(r.servers === undefined, "a local listing says nothing of servers");

  // georoom-cli's who and rooms, cluster-wide unless --local.
  // (Run asynchronously: the Node server in this process must answer.)
  const { promisify } = require("util");
  const execFile = promisify(require("child_process").execFile);
  const cli = async (...args) => (await execFile(`${process.env.GEOROOM_BIN}/georoom-cli`,
    ["-c", CTL_A, ...args])).stdout.trim().split("\n");
  t.equal((await cli("who", "5")).map((l) => JSON.parse(l).id).sort(), [a.id, b.id, n.id].sort(),
    "georoom-cli who lists room 5's members on every node");
  t.equal((await cli("--local", "who", "5")).map((l) => JSON.parse(l).id), [a.id],
    "georoom-cli --local who lists A's member only");

  r = await ctl({ op: "rooms" });
  const rooms = Object.fromEntries(r.rooms.map((x) => [x.name, x.members]));
  t.equal(rooms, { 5: 3, 6: 1 }, "rooms counts each room's members on every node");
  r = await ctl({ op: "rooms", local: true });
  t.equal(r.rooms, [{ name: "5", members: 1 }], "rooms with local:true counts A's");

  r = await ctl({ op: "all_rooms" });
  for (const name of ["5", "6", a.id, b.id, n.id])
    t.check(r.rooms.includes(name), `all_rooms (ALL_ROOMS) names ${name.length > 2 ? "a socket's own room" : "room " + name}`);
  t.equal(r.rooms.length, new Set(r.rooms).size, "all_rooms names each room once");

  // Emits to one socket living elsewhere.
  const nMsgs = inbox(n, "note"), bMsgs = inbox(b, "note");
  r = await ctl({ op: "emit", socket: n.id, event: "note", data: { k: 1 } });
  t.equal([r.reached, r.published], [0, true], "an emit to a socket on Node reaches none on A, and is published");
  await nMsgs.until((m) => m[0].k === 1, "the socket on Node gets the emit");
  r = await ctl({ op: "emit", socket: n.id, event: "note", data: { k: 2 }, local: true });
  t.equal(r.error, `no socket "${n.id}" in namespace "/"`, "with local:true a socket elsewhere is unknown");
  r = await ctl({ op: "emit", room: "5", event: "note", data: { k: 3 }, local: true });
  t.equal([r.reached, r.published], [1, undefined], "a local emit to room 5 reaches A's member and is not published");
  r = await ctl({ op: "emit", room: "5", event: "note", data: { k: 4 } });
  t.equal([r.reached, r.published], [1, true], "an emit to room 5 reaches A's member here and is published");
  await nMsgs.until((m) => m[0].k === 4, "the barrier reaches Node's member");
  await bMsgs.until((m) => m[0].k === 4, "the barrier reaches B's member");
  t.check(!nMsgs.got.some((m) => m[0].k === 3) && !bMsgs.got.some((m) => m[0].k === 3),
    "the local emit reached no other node");

  // socketsJoin / socketsLeave of sockets on other nodes.
  r = await ctl({ op: "join", socket: n.id, rooms: ["x", "y"] });
  t.equal([r.sockets, r.published], [0, true], "join of a socket on Node: none here, published");
  await t.eventually(async () => {
    const s = await io.in("y").fetchSockets();
    return s.length === 1 && s[0].id === n.id;
  }, 5000, "the socket on Node joined room y (Node's fetchSockets)");
  r = await ctl({ op: "join", room: "5", except: a.id, rooms: ["z"] });
  t.equal(r.sockets, 0, "join of room 5 but A's member picks none here");
  await t.eventually(async () => ids((await ctl({ op: "sockets", room: "z" })).sockets).join() ===
    [b.id, n.id].sort().join(), 5000, "room 5's members on B and Node joined z, A's did not");
  r = await ctl({ op: "leave", rooms: ["z"] });
  t.equal(r.published, true, "leave of every socket is published");
  await t.eventually(async () => (await ctl({ op: "sockets", room: "z" })).sockets.length === 0,
    5000, "every socket left z");
  r = await ctl({ op: "join", socket: b.id, rooms: ["w"], local: true });
  t.equal([r.sockets, r.published], [0, undefined], "a local join of a socket on B does nothing");
  r = await ctl({ op: "sockets", room: "w" });
  t.equal(r.sockets.length, 0, "and B's socket is in no room w");

  // serverSideEmit reaches Node's io.on() listeners.
  r = await ctl({ op: "server_emit", event: "cluster-note", args: [1, "two"] });
  t.equal(r.published, true, "server_emit is published");
  await t.eventually(() => serverEvents.length === 1, 5000, "Node's server gets the server-side event");
  t.equal(serverEvents[0], [1, "two"], "with its arguments intact");
  r = await ctl({ op: "server_emit", event: "cluster-note", local: true });
  t.check(r.ok === false, "server_emit with local:true is refused");

  // disconnectSockets of a socket on B, through A.
  const bId = b.id; // the client forgets it once disconnected
  const gone = t.next(b, "disconnect");
  r = await ctl({ op: "disconnect", socket: bId });
  t.equal([r.disconnected, r.published], [0, true], "disconnect of a socket on B is published");
  t.equal(await gone, "io server disconnect", "the socket on B is disconnected");
  r = await ctl({ op: "disconnect", socket: bId, local: true });
  t.equal(r.error, `no socket "${bId}"`, "with local:true an unknown socket is an error");
  const nGone = t.next(n, "disconnect");
  r = await ctl({ op: "disconnect", room: "5" });
  t.equal([r.disconnected, r.published], [1, true], "disconnect of room 5 takes A's member here and is published");
  t.equal(await nGone, "io server disconnect", "room 5's member on Node is disconnected");
  await t.eventually(async () => (await ctl({ op: "sockets" })).sockets.length === 0, 5000,
    "no socket is left in the cluster");

  const st = await ctl({ op: "stats" });
  t.check(st.redis_asked >= 6 && st.redis_incomplete === 0,
    `A's stats count its requests and none incomplete (asked ${st.redis_asked})`);

  for (const s of [a, b, n]) s.close();
  await node.close();
});
