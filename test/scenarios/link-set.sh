# ip link set: mtu, address, name, up/down, master/nomaster; link types and details.
# (This machine's kernel has no dummy driver, CONFIG_DUMMY is not set: veth pairs stand in.)
ip link add veth0 type veth peer name veth1
ip link show veth0
ip link show veth1
ip link set veth0 mtu 9000
ip link set veth0 address 02:11:22:33:44:55
ip link set veth0 up
ip link show veth0
ip link show veth1
ip link set veth1 up
ip link show veth0
ip link set veth0 down
ip link show veth1
ip link set veth0 name eth9
ip link show eth9
ip link show veth1
ip link set dev eth9 up
ip link set dev eth9 mtu 1500
ip link add br0 type bridge
ip link show br0
ip link set eth9 master br0
ip link show eth9
ip link show br0
ip link show master br0
ip -d link show br0
ip -d link show eth9
ip link set br0 up
ip link show br0
ip link set br0 mtu 1400
ip link show master br0
ip link set eth9 nomaster
ip link show eth9
ip link show br0
ip link show type veth
ip link show type bridge
ip link set veth1 down
ip link show up
ip -d link show veth1
ip -o link show eth9
ip -br link
ip -j link
ip -j link show eth9
ip -j -d link show veth1
ip link add vxlan0 type vxlan id 42 dstport 4789 local 10.0.0.1 dev eth9
ip link set vxlan0 address 02:00:00:00:00:42
ip link show vxlan0
ip -d link show vxlan0
ip -j -d link show vxlan0
ip link set vxlan0 up
ip link show vxlan0
ip link del eth9
ip link show type veth
ip link
ip link del br0
ip link del vxlan0
ip link
# The CNI bridge plugin's order of arguments: mtu before type.
ip link add cni0 mtu 1450 type bridge
ip link show cni0
# A veth made in another namespace: the peer stays where `ip` runs unless it names its own netns.
ip netns add other
ip link add vA netns other type veth peer name vB
ip link show vB
ip -n other link show vA
ip link add vC netns other type veth peer name vD netns other
ip -n other link show vD
ip link show vD
