# A router's ICMP errors for forwarded packets that meet an unreachable or prohibit route
# (a blackhole route is silent), also after a DNAT: the error belongs to the connection, so
# NAT translates it and the packet it quotes back (it comes from the address first asked), and
# a TCP connect to a Service whose endpoint is unreachable fails at once. The connections die
# unconfirmed. Each kind of traffic leaves from its own address: errors are rate limited per host.
ip netns add client
ip link add c0 type veth peer name eth0 netns client
ip link set c0 up
ip addr add 10.0.1.1/24 dev c0
ip netns exec client ip link set lo up
ip netns exec client ip link set eth0 up
ip netns exec client ip addr add 10.0.1.2/24 dev eth0
ip netns exec client ip addr add 10.0.1.3/24 dev eth0
ip netns exec client ip addr add 10.0.1.4/24 dev eth0
ip netns exec client ip route add default via 10.0.1.1
ip netns exec client ip route add unreachable 10.0.6.0/24
sysctl -w net.ipv4.ip_forward=1
ip route add unreachable 10.0.3.0/24
ip route add prohibit 10.0.4.0/24
ip route add blackhole 10.0.5.0/24
iptables -t nat -A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.3.5:8080
iptables -t nat -A PREROUTING -d 10.96.0.11/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.4.5:8080
iptables -t nat -A PREROUTING -d 10.96.0.12/32 -p icmp -j DNAT --to-destination 10.0.3.6
ip netns exec client ping -c 1 -I 10.0.1.3 10.0.3.7
ip netns exec client ping -c 1 -I 10.0.1.3 10.0.4.7
ip netns exec client ping -c 1 -W 1 -I 10.0.1.3 10.0.5.7
ip netns exec client curl -s -m 2 http://10.96.0.10/
ip netns exec client curl -s -m 2 http://10.96.0.11/
ip netns exec client curl -sS -m 2 http://10.0.6.1/
ip netns exec client ping -c 1 -I 10.0.1.4 10.96.0.12
tcpdump -i c0 -nn -v -c 2 icmp & sleep 1; ip netns exec client ping -c 1 -I 10.0.1.4 10.96.0.12 > /dev/null || true; wait
conntrack -L
iptables -t nat -L PREROUTING -n -v
