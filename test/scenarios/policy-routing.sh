# Policy routing on the packet path: a mark set in mangle OUTPUT re-routes a ping through
# another uplink (ip_route_me_harder), a source rule picks a table for ping -I ADDRESS, an
# iif rule steers forwarded packets, rule actions answer ip route get, and a ping bound to a
# device with no route through it assumes the destination is on link.
ip netns add r1
ip netns add r2
ip netns add pod
ip link add a0 type veth peer name a1 netns r1
ip link add b0 type veth peer name b1 netns r2
ip link add p0 type veth peer name p1 netns pod
ip link set a0 up
ip link set b0 up
ip link set p0 up
ip addr add 10.1.0.1/24 dev a0
ip addr add 10.2.0.1/24 dev b0
ip addr add 10.3.0.1/24 dev p0
ip -n r1 link set lo up
ip -n r1 link set a1 up
ip -n r1 addr add 10.1.0.2/24 dev a1
ip -n r1 addr add 192.168.9.9/32 dev lo
ip -n r1 route add default via 10.1.0.1
ip -n r2 link set lo up
ip -n r2 link set b1 up
ip -n r2 addr add 10.2.0.2/24 dev b1
ip -n r2 addr add 192.168.9.9/32 dev lo
ip -n r2 route add default via 10.2.0.1
ip -n pod link set p1 up
ip -n pod addr add 10.3.0.2/24 dev p1
ip -n pod route add default via 10.3.0.1
ip netns exec r1 iptables -A INPUT -p icmp
ip netns exec r2 iptables -A INPUT -p icmp
ip route add default via 10.1.0.2
ip route add default via 10.2.0.2 table 100
ip route add 192.168.7.0/24 via 10.2.0.2 table 100
ip route add throw 192.168.8.0/24 table 100
ip rule add fwmark 0x1 table 100 pref 100
ip route get 192.168.9.9
ip route get 192.168.9.9 mark 1
ip route get 192.168.9.9 mark 0x10
ip route get 192.168.8.1 mark 0x1
ip route get 192.168.7.1 mark 0x1
ping -c 1 -W 1 192.168.9.9
iptables -t mangle -A OUTPUT -p icmp -j MARK --set-mark 0x1
ping -c 1 -W 1 192.168.9.9
iptables -t mangle -F OUTPUT
ip rule add from 10.2.0.1 table 100 pref 101
ip route get 192.168.9.9 from 10.2.0.1
ping -c 1 -W 1 -I 10.2.0.1 192.168.9.9
ip netns exec r1 iptables -L INPUT -n -v -x
ip netns exec r2 iptables -L INPUT -n -v -x
sysctl -w net.ipv4.ip_forward=1
ip rule add iif p0 table 100 pref 102
ip route get 192.168.9.9 from 10.3.0.2 iif p0
ip route get 192.168.9.9 from 10.3.0.2 iif p0 mark 0x1
ip netns exec pod ping -c 1 -W 1 192.168.9.9
ip netns exec r1 iptables -L INPUT -n -v -x
ip netns exec r2 iptables -L INPUT -n -v -x
ip rule add to 10.7.0.0/16 unreachable pref 103
ip rule add to 10.6.0.0/16 prohibit pref 104
ip rule add to 10.5.0.0/16 blackhole pref 105
ip rule add to 10.4.0.0/16 table 55 pref 106
ip rule add to 10.8.0.0/16 goto 32767 pref 107
ip route get 10.7.1.1
ip route get 10.6.1.1
ip route get 10.5.1.1
ip route get 10.4.1.1
ip route get 10.8.1.1
ip route get 10.7.1.1 from 10.3.0.2 iif p0
ip route get 10.6.1.1 from 10.3.0.2 iif p0
ip netns exec pod ping -c 1 -W 1 10.7.1.1
ip netns exec pod ping -c 1 -W 1 10.6.1.1
ip rule add table 100 suppress_prefixlength 0 pref 50
ip route get 192.168.9.9 mark 0x1
ip route get 192.168.7.1
ip route del default
ip route get 192.168.9.9 oif b0
ping -c 1 -W 1 -I b0 192.168.9.9
ip rule
