# ip addr: add/replace/change/del/flush, scopes, labels, broadcast, secondaries, listing forms.
ip link add veth0 type veth peer name veth1
ip link set veth1 up
ip link set veth0 up
ip addr add 10.0.0.1/24 dev veth0
ip addr add 10.0.0.2/24 brd + dev veth0
ip addr add 10.0.0.3/24 dev veth0 label veth0:a
ip addr add 10.1.0.1/31 brd + dev veth0
ip addr add 10.2.0.1/30 broadcast - dev veth0
ip addr add 127.1.0.1/8 dev veth0
ip addr add 10.3.0.1/16 dev veth0 noprefixroute
ip addr add 10.4.0.1/24 dev veth0 metric 50
ip addr show dev veth0
ip -j addr show dev veth0
ip -j -p -4 addr show dev veth0
ip -o addr show dev veth0
ip -o -4 addr
ip -br addr show dev veth0
ip -j -br addr
ip route
ip route show table local
ip addr show veth0 to 10.0.0.0/24
ip addr show veth0 label 'veth0:*'
ip addr show up
ip addr show type veth
ip addr show veth0 permanent
ip addr show veth0 dynamic
ip addr replace 10.0.0.2/24 dev veth0
ip addr change 10.0.0.9/24 dev veth0
ip -4 addr show veth0
ip addr del 10.0.0.1/24 dev veth0
ip -4 addr show veth0
ip route
ip addr flush dev veth0 to 10.0.0.0/8
ip -4 addr show veth0
ip addr flush dev veth0
ip addr show veth0
ip addr
ip link set veth0 down
ip link set veth0 up
ip addr show veth0
ip -6 addr
ip -br -6 addr
