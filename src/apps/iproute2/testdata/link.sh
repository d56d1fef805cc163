# ip link: veth pairs in one namespace and across namespaces, attributes, the listing forms.
ip link add vethA type veth peer name vethB
ip link add name vethC mtu 1400 txqueuelen 500 address 02:aa:bb:cc:dd:ee type veth peer name vethD address 02:aa:bb:cc:dd:ef mtu 1300
ip link add vethE type veth
ip link
ip link show vethC
ip link show dev vethD
ip link set vethA up
ip link show vethA
ip link show vethB
ip -br link
ip link set vethB up
ip -o link show vethA
ip -j link show vethA
ip -j -p link show vethB
ip -d link show vethA
ip -j -d link show vethA
ip link set vethC txqueuelen 100
ip link set vethC qlen 200
ip link set dev vethC mtu 1600 up
ip link show vethC
ip link set vethC down
ip link set vethC name vethCC
ip link show vethCC
ip link show vethD
ip link set vethCC address 02:00:00:00:00:cc
ip link show vethCC
ip link show up
ip link show type veth
ip link show type bridge
ip link l
ip l s vethA down
ip link show vethA
ip link del vethE
ip link del dev vethCC
ip link
ip link add vethE type veth peer name veth0
ip -br link show vethE
ip -s link show lo
ip -j -s link show lo
ip -s addr show lo
ip -j -s -s addr show lo
ip -d link show lo
ip link add vethF type veth peer name vethG
ip link set vethF up
ip link set vethG up
ip link set vethF down
ip link show vethF
ip link show vethG
ip -j link show vethF
