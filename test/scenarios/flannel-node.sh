# One node as flanneld (vxlan backend, kube subnet manager) leaves it: flannel.1 created in one
# request with its MTU and VtepMAC (netlink LinkAdd), the lease's network address as /32 (no
# broadcast), then for each of two peers, in flannel's order, a PERMANENT neighbour (NeighSet),
# an FDB entry `self` (NeighSet in AF_BRIDGE: replace) and the onlink route (RouteReplace);
# then one peer removed again (neighbour, FDB entry, route). Seed 000's node commands read it.
ip netns add node
ip netns add wire
ip link add eth0 netns node type veth peer name eth0 netns wire
ip netns exec node ip link set lo up
ip netns exec node ip link set eth0 up
ip netns exec wire ip link set eth0 up
ip netns exec node ip addr add 172.18.0.3/16 dev eth0
ip netns exec node ip route add default via 172.18.0.1
ip netns exec node ip link add flannel.1 mtu 1450 address 4e:a2:54:b0:de:48 type vxlan id 1 local 172.18.0.3 dev eth0 nolearning
ip netns exec node ip addr add 10.244.1.0/32 dev flannel.1
ip netns exec node ip link set flannel.1 up
ip netns exec node ip neigh replace 10.244.0.0 lladdr 92:10:0c:4a:cf:c8 dev flannel.1 nud permanent
ip netns exec node bridge fdb replace 92:10:0c:4a:cf:c8 dev flannel.1 dst 172.18.0.2 self permanent
ip netns exec node ip route replace 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink
ip netns exec node ip neigh replace 10.244.2.0 lladdr 16:67:a6:ee:44:5c dev flannel.1 nud permanent
ip netns exec node bridge fdb replace 16:67:a6:ee:44:5c dev flannel.1 dst 172.18.0.4 self permanent
ip netns exec node ip route replace 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink
ip netns exec node ip -d link show flannel.1
ip netns exec node ip -d addr show flannel.1
ip netns exec node ip route
ip netns exec node ip neigh show dev flannel.1
ip netns exec node bridge fdb show dev flannel.1
ip netns exec node ip -j route show dev flannel.1
ip netns exec node bridge -j fdb show dev flannel.1
ip netns exec node ip route get 10.244.2.7
ip netns exec node ip neigh replace 10.244.2.0 lladdr 16:67:a6:ee:44:5c dev flannel.1 nud permanent
ip netns exec node bridge fdb replace 16:67:a6:ee:44:5c dev flannel.1 dst 172.18.0.4 self permanent
ip netns exec node ip route replace 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink
ip netns exec node bridge fdb show dev flannel.1
ip netns exec node ip neigh del 10.244.2.0 dev flannel.1
ip netns exec node bridge fdb del 16:67:a6:ee:44:5c dev flannel.1 dst 172.18.0.4 self
ip netns exec node ip route del 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink
ip netns exec node ip route
ip netns exec node ip neigh show dev flannel.1
ip netns exec node bridge fdb show dev flannel.1
