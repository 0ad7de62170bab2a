// hub-conflate.js MODE - a client that stops reading while its room is
// fed fast (a hub with --max-backlog 1048576, and --conflate pos when
// MODE is "on").  "on": the slow client is never dropped, its queue keeps
// only the room's newest pos, and once it reads again it gets far fewer
// messages than were sent, the last one last, while the hub's memory stays
// flat.  "off": the same client is dropped as a slow reader.
// Needs GEOROOMD_PORT, GEOROOM_SOCKET and GEOROOMD_PID.
"use strict";
const fs = require("fs");
const t = require("./lib");

const mode = process.argv[2];
const N = 20000, PAD = "x".repeat(2000);

const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(
  fs.readFileSync(`/proc/${process.env.GEOROOMD_PID}/status`, "utf8"))[1]) * 1024;

// A raw client in room "fleet" of "/": [ws, messages seen].
async function slowClient() {
  const ws = await t.rawSocket();
  await ws.nextMessage();          // open
  ws.send("40");
  await ws.nextMessage();          // CONNECT reply
  ws.send('421["join_room",{"locationId":"fleet"}]');
  const ack = await ws.nextMessage();
  t.check(ack.startsWith("431"), "the slow client joined room fleet");
  const seen = [];
  ws.on("message", (data) => {
    const m = data.toString();
    if (m === "2") ws.send("3");
    else if (m.startsWith('42["pos"')) seen.push(JSON.parse(m.slice(2))[1].n);
  });
  return [ws, seen];
}

t.run(async () => {
  const [ws, seen] = await slowClient();
  // A member that reads, to show the room gets everything.
  const fast = await t.connect();
  await fast.emitWithAck("join_room", { locationId: "fleet" });
  const fastSeen = t.recorder(fast, "pos");
  ws._socket.pause();              // the slow client stops reading
  const before = rss();
  // Positions sent in batches, so the control socket keeps up.
  for (let i = 0; i < N; i += 500) {
    const reqs = [];
    for (let j = i; j < i + 500; j++)
      reqs.push({ op: "emit", room: "fleet", event: "pos", data: { n: j, pad: PAD } });
    await t.controlMany(reqs);
  }
  await fastSeen.until(N, 30000);
  const grew = rss() - before;
  const st = await t.control({ op: "stats" });
  if (mode === "off") {
    t.equal(st.dropped_slow, 1, "without --conflate the slow client is dropped");
    return;
  }
  t.equal(st.dropped_slow, 0, "with --conflate the slow client is not dropped");
  t.check(st.conflated > N / 2, `most positions replaced an older one in its queue (${st.conflated})`);
  t.check(grew < 16 * 1024 * 1024, `the hub's memory stays flat (+${(grew / 1048576).toFixed(1)} MiB for ${N} 2-KB positions)`);
  ws._socket.resume();
  await t.waitFor(() => seen.length > 0 && seen[seen.length - 1] === N - 1, 20000,
    "the slow client's last position");
  t.check(seen.length < N / 2, `it received ${seen.length} of ${N} positions`);
  t.check(seen.every((n, i) => i === 0 || n > seen[i - 1]), "in order, none twice");
  t.equal(fastSeen.values.length, N, "the member that reads got every position");
  ws.close();
  fast.close();
});
