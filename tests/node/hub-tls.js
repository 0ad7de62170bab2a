// hub-tls.js MODE: socket.io-client over wss:// to georoomd serving TLS
// itself (--tls-cert, --tls-key), trusting the test's CA with its `ca`
// option.  Needs GEOROOMD_PORT and GEOROOM_CA (the CA's PEM).
//
//   basic       sessions join and chat over wss://; without the CA, and
//               in clear text, the connection is refused
//   reload      with GEOROOMD_PID and CERT/KEY (the files the hub reads)
//               and NEW_CERT/NEW_KEY: a session stays connected while the
//               files are replaced and the hub gets SIGHUP; new handshakes
//               get the new certificate, and old and new sessions talk
//   sessions N  N sessions each join a room and get the ack (for
//               --reuse-port: the kernel spreads them over the processes)
"use strict";
const fs = require("fs");
const tls = require("tls");
const t = require("./lib");

const port = process.env.GEOROOMD_PORT;
const ca = fs.readFileSync(process.env.GEOROOM_CA);

// A session on wss://localhost (the name the certificates hold).
function connectTls(opts = {}) {
  const sock = t.io(`https://localhost:${port}`, {
    transports: ["websocket"], reconnection: false, forceNew: true, ca,
    ...opts,
  });
  return t.withTimeout(new Promise((resolve, reject) => {
    sock.once("connect", () => resolve(sock));
    sock.once("connect_error", (e) => { sock.close(); reject(e); });
  }), 5000, "connect over wss://");
}

// The serial number of the certificate a new handshake gets.
function servedSerial() {
  return t.withTimeout(new Promise((resolve, reject) => {
    const s = tls.connect({ port, host: "127.0.0.1", servername: "localhost", ca },
      () => {
        const serial = s.getPeerCertificate().serialNumber;
        s.end();
        resolve(serial);
      });
    s.once("error", reject);
  }), 5000, "a TLS handshake");
}

const serialOf = (file) => new (require("crypto").X509Certificate)(
  fs.readFileSync(file)).serialNumber;

async function basic() {
  const a = await connectTls();
  const b = await connectTls();
  t.check(a.connected && b.connected, "socket.io-client connects over wss:// with `ca`");
  t.equal(await a.emitWithAck("join_room", { locationId: 1, userId: 1 }), "1",
    "join_room is acknowledged over TLS");
  await b.emitWithAck("join_room", { locationId: 1, userId: 2 });
  const got = t.next(b, "chat");
  const payload = { userId: 1, message: "over tls", roomName: "1" };
  await a.emitWithAck("chat", payload);
  t.equal(await got, payload, "a chat reaches the room's other member");
  a.close();
  b.close();

  const refused = await connectTls({ ca: undefined }).then(
    (s) => { s.close(); return null; }, (e) => e);
  t.check(refused !== null, "without the CA, socket.io-client refuses the certificate",
    refused && refused.message);
  const clear = t.io(`http://127.0.0.1:${port}`, {
    transports: ["websocket"], reconnection: false, forceNew: true,
  });
  const err = await t.withTimeout(new Promise((resolve) => {
    clear.once("connect", () => resolve(null));
    clear.once("connect_error", resolve);
  }), 5000, "clear-text attempt").catch((e) => e);
  clear.close();
  t.check(err !== null, "a clear-text ws:// connection to the TLS port fails");
}

async function reload() {
  const oldSerial = serialOf(process.env.CERT);
  const newSerial = serialOf(process.env.NEW_CERT);
  t.equal(await servedSerial(), oldSerial, "the hub serves the certificate it started with");
  const old = await connectTls();
  await old.emitWithAck("join_room", { locationId: 7, userId: 1 });
  let dropped = false;
  old.on("disconnect", () => { dropped = true; });

  // As a renewal does: the new files in place, then SIGHUP.
  fs.copyFileSync(process.env.NEW_KEY, process.env.KEY + ".tmp");
  fs.copyFileSync(process.env.NEW_CERT, process.env.CERT + ".tmp");
  fs.renameSync(process.env.KEY + ".tmp", process.env.KEY);
  fs.renameSync(process.env.CERT + ".tmp", process.env.CERT);
  process.kill(Number(process.env.GEOROOMD_PID), "SIGHUP");
  await t.eventually(async () => (await servedSerial()) === newSerial, 5000,
    "after SIGHUP, new handshakes get the new certificate");

  const fresh = await connectTls();
  t.check(fresh.connected, "a new session connects with the new certificate");
  await fresh.emitWithAck("join_room", { locationId: 7, userId: 2 });
  const got = t.next(old, "chat");
  const payload = { userId: 2, message: "after reload", roomName: "7" };
  await fresh.emitWithAck("chat", payload);
  t.equal(await got, payload,
    "the session from before the reload is still connected and gets the new one's chat");
  t.check(!dropped && old.connected, "and it was never disconnected");
  old.close();
  fresh.close();
}

async function sessions(n) {
  const socks = [];
  for (let i = 0; i < n; i++) socks.push(await connectTls());
  const acks = await Promise.all(socks.map((s, i) =>
    s.emitWithAck("join_room", { locationId: i, userId: i })));
  t.equal(acks, socks.map((_, i) => String(i)),
    `${n} sessions over wss:// each join a room and get the ack`);
  for (const s of socks) s.close();
}

t.run(async () => {
  const mode = process.argv[2];
  if (mode === "basic") await basic();
  else if (mode === "reload") await reload();
  else if (mode === "sessions") await sessions(Number(process.argv[3] || 8));
  else throw new Error(`unknown mode ${mode}`);
});
