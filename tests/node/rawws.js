// rawws.js - a WebSocket client written out byte by byte, for tests that
// must send what no library sends: unmasked frames, unfinished messages,
// odd close payloads, bare HTTP requests.  Every wait has a deadline.
"use strict";

const crypto = require("crypto");
const net = require("net");

function port() {
  const p = process.env.GEOROOMD_PORT;
  if (!p) throw new Error("GEOROOMD_PORT not set");
  return Number(p);
}

// One frame as a client sends it: masked unless opts.mask is false, FIN
// unless opts.fin is false, the length as given in opts.declared when
// that differs from the payload's (a frame whose bytes are still due).
function frame(opcode, payload, opts = {}) {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const fin = opts.fin === false ? 0 : 0x80;
  const mask = opts.mask === false ? 0 : 0x80;
  const len = opts.declared !== undefined ? opts.declared : data.length;
  let head;
  if (len < 126) {
    head = Buffer.from([fin | opcode, mask | len]);
  } else if (len < 65536) {
    head = Buffer.alloc(4);
    head[0] = fin | opcode;
    head[1] = mask | 126;
    head.writeUInt16BE(len, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = fin | opcode;
    head[1] = mask | 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  if (!mask) return Buffer.concat([head, data]);
  const key = crypto.randomBytes(4);
  const body = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) body[i] = data[i] ^ key[i & 3];
  return Buffer.concat([head, key, body]);
}

// A raw TCP connection to the hub with a reader of what comes back.
class Conn {
  constructor(sock) {
    this.sock = sock;
    this.buf = Buffer.alloc(0);
    this.ended = false;  // the hub closed its side (FIN)
    this.error = null;   // e.g. ECONNRESET
    this.waiters = [];
    sock.on("data", (d) => { this.buf = Buffer.concat([this.buf, d]); this.wake(); });
    sock.on("end", () => { this.ended = true; this.wake(); });
    sock.on("error", (e) => { this.error = e; this.wake(); });
    sock.on("close", () => { this.closed = true; this.wake(); });
  }

  wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  // Waits until fn() returns something other than undefined.
  async until(fn, ms, what) {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = fn();
      if (v !== undefined) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout: ${what}`);
      await new Promise((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => { clearTimeout(t); r(); });
      });
    }
  }

  write(bytes) {
    return new Promise((resolve) => this.sock.write(bytes, () => resolve()));
  }

  // The HTTP response head and body (by content-length, or up to EOF).
  async httpResponse(ms = 5000) {
    return this.until(() => {
      const s = this.buf.toString("latin1");
      const end = s.indexOf("\r\n\r\n");
      if (end < 0) return this.ended || this.error ? { status: 0, raw: s } : undefined;
      const head = s.slice(0, end);
      const m = /content-length:\s*(\d+)/i.exec(head);
      const body = s.slice(end + 4);
      if (m && body.length < Number(m[1]) && !this.ended && !this.error) return undefined;
      if (!m && !this.ended && !this.error) return undefined;
      const status = Number((/^HTTP\/1\.[01] (\d+)/.exec(head) || [])[1] || 0);
      this.buf = Buffer.alloc(0);
      return { status, head, body: m ? body.slice(0, Number(m[1])) : body };
    }, ms, "HTTP response");
  }

  // The next frame from the hub: {fin, opcode, payload}, or null once
  // the connection has ended with nothing more to read.
  async nextFrame(ms = 5000) {
    return this.until(() => {
      const b = this.buf;
      if (b.length >= 2) {
        let len = b[1] & 0x7f, off = 2;
        if (len === 126 && b.length >= 4) { len = b.readUInt16BE(2); off = 4; }
        else if (len === 127 && b.length >= 10) { len = Number(b.readBigUInt64BE(2)); off = 10; }
        if ((b[1] & 0x7f) < 126 || off > 2) {
          if (b.length >= off + len) {
            this.buf = b.subarray(off + len);
            return { fin: !!(b[0] & 0x80), opcode: b[0] & 0x0f,
              payload: b.subarray(off, off + len) };
          }
        }
      }
      if (this.ended || this.error || this.closed) return null;
      return undefined;
    }, ms, "frame");
  }

  // Frames up to and including the hub's close frame; resolves with the
  // close code (0 for none, null when the connection ended without one).
  async closeCode(ms = 5000) {
    for (;;) {
      const f = await this.nextFrame(ms);
      if (f === null) return null;
      if (f.opcode === 8) return f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 0;
    }
  }

  // Resolves once the hub has closed the TCP connection.
  async gone(ms = 5000) {
    return this.until(() => (this.ended || this.error || this.closed ? true : undefined),
      ms, "connection end");
  }

  // Closes our side (FIN), as a client does once the close handshake is
  // over.
  end() {
    this.sock.end();
  }

  destroy() {
    this.sock.destroy();
  }
}

function connect() {
  return new Promise((resolve, reject) => {
    // Half-open allowed: a peer that half-closes does not make us close.
    const sock = net.connect({ port: port(), host: "127.0.0.1", allowHalfOpen: true });
    sock.once("connect", () => resolve(new Conn(sock)));
    sock.once("error", reject);
  });
}

// Sends a request head as given (bytes, no Host added) and resolves with
// the connection.
async function request(head) {
  const c = await connect();
  await c.write(Buffer.from(head, "latin1"));
  return c;
}

// An Engine.IO session over a raw WebSocket: resolves once the hub's open
// packet has arrived.
async function open(path = "/socket.io/?EIO=4&transport=websocket") {
  const key = crypto.randomBytes(16).toString("base64");
  const c = await request(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  const head = await c.until(() => {
    const s = c.buf.toString("latin1");
    const end = s.indexOf("\r\n\r\n");
    if (end < 0) return c.ended || c.error ? "" : undefined;
    c.buf = c.buf.subarray(end + 4);
    return s.slice(0, end);
  }, 5000, "upgrade response");
  if (!/^HTTP\/1\.1 101/.test(head)) throw new Error(`no upgrade: ${head}`);
  const f = await c.nextFrame();
  if (!f || f.opcode !== 1 || f.payload.toString()[0] !== "0") {
    throw new Error("no Engine.IO open packet");
  }
  c.openPacket = JSON.parse(f.payload.toString().slice(1));
  return c;
}

module.exports = { frame, connect, request, open, Conn };
