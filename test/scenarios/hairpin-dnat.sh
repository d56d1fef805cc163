# A pod reaching its own ClusterIP (kube-proxy's hairpin case): the DNAT in PREROUTING on the
# bridge path (br_netfilter) sends the packet back out of the port it came in by, which the
# bridge allows only with hairpin mode on; the SNAT kube-proxy adds for it makes the reply come
# back through the host. Hairpin off: no answer. Hairpin on: the echo reply and the page. The
# bridged packets pass FORWARD as bridged (physdev), their TTL untouched.
ip netns add pa
ip link add cni0 type bridge
ip link set cni0 up
ip addr add 10.244.0.1/24 dev cni0
ip link add veth-a type veth peer name eth0 netns pa
ip link set veth-a master cni0
ip link set veth-a up
ip netns exec pa ip link set lo up
ip netns exec pa ip link set eth0 up
ip netns exec pa ip addr add 10.244.0.2/24 dev eth0
ip netns exec pa ip route add default via 10.244.0.1
ip netns exec pa python3 -m http.server 8080 --bind 10.244.0.2 > /dev/null 2>&1 &
sleep 2
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.0.2:8080
iptables -t nat -A PREROUTING -d 10.96.0.11/32 -p icmp -j DNAT --to-destination 10.244.0.2
iptables -t nat -A POSTROUTING -s 10.244.0.2/32 -d 10.244.0.2/32 -j MASQUERADE
iptables -A FORWARD -m physdev --physdev-is-bridged -j ACCEPT
bridge link show dev veth-a
ip netns exec pa ping -c 1 -W 1 10.96.0.11
ip netns exec pa curl -s -m 2 --local-port 40060 -o /dev/null -w '%{http_code}\n' http://10.96.0.10/
bridge link set dev veth-a hairpin on
bridge -d link show dev veth-a
ip netns exec pa ping -c 1 -W 1 10.96.0.11
iptables -L FORWARD -n -v
ip netns exec pa curl -s -m 2 --local-port 40061 -o /dev/null -w '%{http_code}\n' http://10.96.0.10/
conntrack -L -p tcp
iptables -t nat -L -n -v
