# Addresses: scopes, secondaries, labels, broadcast, delete and flush.
# (This machine's kernel has no dummy driver, CONFIG_DUMMY is not set: veth pairs stand in.)
ip link add veth0 type veth peer name veth1
ip link set veth1 up
ip link set veth0 up
ip addr add 10.0.0.1/24 dev veth0
ip addr add 10.0.0.2/24 dev veth0
ip addr add 10.0.0.3/24 dev veth0 label veth0:1
ip addr add 10.9.0.1/16 broadcast + dev veth0
ip addr add 10.8.0.1/24 brd 10.8.0.255 dev veth0
ip addr add 10.5.5.5 dev veth0
ip addr add 192.168.7.1/32 dev veth0 scope host
ip addr add 169.254.3.3/16 dev veth0 scope link
ip addr add 172.20.0.1/24 dev veth0 scope global
ip addr show dev veth0
ip addr show veth0
ip -4 addr
ip -6 addr
ip -br addr
ip -br -4 addr show dev veth0
ip -j addr show dev veth0
ip -4 -j addr
ip addr show label veth0:1
ip addr show dev veth0 scope host
ip addr show dev veth0 scope link
ip -4 addr show dev veth0 secondary
ip -4 addr show dev veth0 primary
ip route show table local
ip route
ip addr del 10.0.0.3/24 dev veth0
ip addr del 10.0.0.1/24 dev veth0
ip -4 addr show dev veth0
ip route
sysctl -w net.ipv4.conf.veth0.promote_secondaries=1
ip addr add 10.0.0.1/24 dev veth0
ip addr add 10.0.0.2/24 dev veth0
ip addr del 10.0.0.1/24 dev veth0
ip -4 addr show dev veth0
ip addr del 10.5.5.5 dev veth0
ip addr flush dev veth0 scope host
ip addr show dev veth0
ip addr flush dev veth0
ip addr show dev veth0
ip -4 addr
ip route show table local
ip link add sc0 type veth peer name sc1
ip addr add 10.3.2.2/24 dev sc0
ip addr add 10.3.2.4/24 dev sc0 scope link
ip addr add 10.3.2.4/25 dev sc0 scope link
ip addr add 10.3.2.5/24 dev sc0 scope global
ip -4 -o addr show dev sc0
