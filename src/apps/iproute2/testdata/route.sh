# ip route beyond the shared scenario: errors, tables, linkdown, get forms, flush selectors.
ip link add veth0 type veth peer name veth1
ip link set veth0 up
ip addr add 10.1.0.1/24 dev veth0
ip route
ip route show table local
ip link set veth1 up
ip route
ip route add 10.5.0.0/24 via 10.1.0.2
ip route add 10.5.0.1/24 via 10.1.0.2
ip route add 10.6.0.0/24 via 10.1.0.2 src 10.9.9.9
ip route add 10.6.0.0/24 via 10.1.0.1
ip route add 10.6.0.0/24 dev nosuch
ip route add 10.6.0.0/24
ip route add 10.7.0.0/24 dev veth0 table 100
ip route add 10.7.0.0/24 via 10.1.0.3 table 100 metric 5
ip route add local 10.8.0.1 dev veth0
ip route add blackhole 10.9.0.0/16 table 100
ip route show table 100
ip -4 route show table all
ip -j route show table 100
ip -d route show table 100
ip route show table local
ip route append 10.5.0.0/24 via 10.1.0.3
ip route prepend 10.5.0.0/24 via 10.1.0.4
ip route change 10.55.0.0/24 via 10.1.0.4
ip route change 10.5.0.0/24 via 10.1.0.4
ip route
ip route show via 10.1.0.4
ip route show src 10.1.0.1
ip route show root 10.0.0.0/8
ip route show match 10.5.0.7
ip route show exact 10.5.0.0/24
ip route show metric 5 table 100
ip route add 10.10.0.0/16 dev veth0 mtu 1400 proto static
ip route show 10.10.0.0/16
ip -j route show 10.10.0.0/16
ip route get 10.10.1.1
ip route get 10.5.0.9 oif veth0
ip route get 10.5.0.9 from 10.1.0.1
ip route get 10.5.0.9 from 10.1.0.99
ip route get 10.8.0.1
ip route get 10.1.0.255
ip -j route get 10.1.0.255
ip -j route get 10.5.0.9 from 10.1.0.1
ip route get 10.1.0.77 iif veth0
ip route get 10.1.0.77 from 10.1.0.55 iif veth0
ip route get 10.1.0.1 from 10.1.0.55 iif veth0
ip route get 10.5.0.0/24
ip route get
ip route del 10.5.0.0/24 via 10.1.0.99
ip route del 10.5.0.0/24 via 10.1.0.4
ip route
ip route del 10.7.0.0/24 table 100 metric 5
ip route show table 100
ip route flush table 100
ip route show table 100
ip link set veth1 down
ip route
ip route show table local
ip route add 10.11.0.0/24 dev veth0
ip route add 10.12.0.0/24 via 10.1.0.2
ip route
ip link set veth0 down
ip route
ip route add 10.13.0.0/24 dev veth0
ip route add 10.13.0.0/24 via 10.1.0.2 dev veth0 onlink
ip rule
ip -j rule
ip rule show
