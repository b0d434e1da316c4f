#!/usr/bin/env bash
# scripts/rgw/start.sh — a throwaway, single-node Ceph cluster with radosgw (a real S3 engine,
# with a real STS AssumeRole) on 127.0.0.1, for the project's tests, CI and measurements.
#
#   eval "$(scripts/rgw/start.sh)"     # stdout: `export VAR=…` lines; progress on stderr
#   scripts/rgw/stop.sh [--wipe]
#
# What runs: one ceph-mon, one ceph-osd on memstore (object data in RAM, nothing on disk
# but small metadata), radosgw with the beast frontend on RGW_PORT. Authentication between
# the daemons (cephx) is off — a loopback-only cluster — while S3 request signing (SigV4)
# stays on. Debian's Ceph 16.2 ("Pacific") packages are installed with apt-get when missing
# (root only).
#
# Then: an RGW user (the "application" account whose keys the token endpoint holds), an STS
# role that this user may assume, with a role policy allowing s3:* on RGW_BUCKET only; the
# bucket itself, and its CORS rules (scripts/rgw/setup-bucket.ts).
#
# Idempotent: if our cluster (found by its pid files under RGW_DATA) answers a signed request,
# it only prints the exports. Otherwise it stops our leftovers, wipes RGW_DATA, builds anew.
#
# Environment (all optional):
#   RGW_PORT (9180)  RGW_MON_PORT (9189)  RGW_DATA (${TMPDIR:-/tmp}/oss-uploader-rgw)
#   RGW_BUCKET (uploads)  RGW_ACCESS_KEY  RGW_SECRET_KEY  RGW_USER (uploader-app)
#   RGW_ROLE_NAME (BrowserUploader)  RGW_MEMSTORE_BYTES (4 GiB: capacity, RAM used as written)
#   RGW_START_TIMEOUT (60 s: each wait)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=${RGW_DATA:-${TMPDIR:-/tmp}/oss-uploader-rgw}
PORT=${RGW_PORT:-9180}
MON_PORT=${RGW_MON_PORT:-9189}
BUCKET=${RGW_BUCKET:-uploads}
ACCESS_KEY=${RGW_ACCESS_KEY:-OSSUPLOADERAPPKEY001}
SECRET_KEY=${RGW_SECRET_KEY:-ossuploader-app-secret-0000000000000000001}
USER_ID=${RGW_USER:-uploader-app}
ROLE_NAME=${RGW_ROLE_NAME:-BrowserUploader}
MEMSTORE_BYTES=${RGW_MEMSTORE_BYTES:-4294967296}
TIMEOUT=${RGW_START_TIMEOUT:-60}
REGION=us-east-1
ENDPOINT=http://127.0.0.1:$PORT
CONF=$DATA/ceph.conf
PACKAGES=(ceph-mon ceph-osd radosgw ceph-common)

