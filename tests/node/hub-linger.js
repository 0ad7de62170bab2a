// hub-linger.js - georoomd's lingering close: after it closes a session,
// a client that still writes (its own close frame, a last message) meets
// an open socket rather than a reset, and the hub still lets the socket go
// within its bound, however the client behaves.
"use strict";
const fs = require("fs");
const t = require("./lib");
const ws = require("./rawws");

const pid = process.env.GEOROOMD_PID;

// Sockets the hub holds open now.
function sockets() {
  let n = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) n++;
    } catch (e) { /* closed meanwhile */ }
  }
  return n;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits until the hub holds no more sockets than 'base'; resolves with the
// milliseconds that took.
async function released(base, ms = 6000) {
  const t0 = Date.now();
  await t.waitFor(() => sockets() <= base, ms, "the hub to close the socket");
  return Date.now() - t0;
}

// A session that sends Engine.IO's close packet, as python-socketio's
// disconnect() does; resolves once the hub's close frame has come.
async function closedByHub() {
  const c = await ws.open();
  await c.write(ws.frame(1, "40"));
  const f = await c.nextFrame();
  if (!f || !f.payload.toString().startsWith("40")) throw new Error("no CONNECT reply");
  await c.write(ws.frame(1, "1"));
  t.equal(await c.closeCode(), 1000, "the hub answers an Engine.IO close with 1000");
  return c;
}

t.run(async () => {
  const base = sockets();

  // python-socketio: its close frame and a last write after the hub's.
  let c = await closedByHub();
  await c.write(ws.frame(8, Buffer.from([0x03, 0xe8])));
  await sleep(100);
  await c.write(ws.frame(1, "2"));
  await sleep(100);
  await c.write(ws.frame(1, "2"));
  c.end();
  await c.gone();
  t.check(c.error === null, "a client writing after the hub's close gets no reset or broken pipe",
    c.error && c.error.code);
  await released(base);

  // A client that says nothing more and never closes: the socket goes
  // after the bound (2 s), not before it has lingered.
  c = await closedByHub();
  let took = await released(base);
  t.check(took >= 1500 && took <= 3500,
    `a silent client's socket lingers about 2 s, then is closed (${took} ms)`);
  c.destroy();

  // A client that keeps writing is cut off at the same bound.
  c = await closedByHub();
  const writer = setInterval(() => c.sock.write(Buffer.alloc(512, 0x41)), 50);
  took = await released(base);
  clearInterval(writer);
  t.check(took >= 1500 && took <= 3500,
    `a client that keeps writing is cut off after about 2 s (${took} ms)`);
  c.destroy();

  // A client that floods is cut off after 64 KiB, without waiting.
  c = await closedByHub();
  c.sock.write(Buffer.alloc(1 << 20, 0x41));
  took = await released(base);
  t.check(took < 1500, `a client that floods is cut off at once (${took} ms)`);
  c.destroy();

  const s = await t.connect();
  t.equal(await s.emitWithAck("join_room", { locationId: 1 }), "1",
    "the hub still serves a well-behaved client afterwards");
  s.close();
});
