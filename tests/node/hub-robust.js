// hub-robust.js - georoomd under bad input and with idle clients; the
// control socket.  Needs a hub started with --ping-interval 100
// --ping-timeout 400 --connect-timeout 300 --max-payload 4096.
"use strict";
const t = require("./lib");

t.run(async () => {
  // Control socket: emit, pipelining, bad requests.
  const a = await t.connect();
  const b = await t.connect();
  await a.emitWithAck("join_room", { locationId: 5 });
  await b.emitWithAck("join_room", { locationId: 5 });
  const chatA = t.recorder(a, "chat");
  const chatB = t.recorder(b, "chat");
  const direct = t.recorder(b, "direct");
  const data = { userId: 1, message: { n: 1 }, roomName: "5" };
  const replies = await t.controlMany([
    { op: "emit", room: "5", event: "chat", data, id: 1 },
    "this is not json",
    { op: "emit", room: "5", event: "chat", data },
    { op: "nope" },
    { op: "emit", room: "5", event: "connect", data: 1 },
    { op: "emit", room: "5", event: "chat", data, except: a.id },
    { op: "emit", ns: "/missing", room: "5", event: "chat" },
    { op: "emit", socket: b.id, event: "direct", args: [1, "two"] },
    { op: "rooms" },
  ]);
  t.equal(replies[0], { ok: true, id: 1, reached: 2 },
    "control emit replies with the sockets reached and echoes the id");
  t.check(replies[1].ok === false && /invalid JSON/.test(replies[1].error),
    "a malformed request line gets an error reply", replies[1]);
  t.equal(replies[2], { ok: true, reached: 2 },
    "the connection stays usable after a bad request");
  t.equal(replies[3], { ok: false, error: "unknown op \"nope\"" },
    "an unknown op is named in the error");
  t.equal(replies[4], { ok: false, error: "event \"connect\" is reserved" },
    "reserved event names are refused");
  t.equal(replies[5], { ok: true, reached: 1 }, "except leaves one socket out");
  t.equal(replies[6], { ok: false, error: "unknown namespace \"/missing\"" },
    "an unknown namespace is refused");
  t.equal(replies[7], { ok: true, reached: 1 }, "emit to one socket id");
  t.equal(replies[8], { ok: true, rooms: [{ name: "5", members: 2 }] },
    "rooms lists rooms with member counts");
  await chatA.until(2);
  await chatB.until(3);
  t.equal(chatA.values, [data, data], "control emits reach a member (except honoured)");
  t.equal(chatB.values, [data, data, data], "control emits reach the other member");
  await direct.until(1);
  t.equal(direct.values[0], [1, "two"], "args deliver several arguments");

  // An idle client is kept alive over several ping intervals.
  let pings = 0;
  a.io.engine.on("ping", () => pings++);
  await t.waitFor(() => pings >= 5, 5000, "5 pings");
  t.check(a.connected, "an idle client answers pings and stays connected over 5 intervals");

  // A bad packet closes only the offender.
  const errorsBefore = (await t.control({ op: "stats" })).protocol_errors;
  const bad = await t.rawSocket();
  await bad.nextMessage();               // open packet
  bad.send("40");
  await bad.nextMessage();               // CONNECT reply
  const closed = t.next(bad, "close");
  bad.send("42{}");
  const code = await closed;
  t.equal(code, 1002, "a malformed packet closes that connection with 1002");
  t.equal(await a.emitWithAck("join_room", { locationId: 6 }), "6",
    "other clients are unaffected by the bad packet");

  // An oversized message closes only its sender.
  const big = await t.rawSocket();
  await big.nextMessage();
  const bigClosed = t.next(big, "close");
  big.send("42" + JSON.stringify(["chat", "x".repeat(5000)]));
  t.equal(await bigClosed, 1009, "a message over --max-payload is closed with 1009");

  // No CONNECT within the connect timeout: closed.
  const lazy = await t.rawSocket();
  await lazy.nextMessage();
  const lazyClose = t.next(lazy, "close", 3000);
  t.check(typeof (await lazyClose) === "number", "a session that sends no CONNECT is closed after the connect timeout");
  t.equal((await t.control({ op: "stats" })).protocol_errors - errorsBefore, 2,
    "protocol_errors counts the malformed and the oversized message, not the timeout");

  // Issue 12: a binary event whose placeholder names no attachment would
  // make every socket.io-client in the room throw "illegal attachments"
  // and drop its connection; it closes only its sender, as socket.io does.
  const member = await t.connect();
  t.equal(await member.emitWithAck("join_room", { locationId: "p" }), "p",
    "a socket.io-client joins room p");
  const chatP = t.recorder(member, "chat");
  let memberLost = null;
  member.on("disconnect", (why) => { memberLost = why; });
  const sender = async () => {
    const ws = await t.rawSocket();
    await ws.nextMessage();              // open packet
    ws.send("40");
    await ws.nextMessage();              // CONNECT reply
    return ws;
  };
  const good = await sender();
  good.send('451-["chat",{"roomName":"p","message":{"_placeholder":true,"num":0}}]');
  good.send(Buffer.from([7]));
  await chatP.until(1);
  t.check(Buffer.isBuffer(chatP.values[0].message) &&
    chatP.values[0].message.equals(Buffer.from([7])),
    "a binary chat whose placeholder names its attachment reaches the room",
    chatP.values[0]);
  for (const num of [5, "0", -1, 1, 0.5, null]) {
    const ws = await sender();
    const closedBad = t.next(ws, "close");
    ws.send('451-["chat",{"roomName":"p","message":' +
      JSON.stringify({ _placeholder: true, num }) + "}]");
    ws.send(Buffer.from([1]));
    t.equal(await closedBad.catch((e) => e.message), 1002,
      `a placeholder with num ${JSON.stringify(num)} for 1 attachment closes its sender with 1002`);
  }
  // Barrier: a good message after the bad ones, on the same path.
  good.send('42["chat",{"roomName":"p","message":"after"}]');
  await chatP.until(2).catch(() => {});
  t.equal(chatP.values.slice(1), [{ roomName: "p", message: "after" }],
    "the room saw none of them, and still gets what follows");
  t.check(member.connected && memberLost === null,
    "the socket.io-client in the room stays connected", memberLost);
  t.equal(await member.emitWithAck("leave_room", { locationId: "p" }), "p",
    "and keeps its rooms");
  good.close(); member.close();
  a.close(); b.close();
});
