#!/usr/bin/python3
# jwt-client.py ALG KEYFILE - georoomd with tokens, driven by python-socketio
# (Debian's python3-socketio) with tokens minted by PyJWT (python3-jwt):
# each refusal with its reason, and the claims held.  Prints "ok DESC",
# "not ok DESC" and "# note" lines for tests/prog/60-georoomd-jwt.t; needs
# GEOROOMD_PORT.
import os
import sys
import threading
import time

import jwt
import socketio

from taplines import check, equal, status

ALG, KEYFILE = sys.argv[1], sys.argv[2]
URL = "http://127.0.0.1:%s" % os.environ["GEOROOMD_PORT"]
with open(KEYFILE, "rb") as f:
    KEY = f.read()
if ALG.startswith("HS"):
    KEY = KEY.rstrip(b"\n")


def mint(sub=5, alg=ALG, key=None, **claims):
    claims.setdefault("exp", int(time.time()) + 300)
    if sub is not None:
        claims["sub"] = sub
    return jwt.encode(claims, KEY if key is None else key, algorithm=alg)


class Client:
    """A python-socketio client that records its events."""

    def __init__(self):
        self.sio = socketio.Client(reconnection=False)
        self.events = {"chat": [], "private": []}
        self.error = None
        self.cond = threading.Condition()
        for ev in self.events:
            self.sio.on(ev, self._recorder(ev))
        self.sio.on("connect_error", self._connect_error)
        self.sio.on("connect", self._connected)

    def _connected(self):
        with self.cond:
            self.cond.notify_all()

    def _recorder(self, ev):
        def record(data):
            with self.cond:
                self.events[ev].append(data)
                self.cond.notify_all()
        return record

    def _connect_error(self, data):
        with self.cond:
            self.error = data or {}
            self.cond.notify_all()

    def connect(self, auth=None, headers=None):
        """Whether the namespace connects; else self.error says why."""
        # Not wait=True: on a refusal it waits for its whole timeout.
        self.sio.connect(URL, transports=["websocket"], auth=auth,
                         headers=headers or {}, wait=False)
        with self.cond:
            self.cond.wait_for(
                lambda: self.sio.connected and self.sio.namespaces or
                self.error is not None, 5)
        if self.error is not None:
            self.sio.disconnect()
            return False
        return True

    def call(self, event, data):
        return self.sio.call(event, data, timeout=5)

    def until(self, ev, n, timeout=5):
        with self.cond:
            self.cond.wait_for(lambda: len(self.events[ev]) >= n, timeout)
            return list(self.events[ev])

    def close(self):
        self.sio.disconnect()


def refused(desc, message, code, **kw):
    c = Client()
    if c.connect(**kw):
        c.close()
        return check(False, desc, "connected")
    err = c.error or {}
    equal([err.get("message"), (err.get("data") or {}).get("code")],
          [message, code], desc)


def connect_as(token):
    c = Client()
    if not c.connect(auth={"token": token}):
        raise RuntimeError("refused: %r" % (c.error,))
    return c


def main():
    refused("python-socketio: no token is refused, \"no token\"",
            "no token", "missing")
    good = mint()
    refused("python-socketio: a bad signature is refused",
            "bad token signature", "bad_signature",
            auth={"token": good[:-4] + ("BAAA" if good.endswith("AAAA")
                                        else "AAAA")})
    refused("python-socketio: an expired token is refused",
            "token expired", "expired",
            auth={"token": mint(exp=int(time.time()) - 120)})
    none = jwt.encode({"sub": 5}, None, algorithm="none")
    refused("python-socketio: alg none is refused",
            "token algorithm not accepted", "wrong_alg", auth={"token": none})
    wrong = jwt.encode({"sub": 5}, "a-secret-of-some-length-0123456789",
                       algorithm="HS384" if ALG != "HS384" else "HS256")
    if ALG.startswith("HS"):
        # Any HMAC is the secret's; another family is the wrong one.
        from cryptography.hazmat.primitives.asymmetric import ec
        wrong = jwt.encode({"sub": 5}, ec.generate_private_key(ec.SECP256R1()),
                           algorithm="ES256")
    refused("python-socketio: a token of another algorithm than %s is "
            "refused" % ALG, "token algorithm not accepted", "wrong_alg",
            auth={"token": wrong})

    a = connect_as(mint(5, rooms=["1"]))
    b = connect_as(mint(6, rooms=["1", "2"]))
    check(True, "python-socketio connects with a valid %s token" % ALG)
    equal(a.call("join_room", {"locationId": 1, "userId": 99}), "1",
          "python-socketio: rooms [\"1\"] joins 1")
    equal(a.call("join_room", {"locationId": 2}),
          {"error": "cannot join: the token's rooms do not include this room"},
          "python-socketio: and is refused 2")
    b.call("join_room", {"locationId": 1})
    b.call("join_room", {"locationId": 2})
    b.call("chat", {"userId": 6, "message": "to-2", "roomName": "2"})
    b.call("chat", {"userId": 6, "message": "barrier", "roomName": "1"})
    equal([m["message"] for m in a.until("chat", 1)], ["barrier"],
          "python-socketio: it receives nothing of room 2")
    a.call("chat", {"userId": 99, "message": "as-99", "roomName": "1"})
    got = b.until("chat", 3)
    equal(got[2:3], [{"userId": 5, "message": "as-99", "roomName": "1"}],
          "python-socketio: chat claiming userId 99 from sub 5 arrives "
          "with userId 5")
    equal(a.call("chat", {"message": "x", "roomName": "2"}),
          {"error": "cannot send to a room the socket has not joined"},
          "python-socketio: without publish, no chat to a room not joined")
    p = connect_as(mint("feeder", rooms=[], publish=["2"]))
    equal(p.call("broadcast", {"message": "pub", "roomName": "2"}),
          {"userId": "feeder", "message": "pub", "roomName": "2"},
          "python-socketio: publish [\"2\"] lets broadcast reach room 2")
    equal(p.call("chat", {"message": "pub", "roomName": "1"}),
          {"error": "cannot send: the token's publish rooms do not "
                    "include this room"},
          "python-socketio: and nowhere else")
    d = connect_as(mint(7, rooms=["3"]))
    d.call("join_room", {"locationId": 3})
    equal(a.call("private", {"to": d.sio.get_sid(), "message": "psst"}),
          {"error": "private reaches only a socket that shares a room "
                    "with the sender"},
          "python-socketio: private across rooms is refused")
    equal(a.call("private", {"to": b.sio.get_sid(), "message": "hi"})
          .get("userId"), 5,
          "python-socketio: private within a room goes, as sub 5")

    h = Client()
    if h.connect(headers={"Authorization": "Bearer " + mint(8, rooms=["1"])}):
        h.call("join_room", {"locationId": 1})
        equal(h.call("chat", {"userId": 1, "message": "m", "roomName": "1"}),
              {"userId": 8, "message": "m", "roomName": "1"},
              "python-socketio: a token in the Authorization header works")
        h.close()
    else:
        check(False, "python-socketio: a token in the Authorization header "
              "connects", h.error)
    for c in (a, b, p, d):
        c.close()


try:
    main()
except Exception as e:  # reported, not raised: the TAP stays whole
    check(False, "unexpected error: %r" % (e,))
sys.exit(status())
