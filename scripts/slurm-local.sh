#!/usr/bin/env bash
# A throw-away single-node SLURM cluster on this machine, for the sweep end-to-end test.
#
#   scripts/slurm-local.sh start DIR   # installs slurm-wlm + munge if missing, starts munged,
#                                      # slurmctld and slurmd with a generated DIR/slurm.conf
#   scripts/slurm-local.sh stop DIR    # stops the daemons started by `start`
#
# After `start`, `export SLURM_CONF=DIR/slurm.conf` points sbatch/squeue/sinfo at the cluster.
# Needs root (as on CI); no systemd. Recipe checked on this machine kind (notes/slurm-single-node).
set -euo pipefail

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)

stop() {
    # Daemons are found by their config path (a pid file may be missing or stale); slurmd can
    # ignore SIGTERM while job steps linger, so whatever is left after 3 s gets SIGKILL.
    local pattern="slurm(ctld|d) -f $dir/slurm.conf"
    pkill -f "$pattern" 2>/dev/null || true
    for _ in $(seq 30); do pgrep -f "$pattern" >/dev/null || break; sleep 0.1; done
    pkill -9 -f "$pattern" 2>/dev/null || true
    rm -f "$dir/slurmd.pid" "$dir/slurmctld.pid"
}

start() {
    if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
        sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq slurm-wlm munge >/dev/null
    fi
    # munge: key, directories, daemon (as root it needs --force).
    if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
        mkdir -p /etc/munge /run/munge /var/log/munge /var/lib/munge
        [ -s /etc/munge/munge.key ] || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
        chown munge:munge /etc/munge/munge.key /run/munge /var/log/munge /var/lib/munge
        chmod 400 /etc/munge/munge.key
        /usr/sbin/munged --force
        for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
    fi
    host=$(hostname -s)
    mkdir -p "$dir/spool/ctld" "$dir/spool/d"
    cat > "$dir/slurm.conf" <<CONF
ClusterName=msense-test
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$dir/spool/ctld
SlurmdSpoolDir=$dir/spool/d
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    stop
    # slurmd and slurmctld listen on fixed ports: a daemon of another cluster would take our jobs.
    local others
    others=$(ps -eo pid=,stat=,args= | awk '$2 !~ /^Z/ && ($3 ~ /(^|\/)slurmd$/ || $3 ~ /(^|\/)slurmctld$/)')
    if [ -n "$others" ]; then
        echo "slurm-local: another slurmd/slurmctld is running on this machine; stop it first:" >&2
        echo "$others" >&2
        exit 1
    fi
    export SLURM_CONF="$dir/slurm.conf"
    slurmctld -f "$SLURM_CONF"
    slurmd -f "$SLURM_CONF"
    for _ in $(seq 100); do
        if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then exit 0; fi
        sleep 0.2
    done
    echo "slurm-local: node did not become idle; see $dir/slurmctld.log and $dir/slurmd.log" >&2
    exit 1
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
