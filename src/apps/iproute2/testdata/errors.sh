# Error texts and exit statuses of ip, bridge and brctl.
ip link add veth0 type veth peer name veth1
ip
ip -foo link
ip -n nosuch link
ip foo
ip li
ip link xyz
ip link set
ip link add
ip link add foo
ip link add foo type
ip link add foo type vlan id 5
ip link add veth0 type veth
ip link add veth5 type veth peer name veth1
ip link add veth1 type bridge
ip link add 12345678901234567 type bridge
ip link add vethX type veth peer
ip link add vethX type veth foo
ip link del
ip link del lo
ip link del nosuch
ip link set veth0 frob
ip link set nosuch up
ip link set veth0 mtu abc
ip link set veth0 mtu 99999
ip link set veth0 mtu 10
ip link set veth0 address 02:00:00:00:00
ip link set veth0 address zz
ip link set veth0 address 01:00:00:00:00:01
ip link set veth0 master nosuch
ip link set veth0 master veth1
ip link set veth0 name veth1
ip link set veth0 name 12345678901234567
ip link set veth0 netns nosuch
ip link set veth0 netns 12345
ip link set lo netns 1
ip link set veth0 txqueuelen -1
ip link show nosuch
ip link show dev
ip link show type
ip link show foo bar
ip link show master nosuch
ip link show master veth0
ip addr foo
ip addr add 10.0.0.300/24 dev veth0
ip addr add 10.0.0.3/33 dev veth0
ip addr add 10.0.0.3/24
ip addr add 10.0.0.3/24 dev nosuch
ip addr add 10.0.0.3/24 dev veth0 label foo
ip addr add 10.0.0.3/24 dev veth0 scope bogus
ip addr add 10.0.0.3/24 dev veth0
ip addr add 10.0.0.3/24 dev veth0
ip addr add 10.0.0.4/24 10.0.0.5/24 dev veth0
ip addr del 10.0.0.77/24 dev veth0
ip addr del 10.0.0.3/25 dev veth0
ip addr show nosuch
ip addr flush
ip route foo
ip route add 10.0.0.300/24 dev veth0
ip route add 10.7.0.0/33 dev veth0
ip route add 10.7.0.0/24 dev nosuch
ip route add 10.7.0.0/24 via 10.99.0.1
ip route add 10.7.0.0/24 via 10.99.0.1 dev veth0
ip route add 10.7.0.0/24 dev veth0 proto bogus
ip route add 10.7.0.0/24 dev veth0 table bogus
ip route add 10.7.0.0/24 dev veth0 scope bogus
ip route add 10.7.0.0/24 dev veth0 metric x
ip route add bogus 10.7.0.0/24 dev veth0
ip route add 10.0.0.0/24 dev veth0
ip route del 10.9.0.0/24
ip route get 10.99.0.1
ip route flush
ip route show table bogus
ip route show proto bogus
ip route show type bogus
ip route show dev nosuch
ip neigh foo
ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev nosuch
ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09
ip neigh del 10.0.0.77 dev veth0
ip neigh show dev nosuch
ip netns foo
ip netns add ns1
ip netns add ns1
ip netns del nosuch
ip netns exec nosuch ip link
ip netns add a/b
bridge
bridge foo
bridge -foo
bridge fdb foo
bridge link foo
bridge fdb append 02:00:00:00:00:01 dev nosuch dst 192.168.1.1
bridge fdb add zz dev veth0
bridge fdb add 02:00:00:00:00:99
bridge fdb show dev nosuch
bridge fdb show br nosuch
bridge link set dev veth0 hairpin on
bridge link show dev nosuch
brctl
brctl foo
brctl show nosuch
brctl show veth0
brctl addif nosuch veth0
brctl addif br0
brctl delbr nosuch
brctl delbr veth0
brctl addbr veth0
