# Calico's trick: a pod with a /32 address and a default route via 169.254.1.1, which nothing owns;
# the host answers ARP for it with proxy_arp on the cali* veth (it routes 169.254.1.1 elsewhere,
# by its default route), and routes the pod's /32 back.
ip netns add pod
ip netns add far
ip link add cali1a2b3c4d5e type veth peer name eth0 netns pod
ip link add eth1 type veth peer name eth0 netns far
ip link set cali1a2b3c4d5e up
ip link set eth1 up
ip addr add 192.168.10.2/24 dev eth1
ip route add 10.244.1.5/32 dev cali1a2b3c4d5e scope link
ip route add default via 192.168.10.1
ip netns exec pod ip link set lo up
ip netns exec pod ip link set eth0 up
ip netns exec pod ip addr add 10.244.1.5/32 dev eth0
ip netns exec pod ip route add 169.254.1.1 dev eth0 scope link
ip netns exec pod ip route add default via 169.254.1.1 dev eth0
ip netns exec far ip link set lo up
ip netns exec far ip link set eth0 up
ip netns exec far ip addr add 192.168.10.1/24 dev eth0
ip netns exec far ip route add 10.244.0.0/16 via 192.168.10.2
sysctl -w net.ipv4.ip_forward=1
ip netns exec pod ping -c 1 -W 4 192.168.10.1
ip netns exec pod ip neigh
sysctl -w net.ipv4.conf.cali1a2b3c4d5e.proxy_arp=1
ip netns exec pod ip neigh flush dev eth0
ip netns exec pod ping -c 1 -W 1 192.168.10.1
ip netns exec pod ip neigh show 169.254.1.1
ip netns exec pod ping -c 1 -W 1 192.168.10.2
ip route get 10.244.1.5
ip netns exec far ping -c 1 -W 1 10.244.1.5
