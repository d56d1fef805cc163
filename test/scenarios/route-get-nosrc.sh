# `ip route get` prints `src` only when the kernel could pick a source address: in a namespace
# without IPv4 addresses the answer has none (rt_fill_info puts RTA_PREFSRC only for a non-zero
# saddr). Found by the fuzzer (seeds 900, 1232, 1620).
ip netns add node0
ip link add veth0 type veth peer name eth0 netns node0
ip netns exec node0 ip link set eth0 up
ip netns exec node0 ip route add 10.1.1.1/32 dev eth0 scope link
ip -n node0 route get 10.1.1.1
ip -n node0 route add default dev eth0 scope link
ip -n node0 route get 172.16.3.4
ip -n node0 route add 10.2.0.0/16 via 169.254.1.3 dev eth0 onlink
ip -n node0 route get 10.2.3.4
ip -n node0 addr add 10.9.0.5/24 dev eth0
ip -n node0 route get 10.2.3.4
ip -n node0 route get 172.16.3.4
