// not-sio.js - servers that are not Socket.IO, for georoom-cli's error
// tests.  Listens on 127.0.0.1, any free port, and prints "port N".
//
//   node not-sio.js http STATUS   answers every request with STATUS
//   node not-sio.js ws-text       a WebSocket server that says "hello"
//   node not-sio.js ws-silent     a WebSocket server that says nothing
//   node not-sio.js hangup        closes each connection as it comes
"use strict";

const http = require("http");
const WebSocket = require("ws");

const [mode, status] = process.argv.slice(2);
const server = http.createServer((req, res) => {
  res.writeHead(Number(status) || 404, { "content-type": "text/plain" });
  res.end("not socket.io\n");
});

if (mode === "ws-text" || mode === "ws-silent") {
  const wss = new WebSocket.Server({ server });
  wss.on("connection", (ws) => {
    if (mode === "ws-text") ws.send("hello");
  });
} else if (mode === "hangup") {
  server.on("connection", (sock) => sock.destroy());
} else if (mode !== "http") {
  console.error(`not-sio: unknown mode ${mode}`);
  process.exit(64);
}

server.listen(0, "127.0.0.1", () => {
  console.log(`port ${server.address().port}`);
});
for (const sig of ["SIGTERM", "SIGINT"])
  process.on(sig, () => process.exit(0));
