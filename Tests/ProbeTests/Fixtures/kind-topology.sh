#!/usr/bin/env bash
# Builds (up) or removes (down) a KinD-shaped topology in network namespaces, for the probe
# and capture tests and for trying `labgen probe --netns` by hand:
#   lgp-ID-host : the "host" (docker's side): bridge br-ID (172.18.0.1/16), one veth per node
#   lgp-ID-nX   : "node" X (X = 2..5): eth0 172.18.0.X/16, MAC 02:42:ac:12:00:0X
# Another cluster's shape through the environment: NET=172.21 (the /16's first two octets),
# MAC_PREFIX=02:42:ac:15 (the nodes' MACs without the last two bytes), BRIDGE_MAC, NODEPORT.
# The tests then start an HTTP server on the NodePort 31400 in node 5 (kind-worker3, the
# backend); by hand: ip netns exec lgp-ID-n5 python3 Fixtures/backend.py 172.18.0.5 31400
# ID is 12 hex characters, so the bridge is named like docker's (br- + network id[:12]).
# Nothing is changed in the calling namespace.
set -euo pipefail
action=$1 id=$2
[[ $id =~ ^[0-9a-f]{12}$ ]] || { echo "ID must be 12 hex characters" >&2; exit 2; }
host=lgp-$id-host
bridge=br-$id
nodes=(2 3 4 5)
net=${NET:-172.18} macs=${MAC_PREFIX:-02:42:ac:12} nodeport=${NODEPORT:-31400}
[[ $net =~ ^[0-9]{1,3}\.[0-9]{1,3}$ && $macs =~ ^([0-9a-f]{2}:){3}[0-9a-f]{2}$ && $nodeport =~ ^[0-9]+$ ]] \
  || { echo "NET, MAC_PREFIX or NODEPORT malformed" >&2; exit 2; }

down() {
  for x in "${nodes[@]}"; do ip netns del "lgp-$id-n$x" 2>/dev/null || true; done
  ip netns del "$host" 2>/dev/null || true
}

case $action in
up)
  trap down ERR
  ip netns add "$host"
  ip -n "$host" link set lo up
  ip -n "$host" link add "$bridge" type bridge
  ip -n "$host" link set "$bridge" address "${BRIDGE_MAC:-02:42:1f:d6:b7:3b}"
  ip -n "$host" addr add "$net.0.1/16" dev "$bridge"
  ip -n "$host" link set "$bridge" up
  for x in "${nodes[@]}"; do
    ns=lgp-$id-n$x veth=veth${id:0:6}$x
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n "$host" link add "$veth" type veth peer name eth0 netns "$ns"
    ip -n "$ns" link set eth0 address "$macs:00:0$x"
    ip -n "$ns" addr add "$net.0.$x/16" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add default via "$net.0.1"
    ip -n "$host" link set "$veth" master "$bridge"
    ip -n "$host" link set "$veth" up
    echo "node $net.0.$x $ns $veth"
  done
  # What the lab's pings do: fill the host's neighbour table and the bridge's fdb.
  for x in "${nodes[@]}"; do
    ip netns exec "$host" curl -s -o /dev/null --max-time 1 "http://$net.0.$x:$nodeport/" || true
  done
  echo "host $host $bridge"
  ;;
down) down ;;
*) echo "usage: $0 up|down ID" >&2; exit 2 ;;
esac