STARTED=$(date +%s%N)
say() { printf '[rgw %6.2fs] %s\n' "$(awk "BEGIN{print ($(date +%s%N)-$STARTED)/1e9}")" "$*" >&2; }
fail() {
  say "ERROR: $*"
  for f in "$DATA"/log/*.log; do [ -s "$f" ] && { echo "---- last lines of $f" >&2; tail -n 12 "$f" >&2; }; done
  exit 1
}

exports() {
  cat <<EOF
export S3_ENDPOINT=$ENDPOINT
export AWS_ACCESS_KEY_ID=$ACCESS_KEY
export AWS_SECRET_ACCESS_KEY=$SECRET_KEY
export AWS_REGION=$REGION
export RGW_ROLE_ARN=arn:aws:iam:::role/$ROLE_NAME
export RGW_BUCKET=$BUCKET
export RGW_DATA=$DATA
EOF
}

# The pid in a daemon's pid file, if that process is still ours (its command line names $CONF).
our_pid() {
  local file=$DATA/run/$1.pid pid
  [ -r "$file" ] || return 1
  pid=$(<"$file")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$CONF" || return 1
  echo "$pid"
}

# Waits up to $TIMEOUT s for a command to succeed.
wait_for() {
  local what=$1; shift
  local deadline=$(( $(date +%s) + TIMEOUT ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what: not ready after ${TIMEOUT}s"
    sleep 0.2
  done
}

# A signed ListBuckets with the user's keys (RGW insists on x-amz-content-sha256).
signed_ok() {
  curl -sf -o /dev/null --max-time 5 --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' "$ENDPOINT/"
}

# ---- already running? ------------------------------------------------------------------------
if our_pid client.rgw.0 >/dev/null && our_pid osd.0 >/dev/null && our_pid mon.a >/dev/null && signed_ok; then
  say "already running at $ENDPOINT"
  exports
  exit 0
fi

# ---- packages ---------------------------------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  [ "$(id -u)" = 0 ] || fail "Ceph is not installed and installing it needs root: apt-get install ${missing[*]}"
  command -v apt-get >/dev/null || fail "Ceph is not installed and there is no apt-get"
  say "installing ${missing[*]} (apt-get, ~260 MB)"
  apt_log=$DATA.apt.log; mkdir -p "$(dirname "$DATA")"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >"$apt_log" 2>&1; then
    apt-get update -q >>"$apt_log" 2>&1 || true
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1 \
      || fail "apt-get install failed (see $apt_log)"
  fi
  say "installed"
fi
for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool ceph-authtool curl; do
  command -v "$tool" >/dev/null || fail "missing $tool"
done

# ---- a fresh data dir -----------------------------------------------------------------------
# leftovers of an earlier run (by our pid files only) go; their data is discarded
RGW_DATA=$DATA "$HERE/stop.sh" --wipe 2>/dev/null
for p in "$MON_PORT" "$PORT"; do
  if command -v ss >/dev/null && ss -Hltn "sport = :$p" | grep -q .; then
    fail "port $p is already in use (set RGW_PORT / RGW_MON_PORT): $(ss -Hltnp "sport = :$p")"
  fi
done
rm -rf "$DATA"
mkdir -p "$DATA"/{mon.a,osd.0,rgw.0,run,log}
FSID=$(cat /proc/sys/kernel/random/uuid)

# Every path points into $DATA, so nothing touches /etc/ceph or /var/lib/ceph.
cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon host = v2:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
ms bind ipv6 = false
run dir = $DATA/run
pid file = $DATA/run/\$name.pid
admin socket = $DATA/run/\$name.asok
log file = $DATA/log/\$name.log
keyring = $DATA/keyring
# no cephx between the daemons (loopback only); then the monitor sessions must accept crc mode
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc secure
mon warn on insecure global id reclaim = false
mon warn on insecure global id reclaim allowed = false
# one OSD: pools of size 1, placement over OSDs rather than hosts, few PGs, no autoscaler
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
# a nearly full /tmp must not stop the monitor
mon data avail warn = 2
mon data avail crit = 1
paxos propose interval = 0.1
osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES
osd memory target = 1073741824

[mon.a]
mon data = $DATA/mon.a

[osd.0]
osd data = $DATA/osd.0

[client.rgw.0]
rgw data = $DATA/rgw.0
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw thread pool size = 64
# STS: AssumeRole on the S3 port; session tokens are encrypted with this 16-byte key
rgw s3 auth use sts = true
rgw sts key = $(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
EOF

ceph=(ceph -c "$CONF" --connect-timeout 10)

# ---- monitor --------------------------------------------------------------------------------
ceph-authtool --create-keyring "$DATA/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$DATA/monmap" >/dev/null
ceph-mon -c "$CONF" -i a --mkfs --monmap "$DATA/monmap" --keyring "$DATA/keyring" 2>>"$DATA/log/mkfs.log" \
  || fail "ceph-mon --mkfs"
ceph-mon -c "$CONF" -i a 2>>"$DATA/log/mkfs.log" || fail "ceph-mon did not start"
wait_for "monitor" "${ceph[@]}" mon stat
say "monitor up"

# ---- OSD (memstore) -------------------------------------------------------------------------
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
osd_id=$("${ceph[@]}" osd new "$OSD_UUID") || fail "ceph osd new"
[ "$osd_id" = 0 ] || fail "expected osd id 0, got $osd_id"
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >>"$DATA/log/mkfs.log" 2>&1 || fail "ceph-osd --mkfs"
ceph-osd -c "$CONF" -i 0 >>"$DATA/log/mkfs.log" 2>&1 || fail "ceph-osd did not start"

# radosgw would create its pools on first use, stalling the first requests: create them now
pids=()
for pool in .rgw.root default.rgw.control default.rgw.meta default.rgw.log \
  default.rgw.buckets.index default.rgw.buckets.data default.rgw.buckets.non-ec; do
  ("${ceph[@]}" osd pool create "$pool" && "${ceph[@]}" osd pool application enable "$pool" rgw) \
    >>"$DATA/log/pools.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "pool creation"; done
osd_up() { "${ceph[@]}" osd dump | grep -q '^osd.0 up'; }
wait_for "osd.0" osd_up
say "osd up, pools created"

# ---- radosgw --------------------------------------------------------------------------------
radosgw -c "$CONF" -n client.rgw.0 2>>"$DATA/log/mkfs.log" || fail "radosgw did not start"
wait_for "radosgw on $ENDPOINT" curl -sf -o /dev/null --max-time 2 "$ENDPOINT/"
say "radosgw answering on $ENDPOINT"

# ---- user, role, bucket, CORS ---------------------------------------------------------------
admin=(radosgw-admin -c "$CONF")
"${admin[@]}" user create --uid="$USER_ID" --display-name="oss-uploader token endpoint" \
  --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >"$DATA/user.json" 2>>"$DATA/log/admin.log" \
  || fail "radosgw-admin user create"
# who may assume the role: our user; what the role may do: anything on the bucket and its objects
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/'$USER_ID'"]},"Action":["sts:AssumeRole"]}]}'
"${admin[@]}" role create --role-name="$ROLE_NAME" --path=/ --assume-role-policy-doc="$trust" \
  >"$DATA/role.json" 2>>"$DATA/log/admin.log" || fail "radosgw-admin role create"
policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::'$BUCKET'","arn:aws:s3:::'$BUCKET'/*"]}]}'
"${admin[@]}" role-policy put --role-name="$ROLE_NAME" --policy-name=bucket-only --policy-doc="$policy" \
  >/dev/null 2>>"$DATA/log/admin.log" || fail "radosgw-admin role-policy put"
wait_for "signed request with the new user" signed_ok

eval "$(exports)"
(cd "$ROOT" && node --import tsx scripts/rgw/setup-bucket.ts) >&2 || fail "bucket/CORS setup"
say "ready: $ENDPOINT, bucket $BUCKET, role $RGW_ROLE_ARN"
exports | tee "$DATA/env"
