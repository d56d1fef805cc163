# Flannel's VXLAN backend by hand: two hosts (namespaces hostA, hostB) on an underlay, each
# with a pod behind cni0, joined by flannel.1 with static FDB and permanent neighbours.
# VTEP and bridge MACs are fixed so that the script is deterministic.
ip netns add hostA
ip netns add hostB
ip netns add podA
ip netns add podB
ip link add eth0 netns hostA type veth peer name eth0 netns hostB
ip netns exec hostA ip link set lo up
ip netns exec hostA ip link set eth0 up
ip netns exec hostA ip addr add 192.168.102.3/24 dev eth0
ip netns exec hostB ip link set lo up
ip netns exec hostB ip link set eth0 up
ip netns exec hostB ip addr add 192.168.102.4/24 dev eth0
ip netns exec hostA ip link add cni0 type bridge
ip netns exec hostA ip link set cni0 address 0a:58:0a:f4:01:01
ip netns exec hostA ip addr add 10.244.1.1/24 dev cni0
ip netns exec hostA ip link set cni0 up
ip link add veth1a netns hostA type veth peer name eth0 netns podA
ip netns exec hostA ip link set veth1a master cni0
ip netns exec hostA ip link set veth1a up
ip netns exec podA ip link set lo up
ip netns exec podA ip link set eth0 up
ip netns exec podA ip addr add 10.244.1.2/24 dev eth0
ip netns exec podA ip route add default via 10.244.1.1
ip netns exec hostB ip link add cni0 type bridge
ip netns exec hostB ip link set cni0 address 0a:58:0a:f4:02:01
ip netns exec hostB ip addr add 10.244.2.1/24 dev cni0
ip netns exec hostB ip link set cni0 up
ip link add veth2a netns hostB type veth peer name eth0 netns podB
ip netns exec hostB ip link set veth2a master cni0
ip netns exec hostB ip link set veth2a up
ip netns exec podB ip link set lo up
ip netns exec podB ip link set eth0 up
ip netns exec podB ip addr add 10.244.2.2/24 dev eth0
ip netns exec podB ip route add default via 10.244.2.1
ip netns exec hostA ip link add flannel.1 type vxlan id 1 local 192.168.102.3 dev eth0 dstport 8472 nolearning
ip netns exec hostA ip link set flannel.1 mtu 1450
ip netns exec hostA ip link set flannel.1 address 0e:a1:00:00:00:01
ip netns exec hostA ip addr add 10.244.1.0/32 dev flannel.1
ip netns exec hostA ip link set flannel.1 up
ip netns exec hostB ip link add flannel.1 type vxlan id 1 local 192.168.102.4 dev eth0 dstport 8472 nolearning
ip netns exec hostB ip link set flannel.1 mtu 1450
ip netns exec hostB ip link set flannel.1 address 0e:b2:00:00:00:02
ip netns exec hostB ip addr add 10.244.2.0/32 dev flannel.1
ip netns exec hostB ip link set flannel.1 up
ip netns exec hostA bridge fdb append 0e:b2:00:00:00:02 dev flannel.1 dst 192.168.102.4
ip netns exec hostA ip neigh replace 10.244.2.0 lladdr 0e:b2:00:00:00:02 dev flannel.1 nud permanent
ip netns exec hostA ip route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink
ip netns exec hostB bridge fdb append 0e:a1:00:00:00:01 dev flannel.1 dst 192.168.102.3
ip netns exec hostB ip neigh replace 10.244.1.0 lladdr 0e:a1:00:00:00:01 dev flannel.1 nud permanent
ip netns exec hostB ip route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink
ip netns exec hostA sysctl -w net.ipv4.ip_forward=1
ip netns exec hostB sysctl -w net.ipv4.ip_forward=1
ip netns exec podA ping -c 1 10.244.2.2
ip netns exec podB ping -c 1 10.244.1.2
ip netns exec hostA ip -d link show flannel.1
ip netns exec hostA ip -j -d link show flannel.1
ip netns exec hostA ip addr show flannel.1
ip netns exec hostA bridge fdb show dev flannel.1
ip netns exec hostA bridge -j fdb show dev flannel.1
ip netns exec hostA ip neigh show dev flannel.1
# hostA's entry for podA is DELAY for delay_first_probe_time (5 s) after podB's ping used it, then
# a probe makes it REACHABLE; a loaded machine may list it on either side of that, so wait it out.
sleep 6
ip netns exec hostA ip neigh
ip netns exec hostA ip route
ip netns exec hostB ip route
ip netns exec podA ip route
ip netns exec podA ip neigh
ip netns exec hostA brctl show
ip netns exec hostA bridge fdb show br cni0
ip netns exec hostA ip link
ip netns exec hostA tcpdump -i eth0 -nn -c 2 -w vxlan.pcap udp port 8472 & sleep 1; ip netns exec podA ping -c 1 10.244.2.2 > /dev/null; wait
tcpdump -nn -r vxlan.pcap
tcpdump -nn -e -r vxlan.pcap
tcpdump -nn -v -r vxlan.pcap
ip netns exec hostA tcpdump -i flannel.1 -nn -c 2 -w flannel.pcap icmp & sleep 1; ip netns exec podA ping -c 1 10.244.2.2 > /dev/null; wait
tcpdump -nn -e -r flannel.pcap
