// hub-wsedges.js - georoomd at the edges of RFC 6455, byte by byte: what
// it answers to close frames, unmasked frames and malformed requests.
"use strict";
const t = require("./lib");
const ws = require("./rawws");

t.run(async () => {
  // RFC 6455 5.5.1: a close payload is empty or starts with a 2-byte
  // status; one byte alone is a protocol error, not something to echo.
  let c = await ws.open();
  await c.write(ws.frame(8, Buffer.from([0x03])));
  t.equal(await c.closeCode(), 1002, "a 1-byte close payload is answered with 1002");
  c.end();
  await c.gone();
  c = await ws.open();
  await c.write(ws.frame(8, Buffer.from([0x03, 0xe8, 0x62, 0x79, 0x65])));
  t.equal(await c.closeCode(), 1000, "a close with status 1000 and a reason is answered with 1000");
  await c.gone();
  c = await ws.open();
  await c.write(ws.frame(8, Buffer.alloc(0)));
  t.equal(await c.closeCode(), 0, "an empty close is answered with an empty close");
  await c.gone();

  const s = await t.connect();
  t.equal(await s.emitWithAck("join_room", { locationId: 1 }), "1",
    "the hub still serves a well-behaved client afterwards");
  s.close();
});
