# The FIB: route types, proto, scope, src, metric, onlink, the local table, lookups.
# (This machine's kernel has no dummy driver, CONFIG_DUMMY is not set: veth pairs stand in.)
ip link add veth0 type veth peer name veth1
ip link set veth1 up
ip link set veth0 up
ip addr add 10.1.0.1/24 dev veth0
ip addr add 10.2.0.1/16 dev veth0
ip link add veth2 type veth peer name veth3
ip link set veth3 up
ip link set veth2 up
ip addr add 192.168.50.1/24 dev veth2
ip route
ip route add 10.10.0.0/16 via 10.1.0.254
ip route add 10.10.5.0/24 via 10.2.0.254
ip route add 10.20.0.0/16 via 10.1.0.254 dev veth0 metric 100
ip route add 10.20.0.0/16 via 10.2.0.254 dev veth0 metric 50
ip route add 10.30.0.0/24 dev veth0 proto static scope link
ip route add 10.31.0.0/24 dev veth2 proto boot
ip route add 10.32.0.0/24 via 192.168.50.254 proto bird
ip route add 10.33.0.0/24 via 10.1.0.254 src 10.2.0.1
ip route add 172.16.0.0/16 via 192.168.99.1 dev veth2 onlink
ip route add blackhole 10.244.5.0/26 proto bird
ip route add unreachable 10.50.0.0/16
ip route add prohibit 10.51.0.0/16
ip route add default via 10.1.0.254
ip route add default via 192.168.50.254 metric 200
ip route show
ip route show table local
ip route get 10.10.5.7
ip route get 10.10.9.9
ip route get 10.20.1.1
ip route get 10.33.0.9
ip route get 10.30.0.5
ip route get 172.16.3.4
ip route get 8.8.8.8
ip route get 10.1.0.1
ip route get 192.168.50.255
ip route get 10.244.5.1
ip route get 10.50.1.1
ip route get 10.51.1.1
ip route get 10.20.1.1 from 10.2.0.1
ip route replace 10.30.0.0/24 via 10.2.0.254
ip route replace 10.40.0.0/24 dev veth2
ip route show 10.30.0.0/24
ip route show 10.40.0.0/24
ip route del 10.10.5.0/24
ip route get 10.10.5.7
ip route del 10.20.0.0/16 via 10.2.0.254 dev veth0 metric 50
ip route get 10.20.1.1
ip route show proto static
ip route show proto bird
ip route show dev veth2
ip route show type blackhole
ip route show scope link
ip route list 10.20.0.0/16
ip -j route
ip -j route show table local
ip -d route
ip -d route show table local
ip -j -d route show 10.20.0.0/16
ip -4 route show table all
ip route add 10.60.0.0/24 dev veth0 table local
ip route show table local
ip route flush dev veth2
ip route
ip route flush proto bird
ip route
ip route flush table main
ip route
ip route show table local
