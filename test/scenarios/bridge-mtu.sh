# A bridge's MTU follows its ports (br_mtu_auto_adjust): the smallest port's, 1500 without ports,
# also when the bridge was made with an MTU; once set with `ip link set BR mtu N` it stays.
ip link add br0 mtu 9000 type bridge
ip -o link show br0
ip link add a0 mtu 1400 address 02:00:00:00:00:0a type veth peer name a1
ip link add b0 mtu 1300 address 02:00:00:00:00:0b type veth peer name b1
ip link set a0 master br0
ip -o link show br0
ip link set b0 master br0
ip -o link show br0
ip link set b0 mtu 2000
ip -o link show br0
ip link set b0 nomaster
ip link set a0 nomaster
ip -o link show br0
ip link add br1 type bridge
ip link set br1 mtu 9000
ip link set a0 master br1
ip -o link show br1
ip link set a0 mtu 1200
ip -o link show br1
