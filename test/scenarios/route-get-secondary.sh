# Traffic to a local secondary address goes from the primary one: the local route's prefsrc is its
# address's primary (fib_add_ifaddr), which ip route get shows as src. Found by the fuzzer (seeds 2750, 2757).
ip netns add pod0
ip link add veth0 type veth peer name eth0 netns pod0
ip netns exec pod0 ip addr add 10.1.1.2/8 brd + dev eth0
ip netns exec pod0 ip addr add 10.1.1.4/8 dev eth0
ip -n pod0 route show table local
ip -n pod0 route get 10.1.1.4
ip -n pod0 route get 10.1.1.2
ip -n pod0 link set lo up
ip netns exec pod0 ping -c 1 -W 1 10.1.1.4
ip -n pod0 addr del 10.1.1.2/8 dev eth0
ip -n pod0 route show table local
ip -n pod0 route get 10.1.1.4
