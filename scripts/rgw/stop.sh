#!/usr/bin/env bash
# scripts/rgw/stop.sh [--wipe] — stops the cluster of scripts/rgw/start.sh: radosgw, then the
# OSD, then the monitor (radosgw whose OSD is already gone hangs ~2 minutes on exit). Signals
# only the processes named in our pid files whose command line still names our ceph.conf.
#   --wipe   also delete RGW_DATA (memstore data does not survive a stop anyway)
set -euo pipefail
DATA=${RGW_DATA:-${TMPDIR:-/tmp}/oss-uploader-rgw}
CONF=$DATA/ceph.conf
for name in client.rgw.0 osd.0 mon.a; do
  file=$DATA/run/$name.pid
  [ -r "$file" ] || continue
  pid=$(<"$file")
  if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$CONF"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      echo "[rgw] $name ($pid) did not stop in 15 s: killed" >&2
    else
      echo "[rgw] stopped $name ($pid)" >&2
    fi
  fi
  rm -f "$file"
done
if [ "${1:-}" = --wipe ]; then
  rm -rf "$DATA"
  echo "[rgw] wiped $DATA" >&2
fi
