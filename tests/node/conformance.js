// conformance.js - the conformance server answers as the official
// Socket.IO protocol suite expects (a subset, over raw WebSocket frames).
"use strict";
const t = require("./lib");

async function session(ns, connectPayload) {
  const ws = await t.rawSocket();
  const open = JSON.parse((await ws.nextMessage()).slice(1));
  ws.send(`40${ns === "/" ? "" : ns + ","}${connectPayload || ""}`);
  const reply = await ws.nextMessage();
  return { ws, open, reply };
}

t.run(async () => {
  const { ws, open, reply } = await session("/", '{"token":"123"}');
  t.equal([open.upgrades, open.pingInterval, open.pingTimeout, open.maxPayload],
    [[], 300, 200, 1000000], "the open packet has the suite's settings");
  t.check(/^40\{"sid":"[A-Za-z0-9_-]{20}"\}$/.test(reply), "CONNECT is answered with a sid", reply);
  t.equal(await ws.nextMessage(), '42["auth",{"token":"123"}]',
    "auth echoes the CONNECT payload");
  ws.send('42["message",1,"2",{"3":[true]}]');
  t.equal(await ws.nextMessage(), '42["message-back",1,"2",{"3":[true]}]',
    "message comes back as message-back");
  ws.send('42456["message-with-ack",1,"2",{"3":[false]}]');
  t.equal(await ws.nextMessage(), '43456[1,"2",{"3":[false]}]',
    "message-with-ack is acked with the same arguments");
  ws.send('452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
  ws.send(Uint8Array.from([1, 2, 3]));
  ws.send(Uint8Array.from([4, 5, 6]));
  t.equal(await ws.nextMessage(),
    '452-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
    "a binary event comes back with its placeholders");
  t.equal([...(await ws.nextMessage())], [1, 2, 3], "first attachment relayed intact");
  t.equal([...(await ws.nextMessage())], [4, 5, 6], "second attachment relayed intact");

  const c = await session("/custom");
  t.check(c.reply.startsWith("40/custom,"), "the /custom namespace is served", c.reply);
  t.equal(await c.ws.nextMessage(), '42/custom,["auth",{}]', "auth is {} without a payload");

  const bad = await t.rawSocket();
  await bad.nextMessage();
  bad.send("40/random");
  t.equal(await bad.nextMessage(), '44/random,{"message":"Invalid namespace"}',
    "an unknown namespace gets CONNECT_ERROR");

  // The heartbeat: three pings answered, then silence closes the session.
  const hb = await t.rawSocket();
  await hb.nextMessage();
  for (let i = 0; i < 3; i++) {
    t.equal(await hb.nextMessage(), "2", `ping ${i + 1} arrives`);
    hb.send("3");
  }
  const closed = t.next(hb, "close", 3000);
  t.check(typeof (await closed) === "number", "an unanswered ping closes the session");
  ws.close(); c.ws.close(); bad.close();
});
