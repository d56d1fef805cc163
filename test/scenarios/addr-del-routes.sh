# Deleting an address: once it is gone from the namespace, the main table's routes with it as
# their source go too (fib_sync_down_addr; other tables keep theirs); when it was the device's last
# IPv4 address, every route through the device goes, in every table, and its neighbours, PERMANENT
# ones too (fib_disable_ip, arp_ifdown). Found by the fuzzer (seed 2389).
ip netns add n
ip -n n link add v0 type veth peer name v1
ip -n n link set v0 up
ip -n n link set v1 up
ip -n n addr add 10.2.0.2/20 dev v0
ip -n n addr add 10.3.0.1/24 dev v1
ip -n n route add 10.2.0.2/32 via 10.2.0.3 dev v0
ip -n n route add 10.9.0.0/16 via 10.2.0.5 table 100
ip -n n route add 10.8.0.0/16 dev v0 scope link
ip -n n route add 10.7.0.0/16 via 10.3.0.9 src 10.2.0.2
ip -n n route add blackhole 10.6.0.0/16
ip -n n neigh add 10.2.0.9 lladdr 02:00:00:00:00:09 dev v0 nud permanent
ip -n n neigh add 10.2.0.8 lladdr 02:00:00:00:00:08 dev v0 nud stale
ip -n n -4 route show table all
ip -n n addr del 10.2.0.2/20 dev v0
ip -n n -4 route show table all
ip -n n neigh show
ip -n n addr add 10.4.0.1/24 dev v1
ip -n n addr add 10.4.0.2/24 dev v1
ip -n n route add 10.5.0.0/16 via 10.4.0.7 src 10.4.0.2
ip -n n route add 10.5.0.0/16 via 10.4.0.7 src 10.4.0.2 table 100
ip -n n addr del 10.4.0.2/24 dev v1
ip -n n -4 route show table all
