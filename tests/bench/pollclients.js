'use strict';
// pollclients.js - many Socket.IO sessions that start on HTTP long-polling,
// for scripts/bench-polling: each makes the Engine.IO handshake by GET,
// connects to "/" and joins a room (join_room, acknowledged), then stays
// idle, either on polling (a GET always waiting, pings answered by POST)
// or, with --upgrade, after moving to a WebSocket as socket.io-client does
// (probe, upgrade, the CONNECT and the join over it).  Prints one JSON
// object like the load generator's idle scenario: connections/s until the
// last one joined, and the server's resident memory before and after
// (settled), per connection.
//
//   node pollclients.js [--upgrade] -m N -p PID [-c CONCURRENCY]
//       [--rooms R] [-b SOURCE-ADDR] [--timeout SEC] HOST:PORT
//
// Raw HTTP and WebSocket, not socket.io-client: the same few requests each
// side gets from a real client, at a cost per session small enough that
// one Node process drives thousands, and the same for both servers.
const fs = require('fs');
const http = require('http');
const WebSocket = require('ws');

const args = process.argv.slice(2);
const opt = { upgrade: false, m: 1000, c: 200, rooms: 1000, b: undefined,
  timeout: 120, pid: 0 };
let target;
while (args.length) {
  const a = args.shift();
  if (a === '--upgrade') opt.upgrade = true;
  else if (a === '-m') opt.m = Number(args.shift());
  else if (a === '-c') opt.c = Number(args.shift());
  else if (a === '-p') opt.pid = Number(args.shift());
  else if (a === '--rooms') opt.rooms = Number(args.shift());
  else if (a === '-b') opt.b = args.shift();
  else if (a === '--timeout') opt.timeout = Number(args.shift());
  else target = a;
}
const [host, port] = target.split(':');
const base = '/socket.io/?EIO=4&transport=polling';
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity,
  localAddress: opt.b });

// CPU seconds, user and system, of process 'pid' (every thread).
function cpuS(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / 100; /* USER_HZ */
}

function selfCpuS() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function rssKib(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : -1;
}

// Waits until the RSS has not moved for three readings 200 ms apart.
async function settledRss(pid) {
  let last = -2, same = 0, now;
  for (let i = 0; i < 50 && same < 3; i++) {
    await new Promise((r) => setTimeout(r, 200));
    now = rssKib(pid);
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const headers = body !== undefined ?
      { 'content-type': 'text/plain;charset=UTF-8',
        'content-length': Buffer.byteLength(body) } : {};
    const req = http.request({ host, port, method, path, headers, agent },
      (res) => {
        let b = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { b += d; });
        res.on('end', () => (res.statusCode === 200 ? resolve(b) :
          reject(new Error(`${method} ${res.statusCode} ${b}`))));
      });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// Packets of one payload, pings answered.
async function packets(sid, want) {
  const got = [];
  while (!got.some(want)) {
    const body = await request('GET', `${base}&sid=${sid}`);
    for (const p of body.split('\x1e')) {
      if (p === '2') await request('POST', `${base}&sid=${sid}`, '3');
      else got.push(p);
    }
  }
  return got;
}

// Keeps a GET waiting for as long as the run lasts.
function idlePoll(sid, state) {
  request('GET', `${base}&sid=${sid}`).then(async (body) => {
    if (state.stop) return;
    if (body.split('\x1e').includes('2'))
      await request('POST', `${base}&sid=${sid}`, '3');
    idlePoll(sid, state);
  }, () => { if (!state.stop) state.lost++; });
}

async function onPolling(n, state) {
  const open = JSON.parse((await request('GET', base)).slice(1));
  await request('POST', `${base}&sid=${open.sid}`, '40');
  await packets(open.sid, (p) => p.startsWith('40'));
  const room = String(n % opt.rooms);
  await request('POST', `${base}&sid=${open.sid}`,
    `420["join_room",{"locationId":${room}}]`);
  await packets(open.sid, (p) => p === `430["${room}"]`);
  idlePoll(open.sid, state);
}

function wsMessages(ws) {
  const queue = [], waiters = [];
  ws.on('message', (d) => {
    const s = d.toString();
    if (s === '2') { ws.send('3'); return; }
    if (waiters.length) waiters.shift()(s); else queue.push(s);
  });
  return () => (queue.length ? Promise.resolve(queue.shift()) :
    new Promise((r) => waiters.push(r)));
}

async function onUpgrade(n, state) {
  const open = JSON.parse((await request('GET', base)).slice(1));
  const ws = new WebSocket(`ws://${host}:${port}/socket.io/?EIO=4&transport=websocket&sid=${open.sid}`,
    { localAddress: opt.b, perMessageDeflate: false });
  const next = wsMessages(ws);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send('2probe');
  if (await next() !== '3probe') throw new Error('no 3probe');
  ws.send('5');
  ws.send('40');
  const c = await next();
  if (!c.startsWith('40')) throw new Error(`CONNECT: ${c}`);
  const room = String(n % opt.rooms);
  ws.send(`420["join_room",{"locationId":${room}}]`);
  const ack = await next();
  if (ack !== `430["${room}"]`) throw new Error(`join: ${ack}`);
  ws.on('close', () => { if (!state.stop) state.lost++; });
  state.sockets.push(ws);
}

async function main() {
  const state = { stop: false, lost: 0, sockets: [] };
  const rss0 = opt.pid ? rssKib(opt.pid) : -1;
  const cpu0 = opt.pid ? cpuS(opt.pid) : 0, self0 = selfCpuS();
  const t0 = process.hrtime.bigint();
  let started = 0, joined = 0, failed = 0, firstError;
  const one = opt.upgrade ? onUpgrade : onPolling;
  async function lane() {
    while (started < opt.m) {
      const n = started++;
      try {
        await one(n, state);
        joined++;
      } catch (e) {
        failed++;
        firstError = firstError || e.message;
      }
    }
  }
  const deadline = setTimeout(() => {
    console.log(JSON.stringify({ scenario: opt.upgrade ? 'upgrade' : 'polling',
      connections: opt.m, joined, failed, verified: false, error: 'timeout' }));
    process.exit(1);
  }, opt.timeout * 1000);
  await Promise.all(Array.from({ length: Math.min(opt.c, opt.m) }, lane));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const hubCpu = opt.pid ? cpuS(opt.pid) - cpu0 : 0, selfCpu = selfCpuS() - self0;
  const rss1 = opt.pid ? await settledRss(opt.pid) : -1;
  clearTimeout(deadline);
  const out = {
    scenario: opt.upgrade ? 'upgrade' : 'polling', connections: opt.m,
    rooms: opt.rooms, joined, failed, lost: state.lost, seconds: secs,
    connections_per_s: joined / secs,
  };
  if (opt.pid) {
    out.hub_cpu_s = hubCpu;
    out.loadgen_cpu_s = selfCpu;
    out.rss_before_kib = rss0;
    out.rss_after_kib = rss1;
    out.bytes_per_connection = joined ? Math.round((rss1 - rss0) * 1024 / joined) : 0;
  }
  out.verified = failed === 0 && state.lost === 0 && joined === opt.m;
  if (firstError) out.error = firstError;
  console.log(JSON.stringify(out));
  state.stop = true;
  for (const ws of state.sockets) ws.terminate();
  agent.destroy();
  process.exit(out.verified ? 0 : 1);
}

main();
