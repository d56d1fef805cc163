# /proc/net/route, /proc/net/arp and /proc/net/dev of a namespace, as a script without `ip` reads
# them: the main table's routes (gateway, host, blackhole, unreachable, prohibit, metric, mtu,
# multipath: its first path; not table local's, nor broadcast ones), the ARP table after a ping
# and with a permanent entry, and each device's counters (in a namespace of its own: IPv6's own
# packets on a link that comes up are sent at times of their own).
ip netns add n1
ip netns add n2
ip netns add n3
ip -n n1 link add v0 address 02:00:00:00:00:01 type veth peer name v0 address 02:00:00:00:00:02 netns n2
ip -n n1 link set lo up
ip -n n1 link set v0 up
ip -n n2 link set v0 up
ip -n n1 addr add 10.1.0.1/24 dev v0
ip -n n2 addr add 10.1.0.2/24 dev v0
ip -n n1 route add default via 10.1.0.2
ip -n n1 route add 10.9.0.7/32 via 10.1.0.2 metric 5
ip -n n1 route add 10.8.0.0/16 dev v0 mtu 1400
ip -n n1 route add blackhole 10.7.0.0/16
ip -n n1 route add unreachable 10.6.0.0/16
ip -n n1 route add prohibit 10.5.0.0/24
ip -n n1 route add 10.4.0.0/16 nexthop via 10.1.0.2 nexthop via 10.1.0.3
ip -n n1 route add 10.3.0.0/16 via 10.1.0.2 table 100
ip netns exec n1 ping -c 1 -W 1 10.1.0.2 > /dev/null
ip netns exec n1 cat /proc/net/route
ip netns exec n1 cat /proc/net/arp
ip -n n2 neigh add 10.1.0.9 lladdr 02:00:00:00:00:09 dev v0 nud permanent
ip -n n2 neigh del 10.1.0.1 dev v0
ip netns exec n2 cat /proc/net/arp
ip -n n3 link set lo up
ip -n n3 link add va type veth peer name vb
ip netns exec n3 ping -c 2 -i 0.2 -W 1 127.0.0.1 > /dev/null
ip netns exec n3 cat /proc/net/dev
