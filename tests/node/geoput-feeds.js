// geoput-feeds.js - locations as real feeds have them reach real
// socket.io-clients on a running georoomd: a string id names its room
// ("B-12"), byte for byte.  Needs GEOROOMD_PORT, GEOROOM_SOCKET and
// GEOROOM_DB, and geoput on PATH.
"use strict";
const { execFile } = require("child_process");
const t = require("./lib");

// Runs geoput with `args` and `input` on stdin; resolves with its status,
// stdout and stderr.
function geoput(args, input = "") {
  return new Promise((resolve) => {
    const child = execFile("geoput", args, { timeout: 30000 },
      (error, stdout, stderr) => resolve({
        status: error ? (error.code ?? -1) : 0, stdout, stderr,
      }));
    child.stdin.end(input);
  });
}

const lines = (text) => text.split("\n").filter((l) => l !== "")
  .map((l) => JSON.parse(l));

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

  for (const s of [a, b]) s.disconnect();
});
