#!/usr/bin/python3
# poll-client.py [TRANSPORT] - the original scenario with python-socketio
# (Debian's python3-socketio) as applications use it: with its defaults,
# long-polling then the upgrade, or with transports=[TRANSPORT].  Two
# clients join room 7, one chats to the room, both get it, acks come
# back, one leaves and gets no more.  Prints "ok DESC", "not ok DESC" and
# "# note" lines for tests/prog/64-georoomd-polling.t; needs
# GEOROOMD_PORT.
import os
import sys
import threading

import socketio

from taplines import check, equal, status

URL = "http://127.0.0.1:%s" % os.environ["GEOROOMD_PORT"]
TRANSPORTS = [sys.argv[1]] if len(sys.argv) > 1 else None
WHAT = "with transports=%s" % TRANSPORTS if TRANSPORTS else "with its defaults"


class Client:
    def __init__(self):
        self.sio = socketio.Client(reconnection=False)
        self.chats = []
        self.cond = threading.Condition()
        self.sio.on("chat", self.on_chat)
        if TRANSPORTS:
            self.sio.connect(URL, transports=TRANSPORTS, wait_timeout=5)
        else:
            self.sio.connect(URL, wait_timeout=5)

    def on_chat(self, data):
        with self.cond:
            self.chats.append(data)
            self.cond.notify_all()

    def until(self, n):
        with self.cond:
            self.cond.wait_for(lambda: len(self.chats) >= n, timeout=5)
        return self.chats


a, b = Client(), Client()
check(a.sio.connected and b.sio.connected, "python-socketio connects " + WHAT)
equal(a.sio.call("join_room", {"locationId": 7, "userId": 1}, timeout=5), "7",
      "join_room is acknowledged with the room name")
equal(b.sio.call("join_room", {"locationId": 7, "userId": 2}, timeout=5), "7",
      "the second client joins the room")
p = {"userId": 1, "message": {"lon": 13.4, "lat": 52.5}, "roomName": "7"}
equal(a.sio.call("chat", p, timeout=5), p, "chat acks with the payload")
equal(b.until(1), [p], "the other member gets the chat")
equal(a.until(1), [p], "and so does the sender")
equal(b.sio.call("leave_room", {"locationId": 7, "userId": 2}, timeout=5),
      "7", "leave_room is acknowledged")
a.sio.call("chat", {"userId": 1, "message": "after", "roomName": "7"}, timeout=5)
a.until(2)
b.sio.emit("join_room", {"locationId": 8})
equal(b.sio.call("chat", {"message": "barrier", "roomName": "8"}, timeout=5),
      {"message": "barrier", "roomName": "8"}, "a barrier in another room")
equal([c["message"] for c in b.until(2)], [p["message"], "barrier"],
      "after leaving, the room's chats no longer reach it")
want = TRANSPORTS[0] if TRANSPORTS else "websocket"
equal(a.sio.transport(), want, "it ends on %s" % want)
a.sio.disconnect()
b.sio.disconnect()
sys.exit(status())
