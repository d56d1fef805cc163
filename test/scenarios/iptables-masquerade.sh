# A pod's traffic leaving its node: forwarded by the host and masqueraded to the host's address,
# as flannel's FLANNEL-POSTRTG rules do; the outside sees the node, conntrack keeps the binding.
ip netns add pod
ip netns add ext
ip link add veth-pod type veth peer name eth0 netns pod
ip link add eth1 type veth peer name eth0 netns ext
ip link set veth-pod up
ip link set eth1 up
ip addr add 10.244.1.1/24 dev veth-pod
ip addr add 192.168.10.2/24 dev eth1
ip netns exec pod ip link set lo up
ip netns exec pod ip link set eth0 up
ip netns exec pod ip addr add 10.244.1.5/24 dev eth0
ip netns exec pod ip route add default via 10.244.1.1
ip netns exec ext ip link set lo up
ip netns exec ext ip link set eth0 up
ip netns exec ext ip addr add 192.168.10.1/24 dev eth0
ip netns exec ext python3 -m http.server 80 --bind 192.168.10.1 > /dev/null 2>&1 &
sleep 1
sysctl -w net.ipv4.ip_forward=1
ip netns exec pod ping -c 1 -W 1 192.168.10.1
iptables -t nat -N FLANNEL-POSTRTG
iptables -t nat -A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
iptables -t nat -A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN
iptables -t nat -A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
iptables -A FORWARD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
iptables -A FORWARD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
ip netns exec pod ping -c 1 -W 1 192.168.10.1
ip netns exec ext tcpdump -i eth0 -nn -c 2 icmp & sleep 1; ip netns exec pod ping -c 1 -W 1 192.168.10.1 > /dev/null; wait
iptables -L FORWARD -n -v
ip netns exec pod curl -s --local-port 40020 -o /dev/null -w '%{http_code}\n' http://192.168.10.1/
conntrack -L -p icmp
iptables-save -t nat
