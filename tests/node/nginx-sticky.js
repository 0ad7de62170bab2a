// nginx-sticky.js - two georoomd sharing rooms through Redis behind
// examples/nginx/georoom.conf (ip_hash): socket.io-client with its default
// options (long-polling, then the upgrade) and a polling-only client go
// through nginx's /chat, every request of their sessions to one hub; a
// client of the other hub, connected to it directly, shares their room.
// Needs PROXY_PORT, GEOROOMD_PORT_A/B and GEOROOM_SOCKET_A/B.
"use strict";
const t = require("./lib");

const proxy = `http://127.0.0.1:${process.env.PROXY_PORT}`;

async function connect(url, opts) {
  const sock = t.io(url, { reconnection: false, forceNew: true, ...opts });
  await t.withTimeout(new Promise((resolve, reject) => {
    sock.once("connect", resolve);
    sock.once("connect_error", (e) => reject(new Error(`connect_error: ${e.message}`)));
  }), 10000, `connect ${url}`);
  return sock;
}

const stats = (sock) => t.control({ op: "stats" }, sock);

t.run(async () => {
  const def = await connect(proxy, { path: "/chat" });
  const upgraded = def.io.engine.transport.name === "websocket" ||
    (await t.next(def.io.engine, "upgrade", 10000)).name === "websocket";
  t.check(upgraded, "socket.io-client with no options connects through nginx and upgrades");
  const poll = await connect(proxy, { path: "/chat", transports: ["polling"] });
  t.equal(poll.io.engine.transport.name, "polling", "a polling-only client connects through nginx");

  const [sa, sb] = [await stats(process.env.GEOROOM_SOCKET_A),
    await stats(process.env.GEOROOM_SOCKET_B)];
  t.equal(sa.connections + sb.connections, 2, "the two sessions are on the hubs");
  t.check((sa.connections === 2 && sb.connections === 0) ||
    (sa.connections === 0 && sb.connections === 2),
  "ip_hash keeps every request of a client address on one hub", { a: sa.connections, b: sb.connections });
  // A client of the other hub, directly.
  const otherPort = sa.connections === 2 ? process.env.GEOROOMD_PORT_B : process.env.GEOROOMD_PORT_A;
  const other = await connect(`http://127.0.0.1:${otherPort}`);

  const recs = [def, poll, other].map((s) => t.recorder(s, "chat"));
  for (const s of [def, poll, other])
    t.equal(await s.emitWithAck("join_room", { locationId: 4 }), "4", "a client joins room 4");
  const m1 = { userId: 1, message: "from the other hub", roomName: "4" };
  await other.emitWithAck("chat", m1);
  await recs[0].until(1, 10000);
  await recs[1].until(1, 10000);
  t.equal([recs[0].values[0], recs[1].values[0]], [m1, m1],
    "a chat on the other hub reaches both clients behind nginx, through Redis");
  const m2 = { userId: 2, message: "over polling", roomName: "4" };
  await poll.emitWithAck("chat", m2);
  await recs[2].until(2, 10000);
  t.equal(recs[2].values[1], m2, "and the polling client's chat reaches the other hub's client");
  for (const s of [def, poll, other]) s.close();
});
