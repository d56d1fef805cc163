# Namespaces: names, ids, veths across namespaces, moving devices, ip -n.
ip netns add alpha
ip netns add beta
ip netns list
ip -j netns list
ip link add veth1 netns alpha type veth peer name veth2 netns 1
ip netns list
ip netns list-id
ip link
ip -n alpha link
ip -j -n alpha link
ip -n alpha -br link
ip link add vb type veth peer name eth0 netns beta
ip link
ip netns list
ip -n beta link show eth0
ip -j -n beta link show eth0
ip -d -n beta link show eth0
ip link add vm type veth peer name vmp
ip link set vmp netns alpha
ip link
ip -n alpha link
ip link set vm netns beta
ip -n beta link
ip -n alpha link show vmp
ip netns exec alpha ip netns list
ip netns exec alpha ip netns identify
ip netns identify
ip netns exec beta ip link set lo up
ip netns exec beta ip -br link
ip netns add gamma
ip netns list
ip netns del gamma
ip netns list
ip -n alpha link set vmp netns beta
ip -n beta link
ip netns del beta
ip link
ip -n alpha link
ip netns list
ip netns exec beta ip link
ip -n beta link
ip netns add alpha
ip netns del beta
ip netns
