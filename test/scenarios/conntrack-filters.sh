# conntrack's filters on real NATed traffic, as kube-proxy uses them to clear stale entries
# (`-D -p udp --orig-dst IP`, `-D -p tcp --dport PORT --dst-nat IP`): NAT addresses (without an
# address conntrack-tools 1.4.7 lists every entry), reply tuples, marks, TCP states, status
# bits; entries made by hand with -I, and the errors of each.
ip netns add client
ip netns add server
ip link add c0 type veth peer name eth0 netns client
ip link add s0 type veth peer name eth0 netns server
ip link set c0 up
ip link set s0 up
ip addr add 10.0.1.1/24 dev c0
ip addr add 10.0.2.1/24 dev s0
ip netns exec client ip link set eth0 up
ip netns exec client ip addr add 10.0.1.2/24 dev eth0
ip netns exec client ip route add default via 10.0.1.1
ip netns exec server ip link set lo up
ip netns exec server ip link set eth0 up
ip netns exec server ip addr add 10.0.2.2/24 dev eth0
ip netns exec server python3 -m http.server 8080 > /dev/null 2>&1 &
sleep 2
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.2.2:8080
iptables -t nat -A PREROUTING -d 10.96.0.11/32 -p icmp -j DNAT --to-destination 10.0.2.2
iptables -t nat -A POSTROUTING -o s0 -j MASQUERADE
iptables -t mangle -A PREROUTING -p icmp -j CONNMARK --set-mark 0x11
ip netns exec client curl -s --local-port 40080 -o /dev/null -w '%{http_code}\n' http://10.96.0.10/
conntrack -L --dst-nat
conntrack -L --dst-nat 10.0.2.2
conntrack -L --src-nat 10.0.2.1
conntrack -L --any-nat 10.0.2.2
conntrack -L --orig-dst 10.96.0.10
conntrack -L --reply-src 10.0.2.2 -p icmp
conntrack -L -q 10.0.1.2
conntrack -L -p tcp --reply-port-src 8080
conntrack -L -m 16/0xf0
conntrack -L -p tcp --state TIME_WAIT
conntrack -L -u ASSURED
conntrack -L --dst-nat 1.2.3
conntrack -L --state TIME_WAIT
conntrack -D -p udp --orig-dst 10.96.0.10
conntrack -D -p tcp --dport 80 --dst-nat 10.0.2.2
conntrack -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state ESTABLISHED -t 100 -u ASSURED
conntrack -I -p udp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 50
conntrack -I -p udp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 50
conntrack -I -p udp -s 1.1.1.1 -d 2.2.2.2 --sport 3 --dport 4
conntrack -I -p udp -s 1.1.1.1 --sport 3 --dport 4 -t 5
conntrack -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 5 -t 100
conntrack -L -s 1.1.1.1
conntrack -D -s 1.1.1.1
conntrack -L
