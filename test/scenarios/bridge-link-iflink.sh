# bridge link prints PORT@PEER from IFLA_LINK, which br_fill_ifinfo() sends only when the peer's
# ifindex differs from the port's own, and without a netnsid: the index is named in the listing's
# namespace (ifN when nothing has it). A port whose peer elsewhere has its own number prints
# bare (fuzz seed 801).
ip netns add node0
ip link add veth0 type veth peer name eth0 netns node0
ip -n node0 link add br0 type bridge
ip -n node0 link set eth0 master br0
ip link add veth1 type veth peer name eth1 netns node0
ip -n node0 link set eth1 master br0
ip -n node0 link add a0 type veth peer name a1
ip -n node0 link set a0 master br0
ip netns exec node0 bridge link
ip netns exec node0 bridge -d link show dev eth0
ip netns exec node0 bridge -j link
ip -n node0 -o link show eth0
ip -n node0 -o link show eth1
