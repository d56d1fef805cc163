# A new namespace has only table main: local appears with the first local route (lo up or an
# address), default and the others with a route added to them. Without a local table every
# onlink gateway reads as broadcast (Nexthop has invalid gateway). A device going down keeps its
# local routes. Found by the fuzzer (seed 77).
ip netns add node0
ip link add veth1 netns node0 type veth peer name eth1 netns node0
ip -n node0 route show table local
ip -n node0 route show table main
ip -n node0 route show table default
ip -n node0 link set eth1 up
ip -n node0 link set veth1 up
ip -n node0 route replace 192.168.0.0/26 via 169.254.1.2 dev eth1 onlink metric 100 proto boot
ip -n node0 route add 10.9.0.0/16 dev eth1 table default
ip -n node0 route show table default
ip -n node0 link set lo up
ip -n node0 route show table local
ip -n node0 route replace 192.168.0.0/26 via 169.254.1.2 dev eth1 onlink metric 100 proto boot
ip -n node0 route
ip -n node0 link set lo down
ip -n node0 route show table local
ip -n node0 addr add 10.5.0.1/24 dev eth1
ip -n node0 addr add 10.6.0.1/32 dev lo
ip -n node0 link set eth1 down
ip -n node0 route show table local
ip -n node0 route get 10.5.0.1
ip -n node0 link set eth1 up
ip -n node0 route show table local
