// hub-sessions.js N: N socket.io-client sessions each join a room and
// get their ack, then leave: the hub serves whole sessions on the
// connections it was given (its own accept, or a listener of its own).
"use strict";
const t = require("./lib");

t.run(async () => {
  const n = Number(process.argv[2] || 8);
  const socks = [];
  for (let i = 0; i < n; i++) socks.push(await t.connect());
  const acks = await Promise.all(socks.map((s, i) =>
    s.emitWithAck("join_room", { locationId: i, userId: i })));
  t.equal(acks, socks.map((_, i) => String(i)), `${n} sessions each join a room and get the ack`);
  for (const s of socks) s.close();
});
