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

  // RFC 6455 5.1: a client's frames are masked, and a server closes the
  // connection on one that is not (1002).  The hub must not act on it.
  const unmasked = async (what, send) => {
    const u = await ws.open();
    await u.write(ws.frame(1, "40"));
    const reply = await u.nextFrame();
    await send(u);
    const frames = [];
    let code;
    for (;;) {
      const f = await u.nextFrame(2000).catch(() => null);
      if (f === null) { code = "none"; break; }
      if (f.opcode === 8) { code = f.payload.readUInt16BE(0); break; }
      frames.push(f.payload.toString());
    }
    u.destroy();
    t.equal([reply.payload.toString().slice(0, 2), code, frames], ["40", 1002, []],
      `${what} is answered with 1002 and nothing else`);
  };
  await unmasked("an unmasked text frame", (u) =>
    u.write(ws.frame(1, '42["join_room",{"locationId":1}]', { mask: false })));
  await unmasked("an unmasked ping", (u) => u.write(ws.frame(9, "x", { mask: false })));
  await unmasked("an unmasked frame after masked ones in the same write", (u) =>
    u.write(Buffer.concat([ws.frame(1, "3"), ws.frame(1, "3"),
      ws.frame(1, '42["join_room",{"locationId":1}]', { mask: false })])));
  await unmasked("an unmasked frame whose header comes in two writes", async (u) => {
    const f = ws.frame(1, '42["join_room",{"locationId":1}]', { mask: false });
    await u.write(f.subarray(0, 1));
    await new Promise((r) => setTimeout(r, 50));
    await u.write(f.subarray(1));
  });
  // Sent with the handshake itself: closed before the session starts.
  c = await ws.request("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n" +
    "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n" +
    ws.frame(1, "40", { mask: false }).toString("latin1"));
  await c.until(() => (c.buf.indexOf("\r\n\r\n") >= 0 ? true : undefined), 5000, "101");
  c.buf = c.buf.subarray(c.buf.indexOf("\r\n\r\n") + 4);
  t.equal(await c.closeCode(2000).catch(() => "none"), 1002,
    "an unmasked frame sent with the handshake is answered with 1002");
  c.destroy();
  // A mask of four zero bytes is still a mask.
  c = await ws.open();
  const zero = Buffer.from([0x81, 0x82, 0, 0, 0, 0, 0x34, 0x30]); // "40"
  await c.write(zero);
  t.equal((await c.nextFrame()).payload.toString().slice(0, 2), "40",
    "a frame masked with a zero key is served");
  c.destroy();

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

  // A refused request ends its connection: an upgrade sent after it on
  // the same connection is not served.
  c = await ws.request("GET /socket.io/?EIO=4&transport=nope HTTP/1.1\r\nHost: x\r\n\r\n" +
    "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n" +
    "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  const r = await c.httpResponse();
  await c.gone();
  t.equal([r.status, /connection: close/i.test(r.head), c.buf.toString()], [400, true, ""],
    "a refused request ends its connection: a request after it gets no answer");
  c = await ws.request("GET /socket.io/?EIO=3&transport=websocket HTTP/1.1\r\nHost: x\r\n" +
    "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  const v = await c.httpResponse();
  await c.gone();
  t.equal([v.status, /connection: close/i.test(v.head), v.body],
    [400, true, '{"code":5,"message":"Unsupported protocol version"}'],
    "a refused upgrade says Connection: close, and closes");

  const s = await t.connect();
  t.equal(await s.emitWithAck("join_room", { locationId: 1 }), "1",
    "the hub still serves a well-behaved client afterwards");
  s.close();
});
