# Two namespaces joined by a bridge br0 in the host (seed 003: "Bridge").
# The host-side veth ends get fixed MACs: a bridge without an address of its own takes
# the lowest MAC among its ports, so random port MACs would make br0's MAC a coin toss.
ip netns add ns1
ip netns add ns2
ip link add br0 type bridge
ip link add veth1 address 02:00:00:00:01:01 type veth peer name eth0 netns ns1
ip link add veth2 address 02:00:00:00:01:02 type veth peer name eth0 netns ns2
ip link set veth1 master br0
ip link set veth2 master br0
ip link set br0 up
ip link set veth1 up
ip link set veth2 up
ip addr add 172.18.0.1/24 dev br0
ip netns exec ns1 ip link set lo up
ip netns exec ns1 ip link set eth0 up
ip netns exec ns1 ip addr add 172.18.0.2/24 dev eth0
ip netns exec ns2 ip link set lo up
ip netns exec ns2 ip link set eth0 up
ip netns exec ns2 ip addr add 172.18.0.3/24 dev eth0
ip link
ip netns exec ns1 ip link
ip addr show br0
ip netns exec ns1 ip addr show eth0
brctl show
brctl show br0
bridge link show
bridge link
ip -br link
ip netns exec ns1 ping -c 1 172.18.0.3
ip netns exec ns2 ping -c 1 172.18.0.2
ip netns exec ns1 ping -c 1 172.18.0.1
ip netns exec ns1 ip neigh
ip netns exec ns2 ip neigh
ip neigh
bridge fdb show br br0
bridge fdb show
bridge -j fdb show br br0
bridge -j link show
ip netns exec ns1 ip route add default via 172.18.0.1
ip netns exec ns1 ip route
ip route
