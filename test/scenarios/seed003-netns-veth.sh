# Seed 003 walkthrough: a network namespace joined to the host by a veth pair.
ip netns add test-ns
ip netns list
ip link add veth1 netns test-ns type veth peer name veth2 netns 1
ip link list
ip netns exec test-ns ip link list
ip link set veth2 up
ip netns exec test-ns ip link set veth1 up
ip addr add 10.0.0.1/24 dev veth2
ip netns exec test-ns ip addr add 10.0.0.2/24 dev veth1
ip addr
ip netns exec test-ns ip addr
ip route
ip netns exec test-ns ip route
ping -c 2 10.0.0.2
ip netns exec test-ns ping -c 2 10.0.0.1
ip neigh
ip netns exec test-ns ip neigh
ip netns list
