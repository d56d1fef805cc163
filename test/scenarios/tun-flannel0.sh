# A TUN device as flannel's udp backend configures flannel0 (the lease's network address /32, MTU
# eth0's - 28, the flannel network routed through it with scope universe), made persistent with
# ip tuntap since no process holds it here: NO-CARRIER, link/none, qdisc pfifo_fast once up, qlen
# 500, tun type tun pi off vnet_hdr off persist on, addrgenmode eui64 until addrconf ran on it.
ip tuntap add dev flannel0 mode tun
ip link show flannel0
ip -d link show flannel0
ip tuntap show
ip addr add 10.244.1.0/32 dev flannel0
ip link set flannel0 mtu 1472
ip link set flannel0 up
ip route add 10.244.0.0/16 dev flannel0 scope global
ip -d link show flannel0
ip addr show flannel0
ip route
ip -j link show flannel0
ip tuntap add dev flannel0 mode tun || true
ip tuntap del dev flannel0 mode tun
ip link show flannel0 || true
ip route
