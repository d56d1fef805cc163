# A gateway that is one of our own addresses on a device that is down is ENETDOWN, also when the same
# address is another device's subnet broadcast: the lookup with the hop's device skips that alias.
# Found by the fuzzer (seed 3164).
ip netns add ns0
ip link add veth0 netns ns0 type veth peer name eth1 netns ns0
ip netns exec ns0 ip link set eth1 up
ip netns exec ns0 ip addr add 10.2.3.2/30 dev eth1
ip -n ns0 addr add 10.2.3.3/30 dev veth0 scope link
ip -n ns0 route show table local
ip netns exec ns0 ip route add 198.18.2.0/24 nexthop via 10.2.3.3 dev veth0 weight 2
ip netns exec ns0 ip route add 198.18.3.0/24 via 10.2.3.3 dev veth0
ip netns exec ns0 ip route add 198.18.4.0/24 via 10.2.3.3
