// hub-strings.js - strings that JSON.parse takes reach the room as sent:
// a string cut inside an emoji (a lone surrogate) is relayed, not refused.
"use strict";
const t = require("./lib");

t.run(async () => {
  const sender = await t.connect();
  const member = await t.connect();
  t.equal(await sender.emitWithAck("join_room", { locationId: "s" }), "s", "sender joins");
  t.equal(await member.emitWithAck("join_room", { locationId: "s" }), "s", "member joins");

  for (const [what, message] of [
    ["a lone high surrogate", "😀".slice(0, 1)],
    ["a lone low surrogate", "😀".slice(1)],
    ["text around a lone surrogate", "a" + "😀".slice(0, 1) + "b"],
  ]) {
    const got = t.next(member, "chat");
    const acked = await sender.emitWithAck("chat", { roomName: "s", message });
    t.equal(acked.message, message, `${what}: the sender's ack carries it as sent`);
    t.equal((await got).message, message, `${what}: the room gets it as sent`);
  }
  t.check(sender.connected && member.connected, "both clients are still connected");
  t.equal(await sender.emitWithAck("join_room", { locationId: "t" }), "t",
    "the sender is still served");
  sender.close();
  member.close();
});
