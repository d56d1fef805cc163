# An address that is another device's subnet broadcast: its local route comes, but the routes made
# with it as their source (its broadcast, its prefix route) are refused as fib_valid_prefsrc()
# refuses them, since table local answers `broadcast` for it first. Found by the fuzzer (seed 2425).
ip netns add pod0
ip -n pod0 link add veth1 type veth peer name eth1
ip -n pod0 link set veth1 up
ip -n pod0 link set eth1 up
ip -n pod0 addr add 10.2.0.2/30 dev veth1 scope link
ip -n pod0 addr add 10.2.0.3/30 brd + dev eth1
ip -n pod0 -d route
ip -n pod0 route show table local
ip -n pod0 route get 10.2.0.1
ip -n pod0 addr add 10.3.0.5/24 dev veth1
ip -n pod0 addr add 10.3.0.255/24 dev eth1
ip -n pod0 -d route
ip -n pod0 route show table local
