# What the bridge CNI plugin does for two pods under flannel's delegate config (cni0, mtu 1450,
# hairpinMode, isDefaultGateway, host-local 10.244.1.0/24 with a route to 10.244.0.0/16), by hand:
# the bridge made and up, per pod a veth pair with the MTU on both ends (netlink's request) whose
# node end is enslaved with hairpin on, the pod's address with netlink's computed broadcast, its
# routes through the gateway, the gateway on cni0 and cni0's MAC set to itself (so it stays when
# the port it came from goes), ip_forward; then ipMasq's chain as go-iptables appends it (target
# before the comment match); then pod a's DEL (its eth0 deleted). The node's veth ends get fixed
# MACs so cni0's adopted address is not a coin toss. Last, promiscMode's flag on cni0 and off again.
# src/cni/bridge.ts must leave the same state.
ip netns add pod-a
ip netns add pod-b
ip link add cni0 mtu 1450 type bridge
ip link set cni0 up
ip link show cni0
ip link add veth1a2b3c4d mtu 1450 address 02:00:00:00:01:01 type veth peer name eth0 mtu 1450 netns pod-a
ip link set veth1a2b3c4d up
ip link set veth1a2b3c4d master cni0
bridge link set dev veth1a2b3c4d hairpin on
ip netns exec pod-a sysctl -w net.ipv4.conf.eth0.arp_notify=1
ip netns exec pod-a ip addr add 10.244.1.2/24 brd 10.244.1.255 dev eth0
ip netns exec pod-a ip link set eth0 up
ip netns exec pod-a ip route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip netns exec pod-a ip route add default via 10.244.1.1 dev eth0
ip addr add 10.244.1.1/24 brd 10.244.1.255 dev cni0
ip link set cni0 address 02:00:00:00:01:01
sysctl -w net.ipv4.ip_forward=1
ip link add veth5e6f7a8b mtu 1450 address 02:00:00:00:01:02 type veth peer name eth0 mtu 1450 netns pod-b
ip link set veth5e6f7a8b up
ip link set veth5e6f7a8b master cni0
bridge link set dev veth5e6f7a8b hairpin on
ip netns exec pod-b sysctl -w net.ipv4.conf.eth0.arp_notify=1
ip netns exec pod-b ip addr add 10.244.1.3/24 brd 10.244.1.255 dev eth0
ip netns exec pod-b ip link set eth0 up
ip netns exec pod-b ip route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip netns exec pod-b ip route add default via 10.244.1.1 dev eth0
ip link show cni0
ip addr show cni0
ip route
ip link show master cni0
bridge -d link show
bridge link show
brctl show cni0
ip netns exec pod-a ip addr show eth0
ip netns exec pod-a ip route
ip netns exec pod-a ping -c 1 -W 1 10.244.1.3
ip netns exec pod-a ping -c 1 -W 1 10.244.1.1
iptables -t nat -N CNI-e5cdf215392f6931bb77c3a4
iptables -t nat -A CNI-e5cdf215392f6931bb77c3a4 -d 10.244.1.2/24 -j ACCEPT -m comment --comment "name: \"cbr0\" id: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""
iptables -t nat -A CNI-e5cdf215392f6931bb77c3a4 ! -d 224.0.0.0/4 -j MASQUERADE -m comment --comment "name: \"cbr0\" id: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""
iptables -t nat -A POSTROUTING -s 10.244.1.2 -j CNI-e5cdf215392f6931bb77c3a4 -m comment --comment "name: \"cbr0\" id: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""
iptables -t nat -S
iptables -t nat -D POSTROUTING -s 10.244.1.2 -j CNI-e5cdf215392f6931bb77c3a4 -m comment --comment "name: \"cbr0\" id: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""
iptables -t nat -F CNI-e5cdf215392f6931bb77c3a4
iptables -t nat -X CNI-e5cdf215392f6931bb77c3a4
iptables -t nat -S
ip netns exec pod-a ip link del eth0
ip link show cni0
brctl show cni0
ip route
ip link set cni0 promisc on
ip link show cni0
ip -br link show cni0
ip link set cni0 promisc off
ip link show cni0
