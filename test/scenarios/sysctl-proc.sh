# sysctl and /proc/sys/net: ip_forward, proxy_arp, per-interface rp_filter/arp_ignore/arp_announce.
# (This machine's kernel has no dummy driver, CONFIG_DUMMY is not set: veth pairs stand in.)
sysctl net.ipv4.ip_forward
cat /proc/sys/net/ipv4/ip_forward
sysctl -w net.ipv4.ip_forward=1
sysctl -n net.ipv4.ip_forward
cat /proc/sys/net/ipv4/ip_forward
sysctl net.ipv4.conf.all.forwarding
sysctl net.ipv4.ip_forward=0
sysctl net.ipv4.ip_forward
echo 1 > /proc/sys/net/ipv4/conf/all/proxy_arp
cat /proc/sys/net/ipv4/conf/all/proxy_arp
sysctl net.ipv4.conf.all.proxy_arp
ip link add veth0 type veth peer name veth1
ip link set veth1 up
sysctl net.ipv4.conf.veth0.rp_filter
sysctl net.ipv4.conf.veth0.proxy_arp
sysctl net.ipv4.conf.veth0.arp_ignore
sysctl net.ipv4.conf.veth0.arp_announce
sysctl net.ipv4.conf.veth0.forwarding
sysctl -w net.ipv4.conf.veth0.rp_filter=2
sysctl -w net.ipv4.conf.veth0.arp_ignore=1 net.ipv4.conf.veth0.arp_announce=2
sysctl -w net.ipv4.conf.veth0.proxy_arp=1
cat /proc/sys/net/ipv4/conf/veth0/rp_filter
cat /proc/sys/net/ipv4/conf/veth0/arp_ignore
cat /proc/sys/net/ipv4/conf/veth0/arp_announce
cat /proc/sys/net/ipv4/conf/veth0/proxy_arp
sysctl net.ipv4.conf.veth0.rp_filter net.ipv4.conf.veth0.arp_ignore
sysctl -n net.ipv4.conf.veth0.arp_announce
sysctl net/ipv4/conf/veth0/proxy_arp
echo 0 > /proc/sys/net/ipv4/conf/veth0/proxy_arp
sysctl net.ipv4.conf.veth0.proxy_arp
sysctl net.ipv4.conf.default.rp_filter
sysctl net.ipv4.conf.all.rp_filter
sysctl -w net.ipv4.conf.all.rp_filter=1
sysctl net.ipv4.conf.all.rp_filter
sysctl net.ipv4.no_such_key
sysctl -n net.ipv4.no_such_key
sysctl -w net.ipv4.no_such_key=1
sysctl -q net.ipv4.no_such_key
cat /proc/sys/net/ipv4/no_such_key
sysctl net.ipv4.conf.eth9.rp_filter
sysctl -w net.ipv4.ip_forward=2
sysctl -w net.ipv4.ip_forward=abc
sysctl net.ipv4.ip_forward
ip netns add other
ip netns exec other sysctl net.ipv4.ip_forward
ip netns exec other cat /proc/sys/net/ipv4/conf/all/proxy_arp
