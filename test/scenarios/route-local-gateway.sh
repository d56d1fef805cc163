# A gateway that is one of our own addresses: fib_check_nh_v4_gw() finds an RTN_LOCAL route and
# accepts it with the next hop's scope host, so the route does not use its gateway (rt_uses_gateway
# is 0): ip route get prints no `via`, the destination is on link. Found by the fuzzer (seed 2236).
ip netns add ns0
ip -n ns0 link add veth1 type veth peer name eth1
ip -n ns0 link set veth1 up
ip -n ns0 link set eth1 up
ip -n ns0 addr add 10.2.2.126/32 dev veth1
ip -n ns0 addr add 10.2.3.2/24 dev eth1
ip -n ns0 route add default via 10.2.2.126
ip -n ns0 route add 10.50.0.0/16 via 10.2.2.126 dev veth1 metric 5
ip -n ns0 route add 10.60.0.0/16 via 10.2.3.2 dev eth1
ip -n ns0 route add 10.70.0.0/16 via 10.2.3.2 dev veth1
ip -n ns0 route
ip -n ns0 route get 10.96.0.1
ip -n ns0 route get 10.50.1.1
ip -n ns0 route get 10.60.1.1
ip -n ns0 -j route get 10.96.0.1
ip -n ns0 route get 10.2.2.126
ip -n ns0 route get 10.96.0.1 iif eth1 from 10.2.3.9
