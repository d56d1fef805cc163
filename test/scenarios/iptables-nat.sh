# iptables NAT with conntrack: a ClusterIP-style DNAT for connections from the host to a server
# namespace, MASQUERADE on the way out, and what conntrack and the counters show afterwards.
ip netns add srv
ip link add veth0 type veth peer name eth0 netns srv
ip link set veth0 up
ip addr add 10.0.0.1/24 dev veth0
ip netns exec srv ip link set lo up
ip netns exec srv ip link set eth0 up
ip netns exec srv ip addr add 10.0.0.2/24 dev eth0
ip addr add 10.96.0.10/32 dev lo
ip netns exec srv python3 -m http.server 8080 --bind 10.0.0.2 > /dev/null 2>&1 &
sleep 1
iptables -t nat -A OUTPUT -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080
iptables -t nat -A POSTROUTING -d 10.0.0.2/32 -j MASQUERADE
curl -s --local-port 40001 -o /dev/null -w '%{http_code}\n' http://10.96.0.10/
curl -s --local-port 40002 -o /dev/null -w '%{http_code}\n' http://10.96.0.10:81/
conntrack -L -p tcp
conntrack -L -p tcp --dport 80
iptables -t nat -S
iptables -t nat -L -n -v
iptables -t nat -L OUTPUT -n --line-numbers
iptables-save
conntrack -D -p tcp --sport 40001
conntrack -L
conntrack -F
conntrack -L
