#!/bin/sh
# A single-node Slurm cluster on localhost for the Slurm tests: munged, slurmctld
# and slurmd as root, 2 CPUs, every file under one scratch folder.
#   scripts/slurm-local.sh start DIR   installs slurm-wlm and munge if missing, starts the daemons,
#                                      writes DIR/slurm.conf (export SLURM_CONF=DIR/slurm.conf)
#   scripts/slurm-local.sh stop DIR    stops what start started
set -eu
cmd=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)

stop_pid_file() {
  if [ -f "$1" ]; then
    pid=$(cat "$1")
    kill "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    rm -f "$1"
  fi
}

case "$cmd" in
start)
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
  fi
  host=$(hostname -s)
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  # munged runs as the munge user: it must reach its folder (mktemp -d makes 0700 ones).
  chmod 755 "$dir"
  # munge: its own socket and pid under DIR, so a munged started by others is left alone.
  chown -R munge:munge /etc/munge "$dir/munge"
  su -s /bin/sh munge -c "/usr/sbin/munged --socket=$dir/munge/munge.socket --pid-file=$dir/munge/munged.pid --log-file=$dir/munge/munged.log --seed-file=$dir/munge/munged.seed"
  cat >"$dir/slurm.conf" <<CONF
ClusterName=bomftest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CryptoType=crypto/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=300
NodeName=$host CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  /usr/sbin/slurmctld -f "$SLURM_CONF"
  /usr/sbin/slurmd -f "$SLURM_CONF"
  i=0
  until sinfo -h -o %t 2>/dev/null | grep -q idle; do
    i=$((i + 1))
    if [ $i -gt 60 ]; then
      echo "slurm-local: the node did not become idle; see $dir/log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "slurm-local: cluster up (SLURM_CONF=$SLURM_CONF)"
  ;;
stop)
  stop_pid_file "$dir/slurmd.pid"
  stop_pid_file "$dir/slurmctld.pid"
  stop_pid_file "$dir/munge/munged.pid"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
