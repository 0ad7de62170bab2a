# taplines.py - the checks that tests/prog's Python drivers print: "ok DESC"
# or "not ok DESC" (with "# " and the details when it fails), each a line
# of the TAP stream that the calling .t file passes on.
import json

failures = 0


def check(cond, desc, detail=None):
    global failures
    print(("ok " if cond else "not ok ") + desc)
    if not cond:
        failures += 1
        if detail is not None:
            print("# " + json.dumps(detail, default=repr))


def equal(got, want, desc):
    check(got == want, desc, {"got": got, "want": want})


def status():
    """The driver's exit status: 1 when a check failed."""
    return 1 if failures else 0
