'use strict';
// slowreaders.js - the hub's memory while a room is fed fast and most of
// its members have stopped reading, for scripts/bench: M raw Socket.IO
// clients join room "fleet" and pause (their sockets are not read), one
// more member keeps reading; N messages of EVENT, each padded to BYTES,
// are emitted to the room through the hub's control socket; once the
// reading member has every one, the hub's resident memory and its peak are
// taken; then the slow members read again and each must end with the last
// message, in order, unless the hub dropped it.  Prints one JSON object.
//
//   node slowreaders.js -m M -n N --bytes BYTES -p PID -c CONTROL
//       [--event EVENT] [--timeout SEC] HOST:PORT
//
// The kernel's socket buffers on loopback absorb some megabytes a member
// before the hub has to queue anything; N x BYTES must be well above that
// for the figure to say something about the hub.
const fs = require('fs');
const net = require('net');
const WebSocket = require('ws');

const args = process.argv.slice(2);
const opt = { m: 50, n: 20000, bytes: 1000, pid: 0, control: '',
  event: 'chat', timeout: 120 };
let target;
while (args.length) {
  const a = args.shift();
  if (a === '-m') opt.m = Number(args.shift());
  else if (a === '-n') opt.n = Number(args.shift());
  else if (a === '--bytes') opt.bytes = Number(args.shift());
  else if (a === '-p') opt.pid = Number(args.shift());
  else if (a === '-c') opt.control = args.shift();
  else if (a === '--event') opt.event = args.shift();
  else if (a === '--timeout') opt.timeout = Number(args.shift());
  else if (target === undefined && !a.startsWith('-')) target = a;
  else {
    console.error(`slowreaders: unknown argument '${a}'`);
    process.exit(64);
  }
}
if (!target || !opt.pid || !opt.control ||
    ![opt.m, opt.n, opt.bytes].every((v) => Number.isInteger(v) && v > 0)) {
  console.error('usage: node slowreaders.js -m M -n N --bytes BYTES ' +
    '-p PID -c CONTROL [--event EVENT] [--timeout SEC] HOST:PORT');
  process.exit(64);
}

const ROOM = 'fleet';
const deadline = Date.now() + opt.timeout * 1000;

function kib(field) {
  const s = fs.readFileSync(`/proc/${opt.pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(s)[1]);
}

// Resolves once cond() holds, checked every 20 ms; rejects at the deadline.
function until(cond, what) {
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out: ${what}`));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

// One member of ROOM over a raw WebSocket: seen holds the numbers of the
// EVENT messages it read, in order; closed is set when the hub drops it.
function member() {
  const m = { seen: [], joined: false, closed: false, bad: null };
  const ws = new WebSocket(`ws://${target}/socket.io/?EIO=4&transport=websocket`);
  const head = `42["${opt.event}",`;
  m.ws = ws;
  ws.on('message', (data) => {
    const s = data.toString();
    if (s === '2') ws.send('3');
    else if (s.startsWith('0')) ws.send('40');
    else if (s.startsWith('40')) {
      ws.send(`421["join_room",{"locationId":"${ROOM}"}]`);
    } else if (s.startsWith('431')) m.joined = true;
    else if (s.startsWith(head)) {
      const n = JSON.parse(s.slice(2))[1].n;
      if (m.seen.length > 0 && n <= m.seen[m.seen.length - 1])
        m.bad = m.bad ?? `message ${n} after ${m.seen[m.seen.length - 1]}`;
      m.seen.push(n);
    } else m.bad = m.bad ?? `unexpected ${s.slice(0, 60)}`;
  });
  ws.on('close', () => { m.closed = true; });
  ws.on('error', () => { m.closed = true; });
  return m;
}

// Emits the N messages through the control socket, 500 requests at a time
// so that its replies pace the sending.
function feed() {
  return new Promise((resolve, reject) => {
    const c = net.connect(opt.control);
    const pad = 'x'.repeat(opt.bytes);
    let sent = 0, answered = 0, buf = '';
    const batch = () => {
      const lines = [];
      const end = Math.min(sent + 500, opt.n);
      for (; sent < end; sent++) {
        lines.push(JSON.stringify({ op: 'emit', room: ROOM,
          event: opt.event, data: { n: sent, pad } }));
      }
      c.write(lines.join('\n') + '\n');
    };
    c.on('connect', batch);
    c.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.includes('"ok":true')) {
          reject(new Error(`control: ${line.slice(0, 120)}`));
          c.destroy();
          return;
        }
        if (++answered === opt.n) {
          c.end();
          resolve();
        } else if (answered === sent) batch();
      }
    });
    c.on('error', reject);
  });
}

async function main() {
  const slow = [];
  for (let i = 0; i < opt.m; i++) slow.push(member());
  const reader = member();
  const all = [...slow, reader];
  await until(() => all.every((m) => m.joined || m.closed), 'every join');
  if (all.some((m) => m.closed)) throw new Error('a member could not join');
  for (const m of slow) m.ws._socket.pause();
  const rssBefore = kib('VmRSS');
  const hwmBefore = kib('VmHWM');
  // The peak: sampled while feeding, and the kernel's high-water mark when
  // it rose past what it was before.
  let sampled = rssBefore;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, kib('VmRSS'));
  }, 10);
  const t0 = Date.now();
  await feed();
  await until(() => reader.seen.length === opt.n || reader.closed,
    'the reading member');
  const secs = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  const rssAfter = kib('VmRSS');
  const hwmAfter = kib('VmHWM');
  for (const m of slow) m.ws._socket.resume();
  const last = opt.n - 1;
  await until(() => slow.every((m) => m.closed ||
    (m.seen.length > 0 && m.seen[m.seen.length - 1] === last)),
  'every slow member\'s last message');
  const kept = slow.filter((m) => !m.closed);
  const received = kept.reduce((s, m) => s + m.seen.length, 0);
  const bad = all.find((m) => m.bad !== null);
  const peak = Math.max(sampled, rssAfter,
    hwmAfter > hwmBefore ? hwmAfter : 0) - rssBefore;
  const out = {
    scenario: 'slow-readers', readers: opt.m, messages: opt.n,
    bytes: opt.bytes, seconds: secs,
    dropped: opt.m - kept.length,
    received_per_kept_reader: kept.length ? received / kept.length :
      "none kept",
    rss_before_kib: rssBefore, rss_after_kib: rssAfter,
    peak_rss_growth_kib: peak,
    peak_bytes_per_reader: Math.round(peak * 1024 / opt.m),
    verified: reader.seen.length === opt.n && bad === undefined,
  };
  if (bad !== undefined) out.why = bad.bad;
  else if (reader.seen.length !== opt.n) out.why = 'the reader missed some';
  console.log(JSON.stringify(out));
  for (const m of all) m.ws.terminate();
  process.exit(out.verified ? 0 : 75);
}

main().catch((e) => {
  console.log(JSON.stringify({ scenario: 'slow-readers', verified: false,
    why: e.message }));
  process.exit(75);
});
