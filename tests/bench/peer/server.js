'use strict';
// The original gateway's contract in plain socket.io, as the peer that
// scripts/bench measures georoomd against.  One process, WebSocket only
// unless $PEER_TRANSPORTS says otherwise.
//
//   node server.js [PORT [CONTROL [REDIS]]]
//                           (or $PORT, $PEER_CONTROL and $PEER_REDIS)
//
// join_room {locationId}: the sender (only) joins String(locationId) and
// the ack is the room name.  chat {roomName, ...}: io.to(roomName) gets
// "chat" with the payload, and the ack is the payload.  CONTROL, when
// given, is a Unix socket that takes georoomd's control requests
// {"op":"emit","room":R,"event":E,"data":D} one a line and answers each
// with {"ok":true,"reached":N}, as the server side of the original's
// PUT /location did with io.to(room).emit().  REDIS, a redis:// URL, makes
// the process a node of a cluster through @socket.io/redis-adapter (pub/sub,
// as scripts/bench-cluster runs it): rooms, chats and control emits then
// span every node on that Redis, while "reached" and "connections" still
// count this node's sockets only.  $PEER_TRANSPORTS (websocket) lists the
// transports it serves, as socket.io's transports option, comma-separated
// (scripts/bench-polling: polling,websocket, socket.io's default).  Prints
// "listening on port N" once it listens (PORT 0: any free port), after
// Redis answered.

const fs = require('fs');
const http = require('http');
const net = require('net');
const { Server } = require('socket.io');

const port = Number(process.argv[2] ?? process.env.PORT ?? 3030);
const control = process.argv[3] || process.env.PEER_CONTROL;
const redisUrl = process.argv[4] || process.env.PEER_REDIS;

const httpServer = http.createServer();
const io = new Server(httpServer, {
  transports: (process.env.PEER_TRANSPORTS || 'websocket').split(','),
  cors: { origin: '*' },
});

io.on('connection', (socket) => {
  socket.on('join_room', (data, ack) => {
    const room = String(data?.locationId);
    socket.join(room);
    if (typeof ack === 'function') ack(room);
  });
  socket.on('chat', (payload, ack) => {
    io.to(String(payload?.roomName)).emit('chat', payload);
    if (typeof ack === 'function') ack(payload);
  });
});

function roomSize(room) {
  return io.of('/').adapter.rooms.get(room)?.size ?? 0;
}

function answer(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return { ok: false, error: 'invalid JSON' };
  }
  if (req.op === 'stats')
    return { ok: true, connections: io.engine.clientsCount };
  if (req.op !== 'emit' || typeof req.room !== 'string' ||
      typeof req.event !== 'string')
    return { ok: false, error: 'only emit to a room and stats' };
  const args = req.args ?? ('data' in req ? [req.data] : []);
  io.to(req.room).emit(req.event, ...args);
  return { ok: true, reached: roomSize(req.room) };
}

function serveControl(path, ready) {
  try {
    fs.unlinkSync(path);
  } catch {}
  net.createServer((conn) => {
    let buf = '';
    conn.setEncoding('utf8');
    conn.on('data', (chunk) => {
      buf += chunk;
      let nl, out = '';
      while ((nl = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim() !== '')
          out += JSON.stringify(answer(line)) + '\n';
      }
      if (out !== '')
        conn.write(out);
    });
    conn.on('error', () => {});
  }).listen(path, ready);
}

async function joinCluster(url) {
  // Loaded only here, so that a peer without Redis needs neither package.
  const { createClient } = require('redis');
  const { createAdapter } = require('@socket.io/redis-adapter');
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const c of [pub, sub])
    c.on('error', (e) => console.error(`redis: ${e.message}`));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
}

function listen() {
  httpServer.listen(port, () => {
    const say = () =>
      console.log(`listening on port ${httpServer.address().port}`);
    if (control)
      serveControl(control, say);
    else
      say();
  });
}

if (redisUrl) {
  joinCluster(redisUrl).then(listen, (e) => {
    console.error(`redis ${redisUrl}: ${e.message}`);
    process.exit(69);
  });
} else {
  listen();
}

for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => process.exit(0));
