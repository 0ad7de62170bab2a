// geoput-feeds.js - locations as real feeds have them reach real
// socket.io-clients on a running georoomd: a string id names its room
// ("B-12"), byte for byte; an update that changes nothing, or comes
// older than the stored one, is not announced; the payload's userId is
// the stored one.  Needs GEOROOMD_PORT, GEOROOM_SOCKET and GEOROOM_DB,
// and geoput on PATH.
"use strict";
const t = require("./lib");

// geoput with `args` and `input` on stdin: its status, stdout and stderr.
const geoput = (args, input = "") => t.program("geoput", args, { input });
const lines = t.ndjson;

t.run(async () => {
  const a = await t.connect();
  const b = await t.connect();
  const chatA = t.recorder(a, "chat");
  const chatB = t.recorder(b, "chat");

  t.equal(await a.emitWithAck("join_room", { locationId: "B-12" }), "B-12",
    "client a joins room \"B-12\"");
  t.equal(await b.emitWithAck("join_room", { locationId: "b-12" }), "b-12",
    "client b joins room \"b-12\"");

  // A vendor's feed with string ids, reshaped by a filter.
  const feed = JSON.stringify({ vehicles: [
    { vid: "B-12", lng: 13.405, lat: 52.52 },
  ] });
  let r = await geoput(["--require-hub", "--jq",
    ".vehicles[] | {id: .vid, lon: .lng, lat}"], feed);
  t.equal(r.status, 0, "geoput stores vehicle \"B-12\" and exits 0");
  t.equal(r.stderr, "", "and warns of nothing");
  const stored = lines(r.stdout)[0];
  t.equal(stored.id, "B-12", "the stored Feature's id is the string \"B-12\"");
  await chatA.until(1);
  t.equal(chatA.values[0], { userId: null, message: stored, roomName: "B-12" },
    "the member of room \"B-12\" receives chat with the stored Feature");

  // "b-12" is another id and another room: a barrier proves the absence.
  r = await geoput(["-q", "--id", "b-12", "--lon", "1", "--lat", "2"]);
  t.equal(r.status, 0, "geoput --id b-12 exits 0");
  await chatB.until(1);
  t.equal(chatB.values[0].message.id, "b-12", "room \"b-12\" hears \"b-12\"");
  t.check(chatA.values.length === 1 && chatB.values.length === 1,
    "and each room heard only its own id");

  // Each connection delivers in order: the next chat a hears after runs
  // that must not announce is the one run that must, or nothing was quiet.
  r = await geoput(["-q", "--id", "B-12", "--lon", "13.405", "--lat", "52.52"]);
  t.equal(r.status, 0, "the same position again: stored, exit 0");
  r = await geoput(["-q", "--jq", ".vehicles[] | {id: .vid, lon: .lng, lat, time}"],
    JSON.stringify({ vehicles: [{ vid: "B-12", lng: 1, lat: 1,
      time: "2001-01-01T00:00:00Z" }] }));
  t.equal(r.status, 0, "an update older than the stored one: exit 0");
  t.check(/1 record skipped: older than the location stored/.test(r.stderr),
    "and a warning counts it", r.stderr);
  r = await geoput(["-q", "--user", "9", "--id", "B-12", "--lon", "13.5",
    "--lat", "52.5"]);
  await chatA.until(2);
  t.equal(chatA.values[1].message.geometry.coordinates, [13.5, 52.5],
    "room \"B-12\" heard neither the unchanged nor the older update, then the move");
  t.equal(chatA.values[1].userId, 9, "with the user id given");
  r = await geoput(["-q", "--id", "B-12", "--lon", "13.6", "--lat", "52.5"]);
  await chatA.until(3);
  t.equal([chatA.values[2].userId, chatA.values[2].message.userId], [9, 9],
    "a move without a user id announces the one stored (merge)");
  r = await geoput(["-q", "--announce-unchanged", "--id", "B-12", "--lon",
    "13.6", "--lat", "52.5"]);
  await chatA.until(4);
  t.equal(chatA.values[3].message.geometry.coordinates, [13.6, 52.5],
    "--announce-unchanged announces the update that changed nothing");

  for (const s of [a, b]) s.disconnect();
});
