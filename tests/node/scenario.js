// scenario.js - the original application's flow end to end: two clients
// watch location 1, a third location 2; geoput updates location 1; both
// watchers of room "1" get chat {userId, message: the stored Feature,
// roomName: "1"} exactly once and room "2" gets nothing.  Needs
// GEOROOMD_PORT, GEOROOM_SOCKET, GEOROOM_DB and geoput on PATH.
"use strict";
const { execFileSync } = require("child_process");
const t = require("./lib");

t.run(async () => {
  const one = [await t.connect(), await t.connect()];
  const two = await t.connect();
  const chats = one.map((s) => t.recorder(s, "chat"));
  const chat2 = t.recorder(two, "chat");
  const marks = one.map((s) => t.recorder(s, "mark"));
  const mark2 = t.recorder(two, "mark");
  for (const [i, s] of one.entries())
    t.equal(await s.emitWithAck("join_room", { locationId: 1, userId: 10 + i }),
      "1", `client ${i + 1} joins location 1`);
  t.equal(await two.emitWithAck("join_room", { locationId: 2, userId: 20 }), "2",
    "client 3 joins location 2");

  const out = execFileSync("geoput", ["--require-hub", "--id", "1", "--user", "5",
    "--lon", "13.3777", "--lat", "52.5163"], { encoding: "utf8" });
  const stored = JSON.parse(out);
  t.equal([stored.id, stored.geometry], [1, { type: "Point", coordinates: [13.3777, 52.5163] }],
    "geoput prints the stored Feature");

  // A marker to both rooms after the update: whatever was meant for a
  // client has arrived once its marker has.
  const r = await t.controlMany([
    { op: "emit", room: "1", event: "mark", data: 1 },
    { op: "emit", room: "2", event: "mark", data: 2 },
  ]);
  t.equal(r.map((x) => x.reached), [2, 1], "the markers reach the rooms' members");
  for (const m of marks) await m.until(1);
  await mark2.until(1);
  for (const [i, c] of chats.entries())
    t.equal(c.values, [{ userId: 5, message: stored, roomName: "1" }],
      `client ${i + 1} got chat with the stored Feature exactly once`);
  t.equal(chat2.values, [], "the client watching location 2 got nothing");
  for (const s of [...one, two]) s.close();
});
