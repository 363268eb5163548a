# The supervisor of the throwaway Ceph cluster of test/support/s3-server.ts (run by bash -c, as
# test/support/supervised-server.ts does): sets the cluster up, then runs it until SIGTERM or until
# one of its daemons exits, and removes the temp dir at the end, whatever happened. Every command runs
# in the background so that a signal interrupts `wait` and is passed on. bash for `wait -n`.
# The daemons are stopped with SIGKILL: everything they hold is thrown away with the temp dir, and a
# clean shutdown is slow (the OSD would write its in-memory store out to disk) and can hang (radosgw
# waits up to two minutes for a monitor that stopped first).
# Arguments: the temp dir (holding ceph.conf), the cluster's fsid, the monitor's address, the OSD's
# uuid, the S3 user's access and secret keys.
set -u
dir=$1 fsid=$2 mon_address=$3 osd_uuid=$4 access_key=$5 secret_key=$6
export CEPH_CONF="$dir/ceph.conf"
step= stopping= status=0
daemons=()
forward() { stopping=1; kill -KILL $step "${daemons[@]}" 2>/dev/null; }
trap forward TERM INT HUP
wait_for() {
  local code
  wait "$1"; code=$?
  while [ "$code" -gt 128 ] && kill -0 "$1" 2>/dev/null; do wait "$1"; code=$?; done
  return "$code"
}
run() {
  [ -z "$stopping" ] || return 1
  "$@" & step=$!
  wait_for "$step"; local code=$?
  step=
  return "$code"
}
daemon() {
  [ -z "$stopping" ] || return 1
  "$@" & daemons+=($!)
}
keys() {
  run ceph-authtool "$dir/keyring" --create-keyring --gen-key -n mon. --cap mon 'allow *' &&
    run ceph-authtool "$dir/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' &&
    run ceph-authtool "$dir/keyring" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap osd 'allow *' &&
    run ceph-authtool "$dir/keyring" --gen-key -n client.rgw --cap mon 'allow rw' --cap osd 'allow rwx'
}
setup() {
  mkdir -p "$dir/mon" "$dir/osd" "$dir/rgw" "$dir/run" "$dir/log" "$dir/crash" &&
    keys &&
    run monmaptool --create --addv a "$mon_address" --fsid "$fsid" "$dir/monmap" &&
    run ceph-mon --mkfs -i a --monmap "$dir/monmap" &&
    daemon ceph-mon -f -i a &&
    run ceph --connect-timeout 30 osd new "$osd_uuid" &&
    run ceph-osd --mkfs -i 0 --osd-uuid "$osd_uuid" &&
    daemon ceph-osd -f -i 0 &&
    run radosgw-admin user create --uid=vidgate --display-name=vidgate --access-key="$access_key" --secret-key="$secret_key" &&
    daemon radosgw -f -n client.rgw
}
setup >"$dir/setup.log" 2>&1 || { status=1; [ -n "$stopping" ] || cat "$dir/setup.log" >&2; }
while [ "$status" -eq 0 ] && [ -z "$stopping" ]; do
  wait -n "${daemons[@]}"
  code=$?
  [ -n "$stopping" ] && break
  # Not a signal: a daemon has exited on its own.
  for pid in "${daemons[@]}"; do kill -0 "$pid" 2>/dev/null || status=1; done
  if [ "$status" -ne 0 ]; then
    echo "A Ceph daemon exited ($code); the end of its log:" >&2
    tail -n 20 "$dir"/log/*.log >&2
  fi
done
forward
for pid in "${daemons[@]}"; do wait_for "$pid"; done
rm -rf -- "$dir"
exit "$status"
