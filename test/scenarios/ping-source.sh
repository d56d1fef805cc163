# ping -I: an IPv4 address (what inet_pton accepts) is the source address the socket binds to,
# anything else a device (SO_BINDTODEVICE); the header names both. A source that is not local,
# a device that does not exist, and a send without a route after -I ADDRESS (no connect probe).
ip netns add peer
ip link add v0 type veth peer name eth0 netns peer
ip link set v0 up
ip link set lo up
ip addr add 10.1.0.1/24 dev v0
ip addr add 192.168.7.1/32 dev lo
ip netns exec peer ip link set eth0 up
ip netns exec peer ip addr add 10.1.0.2/24 dev eth0
ip netns exec peer ip route add 192.168.7.1/32 via 10.1.0.1
ping -c 1 -I 192.168.7.1 10.1.0.2
ping -c 1 -I192.168.7.1 10.1.0.2
ping -c 1 -I 10.1.0.1 127.0.0.1
ping -c 1 -I v0 10.1.0.2
ping -c 1 -I 0.0.0.0 10.1.0.2
ping -c 1 -I 10.9.9.9 10.1.0.2
ping -c 1 -I 10.1.0 10.1.0.2
ping -c 1 -I nosuch0 10.1.0.2
ping -c 2 -i 0.2 -I 10.1.0.1 -W 1 10.5.5.5
ip netns exec peer ping -c 1 -I 10.1.0.2 192.168.7.1
