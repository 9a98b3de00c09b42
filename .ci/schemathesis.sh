#!/usr/bin/env bash
# Fuzzes the reference server with Schemathesis (issue 6, point 1).
#
# Starts `spatialflow-conformance serve --test-api` on a free loopback port with a fresh
# database, creates a user and an API key for the protected operations, and runs every
# Schemathesis check over every operation of /api/v1/openapi.json with a bounded number of
# examples per operation. Fails on any server error, schema-violating response, undocumented
# status code or content type. Reports (JUnit, NDJSON) go to target/schemathesis/.
set -euo pipefail
cd "$(dirname "$0")/.."

ST_VERSION="${ST_VERSION:-4.32.5}"     # pinned: v4 changed the CLI, and checks grow per release
MAX_EXAMPLES="${ST_MAX_EXAMPLES:-100}"   # per operation; bounds the run (no --max-time: it repeats)
SEED="${ST_SEED:-20261204}"             # reproducible in CI; override to explore

out="target/schemathesis"
venv="target/schemathesis-venv"
mkdir -p "$out"

if [[ ! -x "$venv/bin/st" ]] || ! "$venv/bin/st" --version | grep -q "$ST_VERSION"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi
"$venv/bin/st" --version

cargo build --locked --quiet --bin spatialflow-conformance
work="$(mktemp -d)"
log="$out/server.log"
./target/debug/spatialflow-conformance serve --test-api --addr 127.0.0.1:0 \
    --db "$work/fuzz.db" >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

base=""
for _ in $(seq 1 100); do
    base="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n1 || true)"
    [[ -n "$base" ]] && break
    sleep 0.1
done
[[ -n "$base" ]] || { echo "server did not start"; cat "$log"; exit 1; }
echo "server at $base"

# A user and an API key for the protected operations (see .ci/schemathesis.toml).
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
email="fuzz-$(date +%s)@example.com"
password="Fuzz-Passw0rd-$RANDOM"
curl -fsS -X POST "$base/api/v1/public/signup" -H 'Content-Type: application/json' \
    -d "{\"email\": \"$email\", \"password\": \"$password\"}" >/dev/null
SF_FUZZ_TOKEN="$(curl -fsS -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\": \"$email\", \"password\": \"$password\"}" | json '["access_token"]')"
SF_FUZZ_API_KEY="$(curl -fsS -X POST "$base/api/v1/account/api-keys" \
    -H "Authorization: Bearer $SF_FUZZ_TOKEN" | json '["api_key"]["key"]')"
export SF_FUZZ_API_KEY SF_FUZZ_EMAIL="$email" SF_FUZZ_PASSWORD="$password"

status=0
"$venv/bin/st" --config-file .ci/schemathesis.toml run "$base/api/v1/openapi.json" \
    --checks all \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --workers 2 \
    --request-timeout 10 \
    --generation-database none \
    --no-color \
    --report junit,ndjson --report-dir "$out" || status=$?

if grep -qE ' (ERROR|panicked)' "$log"; then
    echo "the server logged errors during the fuzzing run:"
    grep -E ' (ERROR|panicked)' "$log" | head -n 20
    status=1
fi
exit "$status"
