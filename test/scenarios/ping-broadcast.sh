# ping to a subnet's broadcast address without -b: its connect() probe gets EACCES (a broadcast
# route without SO_BROADCAST), which iputils reads as a broadcast destination. Fuzz seed 2445.
ip netns add host0
ip link add veth0 type veth peer name eth0 netns host0
ip addr add 10.1.0.2/30 dev veth0
ip netns exec host0 ip link set eth0 up
ip link set veth0 up
ip route get 10.1.0.3
ping -c 1 -W 1 10.1.0.3
ping -c 1 -W 1 255.255.255.255
ping -c 1 -W 1 -I veth0 10.1.0.3
