# ping (iputils) outputs: success, unreachable host on a connected subnet, no route, local.
ip netns add peer
ip link add veth0 type veth peer name eth0 netns peer
ip link set veth0 up
ip addr add 10.0.0.1/24 dev veth0
ip netns exec peer ip link set lo up
ip netns exec peer ip link set eth0 up
ip netns exec peer ip addr add 10.0.0.2/24 dev eth0
ping -c 3 -i 0.2 10.0.0.2
ping -c 1 -W 1 10.0.0.99
ping -c 1 -W 5 10.0.0.98
ping -c 1 192.0.2.1
ping -c 1 10.0.0.1
ping -c 1 127.0.0.1
ping -c 2 -i 0.2 -q 10.0.0.2
ping -c 1 -s 1000 10.0.0.2
ip netns exec peer ping -c 1 -W 1 192.0.2.1
ip neigh show
