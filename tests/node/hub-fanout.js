// hub-fanout.js - a room large enough that georoomd shares each round's
// writes with its send threads (64 connections or more): 100 raw clients
// join room "big", 20 of them stop reading, and 150 messages (17 MB) of up
// to 256 KB go to the room, one a round and then in bursts, so that the paused members' sockets
// fill and their writes are taken in part, or not at all, and finished
// later.  Every member must end with every message, whole, in order, none
// twice; the hub drops no one (started with a --max-backlog that holds the
// backlog).  Needs GEOROOMD_PORT and GEOROOM_SOCKET.
"use strict";
const t = require("./lib");

const MEMBERS = 100, PAUSED = 20, N = 150, SINGLE = 40;

// Message n: its number and a padding whose length and letters follow
// from n, so that a message cut or spliced is seen.
const padOf = (n) => String.fromCharCode(97 + n % 26)
  .repeat(n < SINGLE || n % 5 === 4 ? 256 * 1024 : 100 + 997 * n % 20000);

async function member() {
  const ws = await t.rawSocket();
  await ws.nextMessage(); // open
  ws.send("40");
  await ws.nextMessage(); // CONNECT reply
  ws.send('421["join_room",{"locationId":"big"}]');
  const m = { ws, seen: [], bad: null, ack: await ws.nextMessage() };
  ws.removeAllListeners("message");
  ws.on("message", (data) => {
    const s = data.toString();
    if (s === "2") {
      ws.send("3");
      return;
    }
    if (!s.startsWith('42["pos",')) {
      m.bad = m.bad ?? `unexpected ${s.slice(0, 40)}`;
      return;
    }
    const { n, pad } = JSON.parse(s.slice(2))[1];
    if (pad !== padOf(n))
      m.bad = m.bad ?? `message ${n} arrived altered (${pad.length} bytes)`;
    m.seen.push(n);
  });
  return m;
}

t.run(async () => {
  const all = [];
  for (let i = 0; i < MEMBERS; i++) all.push(await member());
  t.equal(all.filter((m) => m.ack !== '431["big"]').length, 0,
    `all ${MEMBERS} members joined room big`);
  const paused = all.slice(0, PAUSED), unreached = [];
  for (const m of paused) m.ws._socket.pause();
  // One message a round first, so that the round a paused socket fills
  // is one the send threads write; then bursts of ten.
  for (let i = 0; i < N; i += i < SINGLE ? 1 : 10) {
    const reqs = [];
    for (let n = i; n < (i < SINGLE ? i + 1 : i + 10); n++)
      reqs.push({ op: "emit", room: "big", event: "pos", data: { n, pad: padOf(n) } });
    const replies = await t.controlMany(reqs);
    if (!replies.every((r) => r.ok && r.reached === MEMBERS))
      unreached.push(i);
  }
  t.equal(unreached, [], `every message reached all ${MEMBERS} members`);
  const reading = all.slice(PAUSED);
  await t.waitFor(() => reading.every((m) => m.seen.length >= N), 30000,
    "the reading members' messages");
  for (const m of paused) m.ws._socket.resume();
  await t.waitFor(() => all.every((m) => m.seen.length >= N), 30000,
    "the paused members' messages");
  const inOrder = (m) => m.seen.length === N && m.seen.every((n, i) => n === i);
  t.equal(reading.filter(inOrder).length, reading.length,
    "every reading member got every message, in order, once");
  t.equal(paused.filter(inOrder).length, paused.length,
    "every paused member too, once it read again");
  t.equal(all.filter((m) => m.bad !== null).map((m) => m.bad), [],
    "none altered, none unexpected");
  const st = await t.control({ op: "stats" });
  t.equal(st.dropped_slow, 0, "no member was dropped");
  for (const m of all) m.ws.close();
});
