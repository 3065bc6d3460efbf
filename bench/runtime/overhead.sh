#!/usr/bin/env bash
# The runtime detector's overhead on a request benchmark: the FastAPI app of app.py served by
# uvicorn on loopback, alone and under `loopguard runtime`, in alternating rounds; prints the
# median requests/s of each and the overhead. Usage: bench/runtime/overhead.sh [ROUNDS] [REQUESTS]
# [CONNECTIONS] [LOOP]   (LOOP: asyncio or uvloop; default asyncio, where every socket call is Python)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-5}"; requests="${2:-4000}"; connections="${3:-20}"; loop="${4:-asyncio}"
python="${PYTHON:-/usr/bin/python3}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
port=18931
serve() {  # $1: plain|runtime
  local cmd=("$python" -m uvicorn app:app --host 127.0.0.1 --port "$port" --loop "$loop" --log-level warning --no-access-log)
  if [ "$1" = runtime ]; then
    cmd=("$root/loopguard" runtime -o "$work/events.jsonl" --metrics "$work/lag.prom" -- "${cmd[@]}")
  fi
  (cd "$here" && exec "${cmd[@]}") &
  server=$!
  for _ in $(seq 1 200); do
    if "$python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then break; fi
    sleep 0.1
  done
  "$python" "$here/load.py" "$port" 200 "$connections" >/dev/null   # warm-up
  local pid; pid="$(pgrep -f -n "uvicorn app:app --host 127.0.0.1 --port $port")"
  local before; before="$(cpu "$pid")"
  local rate; rate="$("$python" "$here/load.py" "$port" "$requests" "$connections")"
  local after; after="$(cpu "$pid")"
  # requests/s, and the server's CPU milliseconds per 1000 requests (steadier on a busy machine)
  echo "$rate $(( (after - before) * 1000 / $(getconf CLK_TCK) * 1000 / requests ))"
  kill -TERM "$server"; wait "$server" || true
}
cpu() {  # user + system clock ticks of a process
  awk '{print $14 + $15}' "/proc/$1/stat"
}
"$root/loopguard" --version >/dev/null   # build the jar first
plain=(); runtime=(); plain_cpu=(); runtime_cpu=()
for i in $(seq 1 "$rounds"); do
  read -r rate ms <<<"$(serve plain)"; plain+=("$rate"); plain_cpu+=("$ms")
  read -r rate ms <<<"$(serve runtime 2>/dev/null)"; runtime+=("$rate"); runtime_cpu+=("$ms")
  echo "round $i: plain ${plain[-1]} req/s (${plain_cpu[-1]} ms CPU/1000 req), runtime ${runtime[-1]} req/s (${runtime_cpu[-1]} ms CPU/1000 req)" >&2
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
p="$(median "${plain[@]}")"; r="$(median "${runtime[@]}")"
pc="$(median "${plain_cpu[@]}")"; rc="$(median "${runtime_cpu[@]}")"
awk -v p="$p" -v r="$r" -v pc="$pc" -v rc="$rc" -v loop="$loop" 'BEGIN {
  printf "%s loop, medians: plain %.1f req/s, under loopguard runtime %.1f req/s (%.1f%% fewer); server CPU %d vs %d ms per 1000 requests (%.1f%% more)\n", loop, p, r, (p - r) / p * 100, pc, rc, (rc - pc) / pc * 100 }'
if [ -s "$work/events.jsonl" ]; then
  echo "events recorded in the last runtime round: $(grep -c '"kind":"blocking"' "$work/events.jsonl" || true) blocking" >&2
fi
