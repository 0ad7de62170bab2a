// geoput-hub.js - geoput's announcements reach real socket.io-clients in
// the location's room on a running georoomd, and no one else.  Needs
// GEOROOMD_PORT, GEOROOM_SOCKET and GEOROOM_DB, geoput on PATH, and a hub
// started with -n /fleet.
"use strict";
const t = require("./lib");

// geoput with `args` and `input` on stdin: its status, stdout and stderr.
const geoput = (args, input = "") => t.program("geoput", args, { input });
const lines = t.ndjson;

t.run(async () => {
  const a = await t.connect();
  const b = await t.connect();
  const f = await t.connect("/fleet");
  const chatA = t.recorder(a, "chat");
  const chatB = t.recorder(b, "chat");
  const chatF = t.recorder(f, "chat");
  const posA = t.recorder(a, "position");

  t.equal(await a.emitWithAck("join_room", { locationId: 42, userId: 7 }),
    "42", "client a joins room \"42\"");
  t.equal(await b.emitWithAck("join_room", { locationId: 43, userId: 8 }),
    "43", "client b joins room \"43\"");
  t.equal(await f.emitWithAck("join_room", { locationId: 42, userId: 9 }),
    "42", "client f joins room \"42\" of namespace /fleet");

  // One update from the command line.
  let r = await geoput(["--require-hub", "--id", "42", "--lon", "13.405",
    "--lat", "52.52", "--user", "7", "--prop", "name=Alex"]);
  t.equal(r.status, 0, "geoput --id 42 exits 0 with the hub up");
  t.equal(r.stderr, "", "and warns of nothing");
  const stored = lines(r.stdout)[0];
  await chatA.until(1);
  t.equal(chatA.values[0], { userId: 7, message: stored, roomName: "42" },
    "the member of room 42 receives chat {userId, message: the stored Feature, roomName}");
  t.equal(stored.geometry, { type: "Point", coordinates: [13.405, 52.52] },
    "the Feature carries the stored geometry");
  t.check(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(stored.updated_at),
    "and updated_at", stored);

  // Room 43 hears only its own update: a barrier proves the absence.
  r = await geoput(["-q", "--id", "43", "--lon", "1", "--lat", "2"]);
  await chatB.until(1);
  t.equal(chatB.values.map((v) => v.roomName), ["43"],
    "the member of room 43 got only room 43's update");
  t.equal(chatB.values[0].userId, null, "a location without a user has userId null");
  t.check(chatA.values.length === 1, "and room 42's member nothing of it");
  t.check(chatF.values.length === 0,
    "the /fleet member of room 42 got nothing from namespace /");

  // A batch: one connection, pipelined, each record to its room.
  const batch = [42, 43, 44, 42].map((id, i) =>
    JSON.stringify({ id, lon: i, lat: i, userId: 100 + i })).join("\n") + "\n";
  r = await geoput(["-q"], batch);
  t.equal(r.status, 0, "a batch of four records exits 0");
  await chatA.until(2);
  await chatB.until(2);
  t.equal(chatA.values[1].message.geometry.coordinates, [3, 3],
    "room 42 hears its last record of the batch, once");
  t.equal(chatB.values[1].message.userId, 101, "room 43 hears its record");

  // Another namespace, another event name.
  r = await geoput(["-q", "-n", "/fleet", "--id", "42", "--lon", "5",
    "--lat", "6"]);
  t.equal(r.status, 0, "geoput -n /fleet exits 0");
  await chatF.until(1);
  t.equal(chatF.values[0].message.geometry.coordinates, [5, 6],
    "the /fleet member of room 42 receives it");
  r = await geoput(["-q", "--event", "position", "--id", "42", "--lon", "7",
    "--lat", "8"]);
  await posA.until(1);
  t.equal(posA.values[0].message.geometry.coordinates, [7, 8],
    "--event names the event the room receives");
  t.check(chatA.values.length === 2, "room 42 in / got no /fleet update");

  // The hub refuses a namespace it does not serve.
  r = await geoput(["-q", "-n", "/nowhere", "--id", "42", "--lon", "1",
    "--lat", "1"]);
  t.equal(r.status, 78, "an unknown namespace exits 78 (EX_CONFIG)");
  t.check(/refused 1 emit: .*\/nowhere/.test(r.stderr),
    "and the hub's reason is shown", r.stderr);

  for (const s of [a, b, f]) s.disconnect();
});
