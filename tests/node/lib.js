// lib.js - helpers for georoom's integration tests written in Node.
//
// Scripts print "ok DESC" / "not ok DESC" / "# note" lines, which
// tests/prog/lib.sh (node_tap) turns into numbered TAP.  Every wait has a
// deadline; absence is proven with a barrier message sent after the one that
// must not arrive, since each connection delivers in order.
"use strict";

const { execFile } = require("child_process");
const net = require("net");
const path = require("path");
const { io } = require("socket.io-client");
const WebSocket = require("ws");

let failures = 0;

function check(cond, desc, detail) {
  if (cond) {
    console.log(`ok ${desc}`);
  } else {
    failures++;
    console.log(`not ok ${desc}`);
    if (detail !== undefined) console.log(`# ${JSON.stringify(detail)}`);
  }
  return cond;
}

function equal(got, want, desc) {
  return check(JSON.stringify(got) === JSON.stringify(want), desc,
    { got, want });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timeout: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// Resolves with the next value of event `ev` on emitter `em`.
function next(em, ev, ms = 5000) {
  return withTimeout(new Promise((resolve) => em.once(ev, resolve)), ms,
    `event ${ev}`);
}

// Records every `ev` event; .values holds them, .until(n) waits for n.
function recorder(sock, ev) {
  const values = [];
  const waiters = [];
  sock.on(ev, (...args) => {
    values.push(args.length === 1 ? args[0] : args);
    for (const w of waiters.splice(0)) w();
  });
  return {
    values,
    async until(n, ms = 5000) {
      const deadline = Date.now() + ms;
      while (values.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timeout: ${n} x ${ev}, got ${values.length}`);
        await withTimeout(new Promise((r) => waiters.push(r)), left,
          `${n} x ${ev}`).catch(() => {});
      }
      return values;
    },
  };
}

function url() {
  const port = process.env.GEOROOMD_PORT;
  if (!port) throw new Error("GEOROOMD_PORT not set");
  return `http://127.0.0.1:${port}`;
}

// A socket.io-client socket, connected.
async function connect(ns = "/", opts = {}) {
  const sock = io(url() + ns, {
    transports: ["websocket"], reconnection: false, forceNew: true, ...opts,
  });
  await withTimeout(new Promise((resolve, reject) => {
    sock.once("connect", resolve);
    sock.once("connect_error", reject);
  }), 5000, `connect ${ns}`);
  return sock;
}

// A socket.io-client socket connected to the server on 'port' of
// 127.0.0.1 (a hub of a cluster, a Node server), namespace "/".
function connectTo(port) {
  const sock = io(`http://127.0.0.1:${port}`, {
    transports: ["websocket"], reconnection: false, forceNew: true,
  });
  return withTimeout(new Promise((resolve, reject) => {
    sock.once("connect", () => resolve(sock));
    sock.once("connect_error", reject);
  }), 5000, `connect to ${port}`);
}

// Passes when 'fn' comes true within 'ms', fails when it does not.
async function eventually(fn, ms, desc) {
  const ok = await waitFor(fn, ms, desc).then(() => true, () => false);
  return check(ok, desc);
}

// One request over the control socket; resolves with the parsed reply.
function control(request, sockPath = process.env.GEOROOM_SOCKET) {
  return controlMany([request], sockPath).then((r) => r[0]);
}

// Pipelines requests on one connection and collects one reply each.
function controlMany(requests, sockPath = process.env.GEOROOM_SOCKET) {
  return withTimeout(new Promise((resolve, reject) => {
    const c = net.createConnection(sockPath);
    let buf = "";
    const replies = [];
    c.on("error", reject);
    c.on("data", (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        replies.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
      }
      if (replies.length === requests.length) {
        c.end();
        resolve(replies);
      }
    });
    c.write(requests.map((r) =>
      (typeof r === "string" ? r : JSON.stringify(r)) + "\n").join(""));
  }), 10000, "control replies");
}

// Polls `fn` until it returns a truthy value.
async function waitFor(fn, ms = 5000, what = "condition") {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// A raw WebSocket speaking Engine.IO by hand; resolves once open.  Its
// messages are queued from the start (the open packet may arrive in the
// same read as the handshake): take them with ws.nextMessage().
async function rawSocket(query = "EIO=4&transport=websocket") {
  const ws = new WebSocket(`${url().replace("http", "ws")}/socket.io/?${query}`);
  const queue = [];
  const waiters = [];
  ws.on("message", (data, isBinary) => {
    queue.push(isBinary ? data : data.toString());
    if (waiters.length) waiters.shift()(queue.shift());
  });
  ws.nextMessage = (ms = 5000) => queue.length ? Promise.resolve(queue.shift()) :
    withTimeout(new Promise((r) => waiters.push(r)), ms, "message");
  await next(ws, "open");
  return ws;
}

// A Node socket.io 4.8 server on 127.0.0.1 with @socket.io/redis-adapter
// on REDIS_URL, both georoomd's control sockets (GEOROOM_SOCKET_A/B)
// waited on until their Redis link is up; `setup(io)` adds its handlers.
// Resolves with { io, port, pub, close() }.
// The adapter the cluster tests run with: GEOROOM_ADAPTER is "classic"
// (createAdapter, the default), "sharded" or "sharded-static"
// (createShardedAdapter in its "dynamic" or "static" subscription mode),
// as georoomd's --redis-mode names them.
const adapterMode = process.env.GEOROOM_ADAPTER || "classic";
const sharded = adapterMode.startsWith("sharded");

async function nodeClusterServer(setup) {
  const http = require("http");
  const { Server } = require("socket.io");
  const { createAdapter, createShardedAdapter } = require("@socket.io/redis-adapter");
  const { createClient } = require("redis");
  const pub = createClient({ url: process.env.REDIS_URL });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const srv = http.createServer();
  const io = new Server(srv, { transports: ["websocket"] });
  io.adapter(sharded ?
    createShardedAdapter(pub, sub, {
      subscriptionMode: adapterMode === "sharded-static" ? "static" : "dynamic",
    }) :
    createAdapter(pub, sub, { requestsTimeout: 3000 }));
  setup(io);
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const link = async (ctl) => (await control({ op: "stats" }, ctl)).redis;
  await eventually(async () => (await link(process.env.GEOROOM_SOCKET_A)) === "up" &&
    (await link(process.env.GEOROOM_SOCKET_B)) === "up", 10000,
    "both georoomd report their Redis link up in stats");
  return {
    io, pub, port: srv.address().port,
    async close() {
      io.close();
      await Promise.all([pub.quit(), sub.quit()]).catch(() => {});
    },
  };
}

// Runs the program `name` (found on PATH) with `args`, `input` on its
// stdin and `env` added to the environment; resolves with its status,
// stdout and stderr, never rejects.
function program(name, args, { input = "", env = {} } = {}) {
  return new Promise((resolve) => {
    const child = execFile(name, args,
      { timeout: 30000, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({
        status: error ? (error.code ?? -1) : 0, stdout, stderr,
      }));
    child.stdin.end(input);
  });
}

// The JSON values of an NDJSON text, one a non-empty line.
const ndjson = (text) => text.split("\n").filter((l) => l !== "")
  .map((l) => JSON.parse(l));

// Runs `main`, reports a thrown error as a failure, exits with the status.
function run(main) {
  main().catch((e) => {
    failures++;
    console.log(`not ok unexpected error: ${e.message}`);
  }).finally(() => process.exit(failures ? 1 : 0));
}

module.exports = {
  check, equal, next, recorder, connect, connectTo, eventually, control,
  controlMany, waitFor, nodeClusterServer, adapterMode, sharded,
  rawSocket, run, withTimeout, WebSocket, io, url, program, ndjson,
};
