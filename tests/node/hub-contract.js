// hub-contract.js - georoomd's event contract, driven by the real
// socket.io-client.  Needs GEOROOMD_PORT and GEOROOM_SOCKET, and a hub
// started with -n /other.
"use strict";
const t = require("./lib");

const messages = (rec) => rec.values.map((v) => v.message);
const until = (rec, msg) => t.waitFor(() => messages(rec).includes(msg), 5000,
  `message ${msg}`);

t.run(async () => {
  const a = await t.connect();
  const b = await t.connect();
  const c = await t.connect();
  t.check(typeof a.id === "string" && a.id.length === 20,
    "socket.io-client connects and gets a 20-character socket id");

  const chatA = t.recorder(a, "chat");
  const chatB = t.recorder(b, "chat");
  const chatC = t.recorder(c, "chat");

  t.equal(await a.emitWithAck("join_room", { locationId: 1, userId: 7 }),
    "1", "join_room with a numeric locationId acks the room name \"1\"");
  t.equal(await b.emitWithAck("join_room", { locationId: "1", userId: 8 }),
    "1", "join_room with a string locationId acks the same room");
  t.equal(await c.emitWithAck("join_room", { locationId: 2, userId: 9 }),
    "2", "a third client joins room \"2\"");
  t.equal(await a.emitWithAck("join_room", { locationId: 1.5 }), "1.5",
    "a fractional locationId names its room as JavaScript's String() does");
  await a.emitWithAck("leave_room", { locationId: 1.5 });

  const payload = { userId: 7, message: { lon: 13.4, lat: 52.5, big: 12345678901234567890 }, roomName: "1" };
  const ack = await a.emitWithAck("chat", payload);
  t.equal(ack, payload, "chat acks with the payload");
  await chatA.until(1);
  await chatB.until(1);
  t.equal(chatA.values[0], payload, "chat reaches the sender, a member of the room");
  t.equal(chatB.values[0], payload, "chat reaches the other member");

  // Barrier: a message to room 2 after the one to room 1.
  await a.emitWithAck("chat", { userId: 7, message: "to-2", roomName: "2" });
  await chatC.until(1);
  t.equal(chatC.values, [{ userId: 7, message: "to-2", roomName: "2" }],
    "a member of room 2 got only the message for room 2");
  t.check(chatA.values.length === 1, "the sender is not in room 2 and got nothing for it");

  // Broadcast: everyone in the room but the sender, as event "chat".
  await a.emitWithAck("broadcast", { userId: 7, message: "bc", roomName: "1" });
  await chatB.until(2);
  t.equal(chatB.values[1], { userId: 7, message: "bc", roomName: "1" },
    "broadcast reaches the other member as event chat");
  await b.emitWithAck("chat", { userId: 8, message: "barrier", roomName: "1" });
  await chatA.until(2);
  t.equal(chatA.values[1].message, "barrier",
    "broadcast did not come back to its sender");

  // Private: one socket, event "private", with "from".
  const privB = t.recorder(b, "private");
  const pack = await a.emitWithAck("private", { to: b.id, userId: 7, message: "psst" });
  await privB.until(1);
  t.equal(privB.values[0], { to: b.id, userId: 7, message: "psst", from: a.id },
    "private reaches the one socket named, with from set");
  t.equal(pack, { to: b.id, userId: 7, message: "psst", from: a.id },
    "private acks with what was delivered");
  t.equal(await a.emitWithAck("private", { to: "nobody", message: 1 }),
    { error: "private needs {\"to\": the id of a socket in this namespace}" },
    "private to an unknown socket acks an error");

  // Namespaces never leak.
  const o = await t.connect("/other");
  const chatO = t.recorder(o, "chat");
  t.equal(await o.emitWithAck("join_room", { locationId: 1 }), "1",
    "a socket of namespace /other joins its own room \"1\"");
  await a.emitWithAck("chat", { userId: 7, message: "ns-/", roomName: "1" });
  await o.emitWithAck("chat", { userId: 1, message: "ns-other", roomName: "1" });
  await chatO.until(1);
  t.equal(chatO.values.map((v) => v.message), ["ns-other"],
    "room \"1\" of / does not leak into room \"1\" of /other");
  await b.emitWithAck("chat", { userId: 8, message: "ns-barrier", roomName: "1" });
  await until(chatA, "ns-barrier");
  t.check(messages(chatA).includes("ns-/") && !messages(chatA).includes("ns-other"),
    "room \"1\" of /other does not leak into room \"1\" of /", messages(chatA));

  // Unknown events and bad payloads get error acks; the socket stays.
  t.equal(await a.emitWithAck("nope", {}), { error: "unknown event \"nope\"" },
    "an unknown event acks an error naming it");
  t.equal(await a.emitWithAck("join_room", { userId: 1 }),
    { error: "join_room needs {\"locationId\": a number or a string}" },
    "join_room without locationId acks an error");
  t.equal(await a.emitWithAck("chat", { message: 1 }),
    { error: "chat needs {\"roomName\": a string}" },
    "chat without roomName acks an error");

  // A non-member may send to a room (as the original did) and is not echoed.
  const outsider = { userId: 9, message: "outsider", roomName: "1" };
  t.equal(await c.emitWithAck("chat", outsider), outsider,
    "chat from a socket outside the room acks the payload, not an error");
  await until(chatB, "outsider");
  await until(chatA, "outsider");
  t.equal([chatA, chatB].map((rec) => rec.values.find((v) => v.message === "outsider")),
    [outsider, outsider], "every member of the room receives the outsider's chat");
  await c.emitWithAck("chat", { userId: 9, message: "c-barrier", roomName: "2" });
  await until(chatC, "c-barrier");
  t.check(!messages(chatC).includes("outsider"),
    "the outside sender does not receive its own message", messages(chatC));

  // Leave: no more deliveries.
  t.equal(await b.emitWithAck("leave_room", { locationId: 1 }), "1",
    "leave_room acks the room name");
  await a.emitWithAck("chat", { userId: 7, message: "after-leave", roomName: "1" });
  await b.emitWithAck("join_room", { locationId: 2 });
  await a.emitWithAck("chat", { userId: 7, message: "b-barrier", roomName: "2" });
  await until(chatB, "b-barrier");
  t.check(!messages(chatB).includes("after-leave"),
    "after leave_room the socket gets nothing from that room", messages(chatB));

  // The control socket sees members and their userIds.
  const socks = await t.control({ op: "sockets", room: "1" });
  t.equal(socks.sockets.map((s) => s.id).sort(), [a.id].sort(),
    "control sockets lists the room's members");
  t.equal(socks.sockets[0].userIds, [7], "control sockets reports the userIds seen in join_room");

  // Issue 12: names are bytes with a length, NUL included, as in Node,
  // where "a\u0000b" is a room of its own and "join_room\u0000zz" is not
  // join_room.
  const z = await t.connect();
  const chatZ = t.recorder(z, "chat");
  t.equal(await z.emitWithAck("join_room", { locationId: "a\u0000b", userId: "u\u0000v" }),
    "a\u0000b", "join_room acks a name holding NUL in full");
  const nulRooms = (await t.control({ op: "rooms" })).rooms
    .filter((r) => r.name.startsWith("a")).map((r) => r.name);
  t.equal(nulRooms, ["a\u0000b"], "that room is \"a\\u0000b\", not \"a\"");
  t.equal(await z.emitWithAck("leave_room", { locationId: "a" }), "a",
    "leave_room \"a\" acks \"a\"");
  const inNul = await t.control({ op: "sockets", room: "a\u0000b" });
  t.equal(inNul.sockets.map((e) => [e.id, e.userIds]), [[z.id, ["u\u0000v"]]],
    "and leaves \"a\\u0000b\" alone; a userId keeps its NUL too");
  await c.emitWithAck("chat", { userId: 9, message: "to-a", roomName: "a" });
  await c.emitWithAck("chat", { userId: 9, message: "to-a-nul-b", roomName: "a\u0000b" });
  await chatZ.until(1);
  await z.emitWithAck("chat", { userId: 9, message: "z-barrier", roomName: "a\u0000b" });
  await chatZ.until(2);
  t.equal(messages(chatZ), ["to-a-nul-b", "z-barrier"],
    "chat to \"a\" does not reach room \"a\\u0000b\", chat to it does");
  t.equal(await z.emitWithAck("leave_room", { locationId: "a\u0000b" }), "a\u0000b",
    "leave_room \"a\\u0000b\" leaves it");
  t.equal((await t.control({ op: "sockets", room: "a\u0000b" })).sockets, [],
    "and the room is gone");
  const forged = "x\ngeoroomd: error: forged";
  t.equal(await z.emitWithAck("join_room", { locationId: forged }), forged,
    "a room name may hold a newline");
  await z.emitWithAck("leave_room", { locationId: forged });
  t.equal(await z.emitWithAck("join_room\u0000zz", { locationId: "zz" }),
    { error: "unknown event \"join_room\u0000zz\"" },
    "an event named \"join_room\\u0000zz\" is unknown, and named in full");
  t.equal(await z.emitWithAck("chat\u0000", { message: "x", roomName: "2" }),
    { error: "unknown event \"chat\u0000\"" }, "so is \"chat\\u0000\"");
  t.equal((await t.control({ op: "sockets", room: "zz" })).sockets, [],
    "and joins nothing");
  t.equal(await z.emitWithAck("x" + "\u00e9".repeat(40)),
    { error: `unknown event "x${"\u00e9".repeat(31)}"` },
    "an unknown name is cut to 64 bytes, not inside a character");
  t.equal(await z.emitWithAck("private", { to: c.id + "\u0000", message: 1 }),
    { error: "private needs {\"to\": the id of a socket in this namespace}" },
    "private to a socket id with a NUL after it reaches no one");

  // Disconnect cleanup: rooms go when their last member does.
  a.close(); b.close(); c.close(); o.close(); z.close();
  await t.waitFor(async () => (await t.control({ op: "stats" })).connections === 0,
    5000, "connections to drop to 0");
  const rooms = await t.control({ op: "rooms" });
  t.equal(rooms, { ok: true, rooms: [] }, "empty rooms are freed after disconnects");
  const stats = await t.control({ op: "stats" });
  t.equal([stats.sockets, stats.rooms], [0, 0], "no sockets or rooms remain");
});
