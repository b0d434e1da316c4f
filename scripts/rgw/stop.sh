#!/usr/bin/env bash
# scripts/rgw/stop.sh [--wipe] — stops the cluster of scripts/rgw/start.sh: radosgw, then the
# OSD, then the monitor (radosgw whose OSD is already gone hangs ~2 minutes on exit). Signals
# only the processes named in our pid files whose command line still names our ceph.conf.
#   --wipe   also delete RGW_DATA. As nothing is kept (memstore data does not survive a stop
#            anyway), the three daemons are then SIGKILLed together instead (~2 s, not ~8 s).
set -euo pipefail
DATA=${RGW_DATA:-${TMPDIR:-/tmp}/oss-uploader-rgw}
CONF=$DATA/ceph.conf
wipe=false
[ "${1:-}" = --wipe ] && wipe=true

ours() {  # the pid of daemon $1, if that process is still ours
  local file=$DATA/run/$1.pid pid
  [ -r "$file" ] || return 1
  pid=$(<"$file")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$CONF" && echo "$pid"
}

wait_gone() {  # $1 name, $2 pid: up to 15 s, then SIGKILL
  for _ in $(seq 150); do kill -0 "$2" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$2" 2>/dev/null; then
    kill -KILL "$2" 2>/dev/null || true
    echo "[rgw] $1 ($2) did not stop in 15 s: killed" >&2
  else
    echo "[rgw] stopped $1 ($2)" >&2
  fi
}

if $wipe; then
  declare -A pids=()
  for name in client.rgw.0 osd.0 mon.a; do
    pid=$(ours "$name") && { kill -KILL "$pid" 2>/dev/null || true; pids[$name]=$pid; }
  done
  for name in "${!pids[@]}"; do wait_gone "$name" "${pids[$name]}"; done
  rm -rf "$DATA"
  echo "[rgw] wiped $DATA" >&2
else
  for name in client.rgw.0 osd.0 mon.a; do
    pid=$(ours "$name") || continue
    kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$name" "$pid"
  done
  rm -f "$DATA"/run/*.pid
fi
