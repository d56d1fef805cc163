# ECMP routes (`nexthop via G dev D weight W ...`): how ip route parses and prints them, what the
# kernel refuses, how del matches, and paths going dead with their device. Which path a flow takes
# follows a hash keyed at random on each boot, so only choices that do not depend on it are here:
# `ip route get ... oif DEV`, and a route with a single live path. A route is itself linkdown when made
# with no path having carrier, or when one carrier loss leaves no path alive, until a path gets it back.
ip link add d1 type veth peer name p1
ip link add d2 type veth peer name p2
ip link add d3 type veth peer name p3
ip link set p1 up
ip link set p2 up
ip link set d1 up
ip link set d2 up
ip link set d3 up
ip addr add 10.1.0.1/24 dev d1
ip addr add 10.2.0.1/24 dev d2
ip addr add 10.3.0.1/24 dev d3
ip route add 10.9.0.0/24 nexthop via 10.1.0.2 dev d1 weight 1 nexthop via 10.2.0.2 dev d2 weight 3
ip route add 10.8.0.0/24 nexthop via 10.1.0.2 dev d1 weight 5
ip route add 10.7.0.0/24 proto static metric 5 src 10.1.0.1 nexthop via 10.1.0.2 nexthop via 10.2.0.2 nexthop via 10.3.0.2
ip route add 10.6.0.0/24 nexthop dev d1 nexthop dev d1 nexthop via 10.2.0.2 weight 256
ip route add 10.5.0.0/24 onlink nexthop via 10.1.0.2 nexthop via 10.2.0.2
ip route add 10.4.0.0/24 nexthop via 10.1.0.1 nexthop via 0.0.0.0 dev d2 nexthop via 10.30.0.1 dev d3 onlink
ip route add 10.3.5.0/24 via 10.1.0.2 nexthop via 10.1.0.2 dev d1 nexthop via 10.2.0.2 dev d2
ip route add 10.3.6.0/24 table 100 nexthop via 10.1.0.2 nexthop via 10.2.0.2
ip route
ip -o route
ip -j route
ip -d route show 10.9.0.0/24
ip -d -j route show 10.7.0.0/24
ip route show table 100
ip route show table all 10.3.6.0/24
ip route show dev d2
ip route show via 10.2.0.2
ip route show proto static
ip route show scope global
ip route add 10.10.0.0/24 nexthop via 10.40.0.2 dev d1 nexthop via 10.2.0.2 dev d2
ip route add 10.10.0.0/24 nexthop via 10.1.0.2 dev zz nexthop via 10.2.0.2 dev d2
ip route add 10.10.0.0/24 dev zz nexthop via 10.1.0.2 dev d1
ip route add 10.10.0.0/24 dev d2 nexthop via 10.1.0.2 dev d1 nexthop via 10.2.0.2 dev d2
ip route add 10.10.0.0/24 via 10.2.0.2 nexthop via 10.1.0.2 dev d1 nexthop via 10.2.0.2 dev d2
ip route add 10.10.0.0/24 nexthop
ip route add 10.10.0.0/24 nexthop via 10.1.0.2 foo
ip route add 10.10.0.0/24 nexthop via 10.1.0.2 nexthop via 10.2.0.2 metric 7
ip route add 10.10.0.0/24 nexthop via 10.1.0.2 weight 0
ip route add 10.10.0.0/24 nexthop via 10.1.0.2 weight 257
ip route add 10.10.0.0/24 nexthop via 10.1.0.2 weight x
ip route add 10.10.0.0/24 nexthop via 10.1.0.2 weight
ip route add 10.10.0.0/24 nexthop via 10.1.0.300
ip route add 10.10.0.0/24 nexthop nexthop via 10.1.0.2
ip route add 10.10.0.0/24 nexthop via 10.1.0.2 dev d2
ip route add 10.10.0.0/24 nexthop via 10.1.0.2 nexthop via 10.1.0.3 onlink
ip route add 10.10.0.0/24 nexthop via 10.1.0.2 nexthop dev d3 onlink
ip route add 10.10.0.0/24 scope link nexthop via 10.1.0.2 nexthop via 10.2.0.2
ip route add 10.10.0.0/24 scope host nexthop dev d1 nexthop dev d2
ip route add 10.10.0.0/24 scope host nexthop via 10.1.0.2
ip route add blackhole 10.10.0.0/24 nexthop via 10.1.0.2 nexthop via 10.2.0.2
ip route add 10.10.0.0/24 src 10.9.9.9 nexthop via 10.1.0.2 nexthop via 10.2.0.2
ip route add 10.10.0.0/24 via 10.1.0.2 scope link
ip route add 10.10.0.0/24 dev d1 onlink
ip route add 10.10.0.0/24 dev d1 scope host
ip route show 10.10.0.0/24
ip route del 10.10.0.0/24
ip route add 10.9.0.0/24 nexthop via 10.1.0.2 dev d1 weight 1 nexthop via 10.2.0.2 dev d2 weight 3
ip route append 10.9.0.0/24 nexthop via 10.1.0.2 dev d1 weight 1 nexthop via 10.2.0.2 dev d2 weight 3
ip route append 10.9.0.0/24 nexthop via 10.1.0.2 dev d1 weight 2 nexthop via 10.2.0.2 dev d2 weight 3
ip route prepend 10.9.0.0/24 nexthop via 10.2.0.2 nexthop via 10.1.0.2
ip route show 10.9.0.0/24
ip route replace 10.9.0.0/24 nexthop via 10.3.0.2 nexthop via 10.1.0.2
ip route show 10.9.0.0/24
ip route del 10.9.0.0/24 nexthop via 10.3.0.2
ip route del 10.9.0.0/24 via 10.1.0.2
ip route del 10.9.0.0/24 dev d3
ip route del 10.9.0.0/24 nexthop via 10.1.0.2 dev d1 nexthop via 10.2.0.2 dev d3
ip route del 10.9.0.0/24 nexthop dev d1 nexthop dev d2 nexthop via 10.9.9.9
ip route show 10.9.0.0/24
ip route del 10.6.0.0/24 nexthop dev d1 nexthop dev d1
ip route del 10.6.0.0/24 nexthop dev d1 nexthop via 10.1.0.2 nexthop
ip route del 10.6.0.0/24 nexthop dev d1 nexthop dev d1 nexthop dev d2
ip route get 10.9.0.5 oif d3
ip route get 10.9.0.5 oif d1
ip route get 10.9.0.5 oif d2
ip route get 10.7.0.5 oif d3
ip route get 10.4.0.5 oif d3
ip route get 10.4.0.5 oif d2
ip route get fibmatch 10.9.0.5
ip -j route get fibmatch 10.7.0.5 oif d3
ip -d route get fibmatch 10.4.0.5
ip route get fibmatch 10.1.0.1
ip route get fibmatch 10.1.0.9
ip route get fibmatch 10.200.0.1 oif d1
ip link set p2 down
ip route
ip link set d2 down
ip route
ip route get 10.5.0.9
ip route get 10.5.0.9 oif d2
sysctl -w net.ipv4.ip_forward=1
ip route get 10.5.0.9 from 10.3.0.7 iif d3
sysctl -w net.ipv4.fib_multipath_hash_policy=1
ip route get 10.5.0.9 from 10.3.0.7 iif d3
ip route get 10.5.0.9 ipproto udp sport 1000 dport 53
ip route get 10.5.0.9 ipproto gre
ip route get 10.5.0.9 ipproto foo
ip route get 10.5.0.9 sp 70000
ip route get 10.5.0.9 dp x
ip route get 10.5.0.9 ipproto tcp sport 0x10 dport 010
ip -j route show 10.5.0.0/24
ip link set d1 down
ip route
ip link set d1 up
ip link set d2 up
ip route
ip route flush dev d3
ip route show 10.7.0.0/24
ip link del d3
ip route
ip route flush 10.3.5.0/24
ip route
ip link add e1 type veth peer name q1
ip link add e2 type veth peer name q2
ip link set e1 up
ip link set e2 up
ip addr add 10.11.0.1/24 dev e1
ip addr add 10.12.0.1/24 dev e2
ip route add 10.19.0.0/24 nexthop via 10.11.0.2 nexthop via 10.12.0.2
ip route add 10.18.0.0/24 nexthop via 10.11.0.2 nexthop via 10.11.0.3
ip route show root 10.16.0.0/12
ip link set q1 up
ip link set q2 up
ip route show root 10.16.0.0/12
ip link set q1 down
ip route show root 10.16.0.0/12
ip link set q2 down
ip -j route show root 10.16.0.0/12
ip link set e2 down
ip route show root 10.16.0.0/12
ip link set q1 up
ip route show root 10.16.0.0/12
ip link add f1 type veth peer name g1
ip addr add 10.21.0.1/24 dev f1
ip route add 10.22.0.0/24 via 10.21.0.1
ip route add 10.22.0.0/24 nexthop via 10.11.0.2 nexthop via 10.21.0.1 dev f1
