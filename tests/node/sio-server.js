// sio-server.js - a stock socket.io 4.8 server speaking the original
// gateway's contract, for georoom-cli's interoperability tests.
//
//   node sio-server.js [--port N] [--path P] [--tls CERT KEY]
//                      [--ping-interval MS] [--ping-timeout MS]
//
// Listens on 127.0.0.1 (port 0: any free port) and prints "port N" once
// it does, then one line per connection, join and disconnection, so that
// tests can wait for them.  Events, as the NestJS gateway had them, but
// with its fault mended (only the sender joins):
//   join_room {locationId, userId}   joins String(locationId); acks it
//   chat {userId, message, roomName} to everyone in roomName; acks it
// and, for the tests:
//   whoami           acks {id, auth, authorization, query, path}
//   echo ...args     emits "echo" back to the sender with the same args
//   binary           emits "bin" with a Buffer and an object holding one
//   kick [id]        disconnects socket id (or the sender) server-side
// Namespace /secure refuses connections whose auth.token is not "s3cret".
"use strict";

const fs = require("fs");
const http = require("http");
const https = require("https");
const { Server } = require("socket.io");

const opts = { port: 0, path: "/socket.io", pingInterval: 25000,
  pingTimeout: 20000, tls: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  switch (argv[i]) {
    case "--port": opts.port = Number(argv[++i]); break;
    case "--path": opts.path = argv[++i]; break;
    case "--ping-interval": opts.pingInterval = Number(argv[++i]); break;
    case "--ping-timeout": opts.pingTimeout = Number(argv[++i]); break;
    case "--tls": opts.tls = { cert: fs.readFileSync(argv[++i]),
      key: fs.readFileSync(argv[++i]) }; break;
    default:
      console.error(`sio-server: unknown argument ${argv[i]}`);
      process.exit(64);
  }
}

const server = opts.tls ? https.createServer(opts.tls) : http.createServer();
const io = new Server(server, {
  path: opts.path,
  transports: ["websocket"],
  cors: { origin: "*" },
  pingInterval: opts.pingInterval,
  pingTimeout: opts.pingTimeout,
});

function contract(nsp) {
  nsp.on("connection", (socket) => {
    console.log(`connect ${nsp.name} ${socket.id}`);
    socket.on("disconnect", (reason) =>
      console.log(`disconnect ${nsp.name} ${socket.id} ${reason}`));

    socket.on("join_room", (data, ack) => {
      const room = String(data && data.locationId);
      socket.join(room);
      console.log(`join ${nsp.name} ${socket.id} ${room}`);
      if (typeof ack === "function") ack(room);
    });
    socket.on("chat", (data, ack) => {
      nsp.to(data.roomName).emit("chat", data);
      if (typeof ack === "function") ack(data);
    });
    socket.on("whoami", (ack) => {
      if (typeof ack !== "function") return;
      ack({
        id: socket.id,
        auth: socket.handshake.auth,
        authorization: socket.handshake.headers.authorization || null,
        query: { k: socket.handshake.query.k || null },
        path: socket.conn.request.url.split("?")[0],
      });
    });
    socket.on("echo", (...args) => {
      const ack = typeof args[args.length - 1] === "function" ?
        args.pop() : null;
      socket.emit("echo", ...args);
      if (ack) ack(...args);
    });
    socket.on("binary", () => {
      socket.emit("bin", Buffer.from("hi"), { inner: Buffer.from([0, 1, 2]) });
    });
    socket.on("kick", (id) => {
      const target = typeof id === "string" ? nsp.sockets.get(id) : socket;
      if (target) target.disconnect(true);
    });
  });
}

contract(io.of("/"));
const secure = io.of("/secure");
secure.use((socket, next) => {
  if (socket.handshake.auth && socket.handshake.auth.token === "s3cret")
    next();
  else
    next(new Error("not authorized"));
});
contract(secure);

server.listen(opts.port, "127.0.0.1", () => {
  console.log(`port ${server.address().port}`);
});

for (const sig of ["SIGTERM", "SIGINT"]) {
  process.on(sig, () => {
    io.close();
    process.exit(0);
  });
}
