# IPv6's all-nodes group (33:33:00:00:00:01, `bridge fdb show`'s `self permanent`) is joined when
# IPv6 attaches to a device, before it is ever up. A close drops it only if addrconf found the link
# ready (up with carrier) while it was open; the next readiness joins it again, after IPv4's
# all-hosts group the open added. An MTU under 1280 detaches IPv6 and its group; 1280 brings both
# back. Found by the fuzzer (seed 354).
ip netns add node0
ip -n node0 link add veth0 type veth peer name eth0
bridge -n node0 fdb show
ip -n node0 link set eth0 up
bridge -n node0 fdb show
ip -n node0 link set eth0 down
bridge -n node0 fdb show
ip -n node0 link set veth0 up
ip -n node0 link set eth0 up
ip -n node0 link set eth0 down
bridge -n node0 fdb show dev eth0
ip -n node0 link set veth0 down
ip -n node0 link set eth0 up
bridge -n node0 fdb show dev eth0
ip -n node0 link set eth0 down
ip -n node0 link set veth0 up
ip -n node0 link set eth0 up
bridge -n node0 fdb show dev eth0
ip -n node0 link set veth0 down
bridge -n node0 fdb show dev eth0
ip -n node0 link set eth0 down
ip -n node0 link set veth0 mtu 1200
bridge -n node0 fdb show dev veth0
ip -n node0 link set veth0 mtu 1280
bridge -n node0 fdb show dev veth0
ip -n node0 link add br0 type bridge
ip -n node0 link set br0 up
ip -n node0 link set br0 down
bridge -n node0 fdb show dev br0
