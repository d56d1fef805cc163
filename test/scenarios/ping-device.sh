# ping -I DEVICE (SO_BINDTODEVICE): the route lookup only takes routes through that device, local
# ones included; without one the destination is taken to be on link there, and a source the device
# does not hold is warned about. A local address pinged through a veth leaves by the veth and comes
# back as a martian (no reply); through its own device or lo it answers.
ip netns add peer
ip link add v0 type veth peer name eth0 netns peer
ip link add v1 type veth peer name v1p
ip link set lo up
ip link set v0 up
ip link set v1 up
ip link set v1p up
ip addr add 10.1.0.1/24 dev v0
ip addr add 10.2.0.3/24 dev v1 label v1:1
ip netns exec peer ip link set eth0 up
ip netns exec peer ip addr add 10.1.0.2/24 dev eth0
ping -c 1 -W 1 -I v0 10.1.0.2
ping -c 1 -W 1 -I v1p 10.2.0.3
ping -c 1 -W 1 -I v1 10.2.0.3
ping -c 1 -W 1 -I v1p 10.1.0.2
ip netns exec peer ip link add dangling type veth peer name dangling2
ip netns exec peer ip link set dangling up
ip netns exec peer ping -c 1 -W 1 -I dangling 10.1.0.1
ip route get 10.2.0.3 oif v1p
ip route get 10.2.0.3 oif v1
ip netns add ns0
ip -n ns0 route add prohibit default
ip netns exec ns0 ping -c 1 -W 1 10.96.0.6
ip -n ns0 route add unreachable 10.96.0.0/16
ip netns exec ns0 ping -c 1 -W 1 10.96.0.6
