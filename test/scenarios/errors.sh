# Error messages and exit statuses of the real tools.
ip link add veth0 type veth peer name veth1
ip link set veth1 up
ip link set veth0 up
ip addr add 10.0.0.1/24 dev veth0
ip foo
ip link frob
ip link set veth0 frob
ip link add foo0 type nosuchtype
ip addr add 10.0.0.300/24 dev veth0
ip addr add 10.0.0.3/33 dev veth0
ip route add 10.0.0.300/24 dev veth0
ip route add 10.7.0.0/33 dev veth0
ip link set nosuchdev up
ip link show nosuchdev
ip addr add 10.0.0.5/24 dev nosuchdev
ip addr show dev nosuchdev
ip route add 10.7.0.0/24 dev nosuchdev
ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev nosuchdev
ip link add veth0 type veth peer name veth1
ip link add veth5 type veth peer name veth1
ip link add veth1 type bridge
ip addr add 10.0.0.1/24 dev veth0
ip route add 10.0.0.0/24 dev veth0
ip route add 10.8.0.0/24 via 10.99.0.1
ip route add 10.8.0.0/24 via 10.99.0.1 dev veth0
ip route del 10.9.0.0/24
ip route get 10.99.0.1
ip neigh del 10.0.0.77 dev veth0
ip addr del 10.0.0.77/24 dev veth0
ip link del nosuchdev
ip link set veth0 master nosuchbr
ip link set veth0 mtu 99999
ip link set veth0 mtu 10
ip link set veth0 address 02:00:00:00:00
ip route flush
ip netns add ns1
ip netns add ns1
ip netns del nosuchns
ip netns exec nosuchns ip link
bridge fdb append 02:00:00:00:00:01 dev nosuchdev dst 192.168.1.1
bridge fdb show dev nosuchdev
sysctl net.ipv4.no_such_key
brctl show nosuchbr
brctl addif nosuchbr veth0
brctl delbr nosuchbr
nosuchcommand
