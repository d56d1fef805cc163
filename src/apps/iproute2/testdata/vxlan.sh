# VXLAN devices: options, details, the forwarding table, as a bridge port.
ip link add veth0 type veth peer name veth1
ip addr add 192.168.1.1/24 dev veth0
ip link set veth0 up
ip link add vx0 type vxlan id 7
ip -d link show vx0
ip link add vx1 type vxlan id 8 dstport 0 ttl 10 tos 0x10 srcport 1000 2000 noudpcsum ageing 100 nolearning
ip -d link show vx1
ip -j -d link show vx1
ip link add vx2 type vxlan vni 9 local 192.168.1.1 dev veth0 dstport 4789 learning
ip link show vx2
ip -d link show vx2
ip -j -d link show vx2
ip link add vx3 type vxlan id 16777216
ip link add vx3 type vxlan
ip link add vx4 type vxlan id 4 dev nosuch
ip link add vx4 type vxlan id 4 local 10.0.0.300
ip link add vx5 type vxlan id 7 dstport 8472
ip link add vx6 type vxlan id 6 dstport 8472 remote 10.9.9.9
ip -d link show vx6
bridge fdb show dev vx6
bridge fdb append 00:00:00:00:00:00 dev vx6 dst 10.9.9.8
bridge fdb append 00:00:00:00:00:00 dev vx6 dst 10.9.9.7
bridge fdb add 02:00:00:00:00:01 dev vx6 dst 10.9.9.1
bridge fdb add 02:00:00:00:00:02 dev vx6 dst 10.9.9.2
bridge fdb add 02:00:00:00:00:03 dev vx6 dst 10.9.9.3
bridge fdb add 02:00:00:00:00:02 dev vx6 dst 10.9.9.4
bridge fdb replace 02:00:00:00:00:02 dev vx6 dst 10.9.9.4
bridge fdb show dev vx6
bridge -j fdb show dev vx6
bridge fdb del 00:00:00:00:00:00 dev vx6 dst 10.9.9.8
bridge fdb del 02:00:00:00:00:01 dev vx6
bridge fdb del 02:00:00:00:00:01 dev vx6
bridge fdb show
ip link set vx2 up
ip link show vx2
ip addr show vx2
ip link add br0 type bridge
ip link set vx6 master br0
bridge fdb show dev vx6
ip link set br0 up
ip link set vx6 up
bridge link show
bridge fdb show br br0
ip link del veth0
ip link show vx2
ip -br link
