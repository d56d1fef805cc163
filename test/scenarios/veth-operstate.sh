# An up veth whose peer is down: default_operstate() looks the peer's ifindex up in the veth's OWN
# namespace. Its own index or no device there: DOWN; a device there with carrier: DOWN; one
# without: LOWERLAYERDOWN. With the peer in another namespace that device is whatever has the
# number here. The state is kept until the veth's next event (fuzz seed 2104).
ip netns add pod1
ip link add a0 type veth peer name a1
ip link set a0 up
ip -o link show a0
ip link add c0 type veth peer name c1 netns pod1
ip link set c0 up
ip -o link show c0
ip link set a1 up
ip link set c0 down
ip link set c0 up
ip -o link show c0
ip link set a1 down
ip -o link show c0
ip link set c0 down
ip link set c0 up
ip -o link show c0
ip link add d0 type veth peer name d1 netns pod1
ip link set d0 up
ip -o link show d0
ip netns exec pod1 ip link set d1 up
ip -o link show d0
ip netns exec pod1 ip link set d1 down
ip -o link show d0
ip netns exec pod1 ip -o link show
ip link set a1 up
ip netns add pod2
ip link add g0 type veth peer name g1 netns pod2
ip link set g0 up
ip -o link show g0
ip netns exec pod2 ip link set g1 up
ip -o link show g0
ip link set a1 down
ip netns exec pod2 ip link set g1 down
ip -o link show g0
ip link set a0 down
ip link set a1 up
ip link set a0 up
ip link set a1 down
ip -o link show a0
