# onlink next hops (flannel host-gw, Calico's 169.254.1.1): the device must be up and the
# gateway plain unicast to table local. Found by the fuzzer (seeds 1 and 7): a pod whose default
# route names its own address as the onlink gateway.
ip netns add pod0
ip link add veth0 netns pod0 type veth peer name eth0 netns pod0
ip -n pod0 link set veth0 up
ip -n pod0 link set eth0 up
ip -n pod0 addr add 10.2.1.2/30 brd + dev veth0
ip -n pod0 route add default via 10.2.1.2 dev eth0 onlink
ip -n pod0 route add 10.50.0.0/24 via 10.2.1.3 dev eth0 onlink
ip -n pod0 route add 10.50.0.0/24 via 224.0.0.5 dev eth0 onlink
ip -n pod0 route add 10.50.0.0/24 via 255.255.255.255 dev eth0 onlink
ip -n pod0 route add 10.50.0.0/24 via 0.0.0.0 dev eth0 onlink
ip -n pod0 route add 10.50.0.0/24 via 10.2.1.2 onlink
ip -n pod0 route add 10.50.0.0/24 via 10.2.1.2 dev eth0 onlink scope link
ip -n pod0 link set lo up
ip -n pod0 route add 10.50.0.0/24 via 127.0.0.5 dev eth0 onlink
ip -n pod0 link set eth0 down
ip -n pod0 route add 10.50.0.0/24 via 10.2.1.2 dev eth0 onlink
ip -n pod0 route add 10.50.0.0/24 via 169.254.1.1 dev eth0 onlink
ip -n pod0 link set eth0 up
ip -n pod0 route add 10.50.0.0/24 via 169.254.1.1 dev eth0 onlink
ip -n pod0 route add 10.51.0.0/24 via 10.2.1.0 dev eth0 onlink
ip -n pod0 route add default via 10.2.1.1 dev eth0 onlink
ip -n pod0 route
ip -n pod0 route get 10.50.0.9
