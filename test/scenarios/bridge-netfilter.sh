# Bridged traffic meets iptables (br_netfilter, bridge-nf-call-iptables=1 by default): a pod reaches
# a ClusterIP whose endpoint is another pod on the same bridge. The request is routed by the host
# (DNAT); the reply is bridged pod to pod, and only conntrack on the bridge path can undo the DNAT.
ip netns add pa
ip netns add pb
ip link add cni0 type bridge
ip link set cni0 up
ip addr add 10.244.0.1/24 dev cni0
ip link add veth-a type veth peer name eth0 netns pa
ip link add veth-b type veth peer name eth0 netns pb
ip link set veth-a master cni0
ip link set veth-b master cni0
ip link set veth-a up
ip link set veth-b up
ip netns exec pa ip link set lo up
ip netns exec pa ip link set eth0 up
ip netns exec pa ip addr add 10.244.0.2/24 dev eth0
ip netns exec pa ip route add default via 10.244.0.1
ip netns exec pb ip link set lo up
ip netns exec pb ip link set eth0 up
ip netns exec pb ip addr add 10.244.0.3/24 dev eth0
ip netns exec pb python3 -m http.server 8080 --bind 10.244.0.3 > /dev/null 2>&1 &
sleep 2
sysctl net.bridge.bridge-nf-call-iptables
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.0.3:8080
iptables -A FORWARD -m physdev --physdev-is-bridged -j ACCEPT
ip netns exec pa curl -s -m 3 --local-port 40050 -o /dev/null -w '%{http_code}\n' http://10.96.0.10/
conntrack -L -p tcp
iptables -L FORWARD -n
