#!/usr/bin/python3
# jwt-vectors.py - writes tests/unit/jwt_vectors.h, the tokens test_jwt
# verifies, made by PyJWT (Debian's python3-jwt) and python3-cryptography,
# an implementation independent of georoom's.  Run once; the output is
# committed:  /usr/bin/python3 tests/unit/jwt-vectors.py > tests/unit/jwt_vectors.h
# && scripts/format-check --fix tests/unit/jwt_vectors.h
import base64
import hashlib
import hmac
import json

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa, utils

NOW = 1700000000
SECRET = b"georoom-test-secret-0123456789abcdef"
CLAIMS = {"sub": 5, "rooms": ["1", "fleet-7:*"], "iat": NOW, "exp": NOW + 3600}

rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
rsa_small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
ec_key = ec.generate_private_key(ec.SECP256R1())
ec_other = ec.generate_private_key(ec.SECP384R1())


def pem(key):
    return key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def part(obj):
    return b64(json.dumps(obj, separators=(",", ":")).encode())


def hs(claims, alg="HS256", secret=SECRET, headers=None):
    return jwt.encode(claims, secret, algorithm=alg, headers=headers)


def hs_raw(signing, secret=SECRET):
    # Signs what PyJWT would not write (a payload that is no object).
    sig = hmac.new(secret, signing.encode(), hashlib.sha256).digest()
    return signing + "." + b64(sig)


def es256_der(claims):
    # ES256 signed, but with the DER signature OpenSSL makes, not r||s.
    signing = part({"alg": "ES256", "typ": "JWT"}) + "." + part(claims)
    der = ec_key.sign(signing.encode(), ec.ECDSA(hashes.SHA256()))
    return signing + "." + b64(der)


with_nbf = dict(CLAIMS, nbf=NOW + 29)
vectors = [
    ("HS256", hs(CLAIMS)),
    ("HS384", hs(CLAIMS, "HS384")),
    ("HS512", hs(CLAIMS, "HS512")),
    ("HS256_OTHER_SECRET", hs(CLAIMS, secret=b"another-secret-0123456789abcdefgh")),
    ("HS256_EXPIRED", hs(dict(CLAIMS, exp=NOW - 30))),
    ("HS256_EXPIRED_IN_LEEWAY", hs(dict(CLAIMS, exp=NOW - 29))),
    ("HS256_NBF_LATER", hs(dict(CLAIMS, nbf=NOW + 31))),
    ("HS256_NBF_IN_LEEWAY", hs(with_nbf)),
    ("HS256_NO_EXP", hs({"sub": "alice"})),
    ("HS256_EXP_STRING", hs(dict(CLAIMS, exp=str(NOW + 3600)))),
    ("HS256_CRIT", hs(CLAIMS, headers={"crit": ["exp"]})),
    ("HS256_ARRAY", hs_raw(part({"alg": "HS256"}) + "." + b64(b"[1]"))),
    ("NONE", part({"alg": "none", "typ": "JWT"}) + "." + part(CLAIMS) + "."),
    ("RS256", jwt.encode(CLAIMS, rsa_key, algorithm="RS256")),
    ("RS384", jwt.encode(CLAIMS, rsa_key, algorithm="RS384")),
    ("PS256", jwt.encode(CLAIMS, rsa_key, algorithm="PS256")),
    ("ES256", jwt.encode(CLAIMS, ec_key, algorithm="ES256")),
    ("ES256_DER", es256_der(CLAIMS)),
    # The old confusion: an HS256 token keyed with the public key's text
    # (PyJWT refuses a PEM as an HMAC secret, so it is signed here).
    ("HS256_WITH_RSA_PEM", hs_raw(part({"alg": "HS256", "typ": "JWT"}) + "."
                                  + part(CLAIMS), pem(rsa_key).encode())),
]

print("/* jwt_vectors.h - written by tests/unit/jwt-vectors.py (PyJWT %s); */"
      % jwt.__version__)
print("/* do not edit. */")
print("#define VEC_NOW %d" % NOW)
print("#define VEC_SECRET \"%s\"" % SECRET.decode())


def cstr(name, s):
    lines = s.split("\n")
    print("static const char %s[] =" % name)
    for i, line in enumerate(lines):
        if line == "" and i == len(lines) - 1:
            break
        nl = "\\n" if i < len(lines) - 1 else ""
        print("    \"%s%s\"" % (line, nl))
    print("    ;")


cstr("VEC_RSA_PEM", pem(rsa_key))
cstr("VEC_RSA1024_PEM", pem(rsa_small))
cstr("VEC_EC_PEM", pem(ec_key))
cstr("VEC_EC384_PEM", pem(ec_other))
for name, tok in vectors:
    cstr("VEC_" + name, tok)
