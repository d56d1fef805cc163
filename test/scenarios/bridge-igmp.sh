# A bridge with multicast snooping joins 224.0.0.106 (all-snoopers) when it comes up and reports it
# as IGMPv3 does: two reports to 224.0.0.22 within about a second, from the bridge's own address
# (0.0.0.0 when it has none, even if another device has one: igmpv3_get_srcaddr), through OUTPUT and POSTROUTING, so conntrack keeps a generic entry
# and the counters count them (the nat chains only the first). A namespace behind a port sees them
# in PREROUTING and drops them there (it is not in 224.0.0.22): no INPUT, no conntrack entry.
# Other devices coming up send no IGMP (all-hosts is never reported). Found by the fuzzer (seed 251, twice).
ip link add br0 mtu 9000 type bridge
iptables -t nat -A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -j MASQUERADE
ip link set br0 up
sleep 1.5
conntrack -L
iptables -t nat -L POSTROUTING -n -v
ip netns add pod1
ip link add veth0 type veth peer name eth0 netns pod1
ip link add br1 type bridge
ip link set veth0 master br1
ip addr add 10.5.0.1/24 dev br1
ip netns exec pod1 ip addr add 10.5.0.2/24 dev eth0
ip netns exec pod1 ip link set eth0 up
ip link set veth0 up
iptables -A OUTPUT -j ACCEPT
iptables -t mangle -A POSTROUTING -j ACCEPT
iptables -t raw -A OUTPUT -j ACCEPT
iptables -t nat -A OUTPUT -j ACCEPT
ip netns exec pod1 iptables -t raw -A PREROUTING -j ACCEPT
ip netns exec pod1 iptables -t mangle -A PREROUTING -j ACCEPT
ip netns exec pod1 iptables -A INPUT -j ACCEPT
ip netns exec pod1 iptables -t nat -A POSTROUTING -j MASQUERADE
ip link set br1 up
sleep 1.5
conntrack -L
iptables -L OUTPUT -n -v
iptables -t raw -L OUTPUT -n -v
iptables -t mangle -L POSTROUTING -n -v
iptables -t nat -L OUTPUT -n -v
ip netns exec pod1 iptables -t raw -L PREROUTING -n -v
ip netns exec pod1 iptables -t mangle -L PREROUTING -n -v
ip netns exec pod1 iptables -L INPUT -n -v
ip netns exec pod1 conntrack -L
ip netns add pod3
ip netns exec pod3 iptables -t nat -A POSTROUTING -j MASQUERADE
ip netns exec pod3 ip link add v0 type veth peer name v1
ip netns exec pod3 ip addr add 10.6.0.1/24 dev v0
ip netns exec pod3 ip link set v0 up
ip netns exec pod3 ip link add br3 type bridge
ip netns exec pod3 ip link set br3 up
sleep 1.5
ip netns exec pod3 conntrack -L
ip netns add pod2
ip netns exec pod2 iptables -t nat -A POSTROUTING -j MASQUERADE
ip netns exec pod2 ip link add v0 type veth peer name v1
ip netns exec pod2 ip link set v0 up
ip netns exec pod2 ip link set v1 up
sleep 1.5
ip netns exec pod2 conntrack -L
