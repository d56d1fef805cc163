# A router namespace between two subnets: forwarding off and on, TTL expiry, a destination the
# router has no route for, and what each sender hears back.
ip netns add a
ip netns add r
ip netns add b
ip link add eth0 netns a type veth peer name eth0 netns r
ip link add eth1 netns r type veth peer name eth0 netns b
ip netns exec a ip link set eth0 up
ip netns exec r ip link set eth0 up
ip netns exec r ip link set eth1 up
ip netns exec b ip link set eth0 up
ip netns exec a ip addr add 10.1.0.2/24 dev eth0
ip netns exec r ip addr add 10.1.0.1/24 dev eth0
ip netns exec r ip addr add 10.2.0.1/24 dev eth1
ip netns exec b ip addr add 10.2.0.2/24 dev eth0
ip netns exec a ip route add default via 10.1.0.1
ip netns exec b ip route add default via 10.2.0.1
ip netns exec a ping -c 1 -W 1 10.2.0.2
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec a ping -c 1 -W 1 10.2.0.2
ip netns exec a ping -c 1 -W 1 -t 1 10.2.0.2
ip netns exec a ping -c 1 -W 1 10.9.9.9
ip netns exec r ip route add unreachable 10.9.0.0/16
ip netns exec a ping -c 1 -W 1 10.9.9.9
ip netns exec r ip route add prohibit 10.8.0.0/16
# ip_error() and icmp_send() spend from one bucket per sender (1 s a token): after three errors
# in quick succession a fourth gets through only once time refills it, and how much time the
# real commands took varies with the machine's load, so let a second pass.
sleep 1
ip netns exec a ping -c 1 -W 1 10.8.1.1
ip netns exec a ip route get 10.2.0.2
ip netns exec r ip route get 10.2.0.2 from 10.1.0.2 iif eth0
# The router's entry for a went STALE (learnt from a's ARP request) and DELAY once used; after
# delay_first_probe_time (5 s) a unicast probe makes it REACHABLE. Wait that out on both sides.
sleep 6
ip netns exec r ip neigh
