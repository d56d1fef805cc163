# CONNMARK, CT --notrack and REDIRECT on real traffic to a router: the first packet of each
# tracked echo connection gets a mark saved into the connection, the later ones get it restored
# (and -m connmark sees it); ICMP from 10.0.1.2 and the replies to it are left untracked in the
# raw table (no conntrack entry, ctstate UNTRACKED); TCP to port 80 anywhere is redirected to
# the router's own server on 8080, and the router's own traffic to port 81 to 127.0.0.1:8080,
# with a connection mark set on the way out. TCP counters are left out: the emulated
# http.server segments its answer differently (see README).
ip netns add client
ip link add c0 type veth peer name eth0 netns client
ip link set c0 up
ip link set lo up
ip addr add 10.0.1.1/24 dev c0
ip netns exec client ip link set lo up
ip netns exec client ip link set eth0 up
ip netns exec client ip addr add 10.0.1.2/24 dev eth0
ip netns exec client ip addr add 10.0.1.3/24 dev eth0
ip netns exec client ip route add default via 10.0.1.1
python3 -m http.server 8080 > /dev/null 2>&1 &
sleep 2
sysctl -w net.ipv4.ip_forward=1
iptables -t raw -A PREROUTING -s 10.0.1.2/32 -p icmp -j CT --notrack
iptables -t raw -A OUTPUT -d 10.0.1.2/32 -p icmp -j NOTRACK
iptables -t mangle -A PREROUTING -p icmp -j CONNMARK --restore-mark
iptables -t mangle -A PREROUTING -p icmp -m mark --mark 0x0 -j MARK --set-mark 0x20
iptables -t mangle -A PREROUTING -p icmp -j CONNMARK --save-mark --mask 0xff
iptables -t mangle -A INPUT -p icmp -m connmark --mark 0x20/0xff
iptables -t mangle -A INPUT -p icmp -m connmark ! --mark 0x20/0xff
iptables -t mangle -A INPUT -p icmp -m conntrack --ctstate UNTRACKED
iptables -t mangle -A INPUT -p icmp -m state --state UNTRACKED
iptables -t mangle -A OUTPUT -p tcp -j CONNMARK --set-mark 0x7/0xf
iptables -t nat -A PREROUTING -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 8080
iptables -t nat -A OUTPUT -p tcp -m tcp --dport 81 -j REDIRECT --to-ports 8080
ip netns exec client ping -c 2 -i 0.2 10.0.1.1
ip netns exec client ping -c 2 -i 0.2 -I 10.0.1.3 10.0.1.1
ip netns exec client curl -s --local-port 40070 -o /dev/null -w '%{http_code}\n' http://10.9.9.9/
curl -s --local-port 40071 -o /dev/null -w '%{http_code}\n' http://10.0.1.2:81/
conntrack -L -p tcp
conntrack -L -p icmp
iptables -t mangle -L PREROUTING -n -v
iptables -t mangle -L INPUT -n -v
iptables -t mangle -S OUTPUT
iptables -t nat -L -n -v
iptables-save -t raw -c
