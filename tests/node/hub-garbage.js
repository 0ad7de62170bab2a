// hub-garbage.js - georoomd fed thousands of mangled packets, with a
// fixed seed so a failure repeats: it closes offenders and keeps serving.
"use strict";
const t = require("./lib");

let seed = 12345;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const valid = [
  "40", "40/other,", '40{"token":1}', "41", '42["join_room",{"locationId":1}]',
  '421["join_room",{"locationId":"x","userId":2}]',
  '422["chat",{"userId":1,"message":{"a":[1,2]},"roomName":"1"}]',
  '42["broadcast",{"roomName":"1","message":null}]',
  '42["private",{"to":"nobody"}]', '42["leave_room",{"locationId":1}]',
  '451-["chat",{"_placeholder":true,"num":0}]', "43[]", "461-5[{}]", "3", "2probe", "6",
];
function mangle(s) {
  const chars = s.split("");
  const ops = 1 + rand(3);
  for (let i = 0; i < ops; i++) {
    const at = rand(chars.length + 1);
    switch (rand(4)) {
    case 0: chars.splice(at, 1); break;
    case 1: chars.splice(at, 0, String.fromCharCode(32 + rand(95))); break;
    case 2: chars.splice(at, 0, "[{\"\\,:0-9/".charAt(rand(11))); break;
    default: chars.splice(at, chars.length - at); break;
    }
  }
  return chars.join("");
}

t.run(async () => {
  let sent = 0, closes = 0, refusedByHub = 0;
  const before = await t.control({ op: "stats" });
  for (let round = 0; round < 40; round++) {
    const ws = await t.rawSocket();
    await ws.nextMessage();
    const closed = new Promise((r) => ws.once("close", r));
    for (let i = 0; i < 60 && ws.readyState === 1; i++) {
      const pick = valid[rand(valid.length)];
      const msg = rand(3) === 0 ? pick : mangle(pick);
      if (rand(10) === 0) ws.send(Buffer.from(msg)); else ws.send(msg);
      sent++;
    }
    ws.close();
    // The hub closes a session it refuses with 1002 (protocol error) or
    // 1009 (message too big) and counts it in protocol_errors.  When the
    // client's own close crosses the hub's, the client may see 1005
    // instead, so the codes seen are a lower bound.
    const code = await closed;
    if (code === 1002 || code === 1009) refusedByHub++;
    closes++;
  }
  t.check(sent > 1000, `sent ${sent} packets, most of them mangled, over ${closes} sessions`);
  const s = await t.connect();
  t.equal(await s.emitWithAck("join_room", { locationId: 1 }), "1",
    "the hub still serves a well-behaved client afterwards");
  const stats = await t.control({ op: "stats" });
  const counted = stats.protocol_errors - before.protocol_errors;
  t.check(refusedByHub > 0 && counted >= refusedByHub && counted <= closes,
    "protocol_errors counts every session closed for bad input, once each",
    { counted, refusedByHub, closes });
  s.close();
  await t.waitFor(async () => (await t.control({ op: "stats" })).connections === 0,
    5000, "every session to end");
  const after = await t.control({ op: "stats" });
  t.equal([after.sockets, after.rooms], [0, 0], "no socket or room is left behind");
});
