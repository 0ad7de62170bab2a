// hub-unfinished.js - georoomd bounds what unfinished messages hold.
//
//   node hub-unfinished.js deadline
//       with --message-timeout 1000: a message, fragmented, sent slowly or
//       waiting for its attachments, must be whole within a second of its
//       first bytes; a frame longer than --max-payload is refused at once.
//   node hub-unfinished.js budget [N SIZE]
//       N clients (40) each send a text frame of SIZE bytes (999000) with
//       FIN=0 and nothing more: the hub's memory grows by about
//       --max-unfinished, not N * SIZE, since the oldest holders are
//       dropped first, and a well-behaved client's messages still pass.
//
// The hub's options come from its environment, set by the caller.
"use strict";
const fs = require("fs");
const t = require("./lib");
const ws = require("./rawws");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The hub's resident and peak resident memory, in bytes.
function memory() {
  const st = fs.readFileSync(`/proc/${process.env.GEOROOMD_PID}/status`, "utf8");
  const kb = (k) => Number(new RegExp(`^${k}:\\s*(\\d+)`, "m").exec(st)[1]) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

const mb = (b) => (b / 1048576).toFixed(1);

// Resolves with [close code, ms from 'since' until it came].
async function closing(c, since, ms = 4000) {
  const code = await c.closeCode(ms).catch(() => "none");
  return [code, Date.now() - since];
}

async function deadline() {
  const stats0 = await t.control({ op: "stats" });
  // Fragments: the first, and nothing more.
  let c = await ws.open();
  let t0 = Date.now();
  await c.write(ws.frame(1, "42[\"chat\",", { fin: false }));
  let [code, took] = await closing(c, t0);
  t.check(code === 1008 && took >= 800 && took < 3000,
    `a fragmented message not finished within 1 s is closed with 1008 (${code} after ${took} ms)`);
  c.destroy();

  // One frame whose bytes come slowly, 100 every 100 ms.
  c = await ws.open();
  t0 = Date.now();
  const body = Buffer.alloc(5000, 0x61);
  const frame = ws.frame(1, body);
  let off = 0;
  const dripper = setInterval(() => {
    if (off < frame.length) c.sock.write(frame.subarray(off, off += 100));
  }, 100);
  c.sock.on("error", () => {});
  [code, took] = await closing(c, t0);
  clearInterval(dripper);
  t.check(code === 1008 && took >= 800 && took < 3000,
    `a frame whose bytes trickle in is closed with 1008 after 1 s (${code} after ${took} ms)`);
  c.destroy();

  // A binary packet whose attachment never comes.
  c = await ws.open();
  await c.write(ws.frame(1, "40"));
  await c.nextFrame();
  t0 = Date.now();
  await c.write(ws.frame(1, '451-["chat",{"_placeholder":true,"num":0}]'));
  [code, took] = await closing(c, t0);
  t.check(code === 1008 && took >= 800 && took < 3000,
    `a binary packet whose attachment never comes is closed with 1008 (${code} after ${took} ms)`);
  c.destroy();
  const stats1 = await t.control({ op: "stats" });
  t.equal(stats1.message_timeouts - stats0.message_timeouts, 3,
    "stats counts the three in message_timeouts");

  // A frame that says it is longer than --max-payload: refused at its
  // first bytes, not after the rest has been waited for.
  c = await ws.open();
  t0 = Date.now();
  await c.write(ws.frame(1, Buffer.alloc(10, 0x61), { declared: 2000000 }).subarray(0, 24));
  [code, took] = await closing(c, t0);
  t.check(code === 1009 && took < 800,
    `a frame declaring 2000000 bytes is refused with 1009 at once (${code} after ${took} ms)`);
  c.destroy();

  // A message that arrives whole in time is served as ever.
  const s = await t.connect();
  const big = "y".repeat(300000);
  const ack = await s.timeout(5000).emitWithAck("chat", { userId: 1, message: big, roomName: "1" });
  t.check(ack && ack.message === big, "a 300 KB chat sent at once still gets its ack");
  s.close();
}

async function budget(n, size) {
  const stats0 = await t.control({ op: "stats" });
  const mem0 = memory();
  const conns = [];
  for (let i = 0; i < n; i++) {
    const c = await ws.open();
    c.sock.on("error", () => {}); // a dropped client's writes may fail
    c.sock.write(ws.frame(1, Buffer.alloc(size, 0x61), { fin: false }));
    conns.push(c);
  }
  // Until the hub has read every message it still holds: each client it
  // kept has had all its bytes read (bytes_in), the others are dropped.
  const dropped = () => conns.filter((c) => c.buf.length > 0 || c.ended || c.error).length;
  await t.waitFor(async () => {
    const st = await t.control({ op: "stats" });
    return st.bytes_in - stats0.bytes_in >= (n - dropped()) * size;
  }, 60000, "the hub to read what it keeps");
  await sleep(200);
  const mem1 = memory();
  const grew = mem1.hwm - mem0.hwm;
  const limit = Number(process.env.GEOROOMD_MAX_UNFINISHED || 67108864);
  console.log(`# ${n} unfinished messages of ${size} bytes (--max-unfinished ${limit}): ` +
    `peak RSS ${mb(mem0.hwm)} -> ${mb(mem1.hwm)} MiB (+${mb(grew)}), ` +
    `RSS now ${mb(mem1.rss)} MiB, ${dropped()} clients dropped`);
  t.check(grew < limit + 4 * size + 8 * 1048576,
    `the hub's peak memory grew by ${mb(grew)} MiB for ${mb(n * size)} MiB sent, ` +
    `about the budget of ${mb(limit)} MiB`);
  const codes = new Set();
  for (const c of conns) {
    if (c.buf.length > 0) codes.add(await c.closeCode(100).catch(() => "none"));
  }
  t.equal([...codes], dropped() > 0 ? [1013] : [],
    "clients dropped for the budget are closed with 1013 (try again later)");
  const stats1 = await t.control({ op: "stats" });
  t.equal(stats1.dropped_unfinished - stats0.dropped_unfinished, dropped(),
    "stats counts each client dropped for the budget in dropped_unfinished");

  // Meanwhile a well-behaved client's large message passes.
  const s = await t.connect();
  const big = "x".repeat(200000);
  const ack = await s.timeout(5000).emitWithAck("chat", { userId: 1, message: big, roomName: "1" });
  t.check(ack && ack.message === big, "a 200 KB chat from a well-behaved client still gets its ack");
  s.close();
  for (const c of conns) c.destroy();
}

t.run(async () => {
  if (process.argv[2] === "deadline") await deadline();
  else await budget(Number(process.argv[3] || 40), Number(process.argv[4] || 999000));
});
