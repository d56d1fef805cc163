# Which gateway a route may have (fib_check_nh_v4_gw): one behind a route of scope link or host
# through the given device, found in the route's own table unless main, else through the rules
# as any lookup (table local first): not a broadcast address, not behind another gateway, not
# behind a blackhole rule. Found while checking multipath routes' paths.
ip link add d1 type veth peer name p1
ip link set p1 up
ip link set d1 up
ip addr add 10.1.0.1/24 dev d1
ip route add 10.60.0.0/24 dev d1 table 100
ip route add 10.61.0.0/24 via 10.60.0.5 table 100
ip route add 10.62.0.0/24 via 10.60.0.5
ip route add 10.63.0.0/24 via 10.1.0.255
ip route add 10.64.0.0/24 via 10.1.0.7
ip route add 10.65.0.0/24 via 10.64.0.1
ip route add 10.66.0.0/24 nexthop via 10.60.0.5 nexthop via 10.1.0.2
ip route add 10.66.0.0/24 table 100 nexthop via 10.60.0.5 nexthop via 10.1.0.2
ip route add 10.67.0.0/24 via 10.1.0.0
ip rule add to 10.70.0.0/16 table 100
ip route add 10.70.0.0/24 dev d1 table 100
ip route add 10.71.0.0/24 via 10.70.0.9
ip route add 10.72.0.0/24 via 10.70.0.9 table 200
ip rule add to 10.1.0.0/24 blackhole priority 10
ip route add 10.73.0.0/24 via 10.1.0.7
ip -4 route show table all type unicast
ip route add 10.74.0.0/24 via 10.60.0.5 dev d1 table 100 metric 5
ip route add 10.75.0.0/24 via 10.60.0.5 dev p1 table 100
ip -4 route show table 100
