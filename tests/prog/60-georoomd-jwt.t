#!/usr/bin/env bash
# georoomd with tokens (--jwt-secret, --jwt-public-key): each refusal with
# its reason, and the claims held, with socket.io-client and python-socketio;
# HS256, RS256 and ES256, keys made here with openssl; the options' errors.
. "$(dirname "$0")/lib.sh"

need openssl have openssl
need "python-socketio (python3-socketio, python3-websocket)" \
    /usr/bin/python3 -c 'import socketio, websocket'
need "PyJWT (python3-jwt)" /usr/bin/python3 -c 'import jwt'

# The secret ends with a newline, which is not part of it.
openssl rand -hex 32 >"$T/secret"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out "$T/rsa.key" 2>/dev/null &&
    openssl pkey -in "$T/rsa.key" -pubout -out "$T/rsa.pub"
ok $? "openssl makes an RSA key pair"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$T/ec.key" 2>/dev/null &&
    openssl pkey -in "$T/ec.key" -pubout -out "$T/ec.pub"
ok $? "openssl makes a P-256 key pair"

start_georoomd -v -n /other -n /third --jwt-secret "$T/secret" ||
    { ok 1 "georoomd starts with --jwt-secret"; done_testing; }
grep -q 'info: tokens required (HS256, HS384, HS512)' "$GEOROOMD_LOG"
ok $? "georoomd says that it requires tokens, and of which algorithms"
JWT_ALG=HS256 JWT_KEY="$T/secret" node_tap "$TOP/tests/node/hub-jwt.js"
refused=$(stat_of refused_connect)
ok $((refused > 0 ? 0 : 1)) "stats count the refused CONNECTs ($refused)"
py_tap "$TOP/tests/prog/jwt-client.py" HS256 "$T/secret"
grep -q 'info: refuse sid=.* ns=/: token expired$' "$GEOROOMD_LOG"
ok $? "a refusal is logged with its reason"
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"

for k in rsa:RS256 ec:ES256; do
	key=${k%:*} alg=${k#*:}
	start_georoomd -n /other -n /third --jwt-public-key "$T/$key.pub" ||
	    { ok 1 "georoomd starts with --jwt-public-key ($alg)"; continue; }
	grep -q "info: tokens required ($alg)" "$GEOROOMD_LOG"
	ok $? "a public key file makes georoomd require $alg"
	JWT_ALG=$alg JWT_KEY="$T/$key.key" node_tap "$TOP/tests/node/hub-jwt.js"
	py_tap "$TOP/tests/prog/jwt-client.py" "$alg" "$T/$key.key"
	stop_georoomd
	is "$rc" 0 "georoomd ($alg) exits 0 on SIGTERM"
done

# The options' errors, before anything listens.
run_cmd georoomd -p 0 -c "$T/c.sock" --jwt-secret "$T/none"
is "$rc" 66 "a missing key file exits 66 (EX_NOINPUT)"
like "$err" "cannot open '$T/none'" "and names the file"
run_cmd georoomd -p 0 -c "$T/c.sock" --jwt-secret "$T/secret" \
    --jwt-public-key "$T/rsa.pub"
is "$rc" 64 "--jwt-secret with --jwt-public-key exits 64"
like "$err" "exclude each other" "saying they exclude each other"
run_cmd georoomd -p 0 -c "$T/c.sock" --jwt-public-key "$T/secret"
is "$rc" 78 "a public key file without a PEM key exits 78 (EX_CONFIG)"
like "$err" "no PEM public key" "saying what it lacks"
run_cmd georoomd -p 0 -c "$T/c.sock" --jwt-public-key "$T/rsa.key"
is "$rc" 78 "a private key given as the public key exits 78"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 2>/dev/null |
    openssl pkey -pubout -out "$T/small.pub"
run_cmd georoomd -p 0 -c "$T/c.sock" --jwt-public-key "$T/small.pub"
is "$rc" 78 "an RSA key of 1024 bits exits 78"
like "$err" "1024 bits; RS256 needs 2048" "saying how many bits it needs"
printf '\n' >"$T/empty"
run_cmd georoomd -p 0 -c "$T/c.sock" --jwt-secret "$T/empty"
is "$rc" 78 "a secret file holding only a newline exits 78"
like "$err" "the secret is empty" "saying the secret is empty"
GEOROOMD_JWT_SECRET_FILE=$T/none run_cmd georoomd -p 0 -c "$T/c.sock"
is "$rc" 66 "GEOROOMD_JWT_SECRET_FILE is --jwt-secret"
done_testing
