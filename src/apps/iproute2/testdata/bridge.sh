# Bridges: ports, address adoption, port states, bridge fdb/link, brctl.
ip link add br0 type bridge
ip link show br0
ip -d link show br0
brctl show
ip link set br0 up
ip link show br0
bridge fdb show
ip link add vethA type veth peer name vethB
ip link add vethC address 02:00:00:00:00:0c type veth peer name vethD
ip link set vethA master br0
ip link show br0
ip link show master br0
ip -d link show vethA
ip -j -d link show vethA
bridge link show
bridge fdb show
ip link set vethA up
ip link set vethB up
ip link show br0
bridge link
bridge -j link show
bridge -d link show
bridge fdb show br br0
ip link set vethC master br0
ip link show br0
brctl show
brctl show br0
bridge fdb show dev vethC
bridge fdb add 02:00:00:00:00:99 dev vethA master static
bridge fdb show brport vethA
bridge -j fdb show dev vethA
bridge fdb add 02:00:00:00:00:99 dev vethA master static
bridge fdb del 02:00:00:00:00:99 dev vethA master
bridge fdb del 02:00:00:00:00:99 dev vethA master
bridge fdb show dev vethA
ip link set br0 down
bridge fdb show
ip link show br0
bridge link
ip link set br0 up
bridge fdb show br br0
ip link set vethA nomaster
ip link set vethC nomaster
ip link show br0
ip link set br0 address 02:00:00:00:00:b0
ip link set vethA master br0
ip link show br0
bridge fdb show br br0
brctl show
brctl addbr br1
brctl addif br1 vethD
brctl addif br1 vethD
brctl addif br1 vethA
brctl show
brctl show br1
brctl delif br1 vethD
brctl delif br1 vethD
brctl delbr br1
brctl show br1
ip link del br0
ip link show vethA
brctl show
