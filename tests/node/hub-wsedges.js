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

  // Requests libwebsockets refuses before the hub sees them get the same
  // kind of answer as every other refusal: engine.io's JSON error, here
  // 400 Bad request (Node's HTTP server answers these 400 too), once,
  // and the connection ends.
  const before = await t.control({ op: "stats" });
  const malformed = [
    ["a request line without a path", "GET  HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["a request line without a version", "GET\r\nHost: x\r\n\r\n"],
    ["a path that does not start with /", "GET x HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["an absolute URI", "GET http://a/socket.io/ HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["an unknown method", "FOO /socket.io/ HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["a bad %-escape", "GET /socket.io/%zz HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["an Upgrade other than websocket",
      "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n" +
      "Upgrade: foo\r\nConnection: Upgrade\r\n\r\n"],
  ];
  for (const [what, head] of malformed) {
    c = await ws.request(head);
    const r = await c.httpResponse();
    await c.gone();
    t.equal([r.status, /content-type: application\/json/i.test(r.head), r.body,
      c.buf.length], [400, true, '{"code":3,"message":"Bad request"}', 0],
    `${what} is answered once with 400 {"code":3,"message":"Bad request"}`);
  }
  const after = await t.control({ op: "stats" });
  t.equal(after.refused - before.refused, malformed.length,
    "stats counts each of them as refused");

  const s = await t.connect();
  t.equal(await s.emitWithAck("join_room", { locationId: 1 }), "1",
    "the hub still serves a well-behaved client afterwards");
  s.close();
});
