# A node with two pods on cni0 as the bridge CNI plugin builds it, seen from the host and the pods.
ip netns add pod-a
ip netns add pod-b
ip link add cni0 type bridge
ip link set cni0 address 0a:58:0a:f4:01:01
ip addr add 10.244.1.1/24 dev cni0
ip link set cni0 up
ip link add veth-a type veth peer name tmp-a
ip link set tmp-a netns pod-a name eth0
ip -n pod-a link
ip link set veth-a master cni0
ip link set veth-a up
ip -n pod-a link set eth0 up
ip -n pod-a link set lo up
ip -n pod-a addr add 10.244.1.2/24 dev eth0
ip -n pod-a route add default via 10.244.1.1
ip link add veth-b type veth peer name eth0 netns pod-b
ip link set veth-b master cni0
ip link set veth-b up
ip netns exec pod-b ip link set eth0 up
ip netns exec pod-b ip addr add 10.244.1.3/24 dev eth0
ip netns exec pod-b ip route add default via 10.244.1.1 dev eth0
ip link
ip -n pod-a -d link show eth0
ip -n pod-a addr
ip -n pod-a route
ip -n pod-b -j route
ip -n pod-a route get 10.244.1.3
ip -n pod-a route get 8.8.8.8
ip route get 10.244.1.3
ip -br addr
ip -br link show master cni0
brctl show cni0
bridge link show
bridge fdb show br cni0
ip netns list
ip netns list-id
ip -n pod-b netns list-id
ip netns del pod-a
ip link
bridge link
