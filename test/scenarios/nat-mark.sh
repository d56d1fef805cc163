# A MARK set in a nat chain marks the packet itself, as kube-proxy's masquerade needs:
# KUBE-MARK-MASQ in nat PREROUTING (forwarded) and nat OUTPUT (the node's own traffic), read by
# -m mark in filter FORWARD (whose policy is DROP), filter OUTPUT and nat POSTROUTING, whose
# MASQUERADE --random-fully also remaps the ICMP echo identifier. The server has no route back
# to the client: only masqueraded traffic can be answered.
ip netns add client
ip netns add server
ip link add c0 type veth peer name eth0 netns client
ip link add s0 type veth peer name eth0 netns server
ip link set c0 up
ip link set s0 up
ip addr add 10.0.1.1/24 dev c0
ip addr add 10.0.2.1/24 dev s0
ip route add default via 10.0.2.2
ip netns exec client ip link set eth0 up
ip netns exec client ip addr add 10.0.1.2/24 dev eth0
ip netns exec client ip route add default via 10.0.1.1
ip netns exec server ip link set eth0 up
ip netns exec server ip addr add 10.0.2.2/24 dev eth0
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -N KUBE-MARK-MASQ
iptables -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
iptables -t nat -A PREROUTING -d 10.96.0.1/32 -j KUBE-MARK-MASQ
iptables -t nat -A PREROUTING -d 10.96.0.1/32 -j DNAT --to-destination 10.0.2.2
iptables -t nat -A OUTPUT -d 10.96.0.1/32 -j KUBE-MARK-MASQ
iptables -t nat -A OUTPUT -d 10.96.0.1/32 -j DNAT --to-destination 10.0.2.2
iptables -t nat -A POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE --random-fully
iptables -P FORWARD DROP
iptables -A FORWARD -m mark --mark 0x4000/0x4000 -j ACCEPT
iptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A OUTPUT -m mark --mark 0x4000/0x4000
ip netns exec client ping -c 2 -i 0.2 -W 1 10.96.0.1
ping -c 1 -W 1 10.96.0.1
ip netns exec client ping -c 1 -W 1 10.0.2.2
iptables -L -n -v
iptables -t nat -L -n -v
iptables-save -c
conntrack -L -p icmp
