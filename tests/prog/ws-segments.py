#!/usr/bin/python3
# ws-segments.py - the TCP segments a new WebSocket client of georoomd
# receives: the 101 and the engine.io open packet in one (georoomd holds
# the 101 back until the open packet joins it), then each reply in its own,
# as the hold is let go.  Counted by the kernel (struct tcp_info's
# tcpi_data_segs_in, Linux 4.6 and later), not guessed from how reads
# happened to split.  Prints "ok DESC" and "not ok DESC" lines for
# tests/prog/18-georoomd-wsedges.t; needs GEOROOMD_PORT.
import base64
import os
import socket
import struct

from taplines import check, equal, status

# Its offset in struct tcp_info (linux/tcp.h): the ABI only grows at the end.
DATA_SEGS_IN_OFFSET = 152
TIMEOUT_S = 10


def data_segs_in(sock):
    info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    return struct.unpack_from("I", info, DATA_SEGS_IN_OFFSET)[0]


def frame_end(buf, start):
    """Where the unmasked text frame at 'start' ends, or None if partial."""
    if len(buf) < start + 2:
        return None
    n = buf[start + 1] & 0x7F
    if n >= 126:
        raise ValueError("a long frame where a short one was due")
    end = start + 2 + n
    return end if len(buf) >= end else None


def read_until(sock, buf, done):
    """Reads into 'buf' until done(buf) is not None; returns that."""
    while True:
        r = done(buf)
        if r is not None:
            return r
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("georoomd closed the connection")
        buf.extend(chunk)


def masked_text(payload):
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload.encode()))
    return bytes([0x81, 0x80 | len(body)]) + mask + body


def main():
    port = int(os.environ["GEOROOMD_PORT"])
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                  "Host: 127.0.0.1\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n" % key).encode())
    buf = bytearray()

    def head_and_frame(b):
        i = b.find(b"\r\n\r\n")
        return None if i < 0 else frame_end(b, i + 4)

    end = read_until(sock, buf, head_and_frame)
    head = bytes(buf[:buf.find(b"\r\n\r\n")])
    check(head.startswith(b"HTTP/1.1 101 "), "the upgrade is answered 101",
          head.decode(errors="replace"))
    opening = bytes(buf[buf.find(b"\r\n\r\n") + 6:end])
    check(opening.startswith(b'0{"sid":'), "then the open packet",
          opening.decode(errors="replace"))
    equal(data_segs_in(sock), 1, "the 101 and the open packet came as one "
          "TCP segment")

    sock.sendall(masked_text("40"))
    del buf[:end]
    end = read_until(sock, buf, lambda b: frame_end(b, 0))
    ack = bytes(buf[2:end])
    check(ack.startswith(b'40{"sid":'), "CONNECT is answered",
          ack.decode(errors="replace"))
    equal(data_segs_in(sock), 2, "the answer came in a segment of its own")
    sock.close()
    return status()


if __name__ == "__main__":
    raise SystemExit(main())
