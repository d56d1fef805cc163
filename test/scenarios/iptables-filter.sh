# iptables filter verdicts on real traffic: REJECT with ICMP and TCP resets, DROP, ACCEPT of
# established traffic, and the -S and -L listings that follow. Counters are listed only for
# ICMP: how many segments a TCP exchange takes varies between real runs (delayed ACKs).
ip netns add peer
ip link add veth0 type veth peer name eth0 netns peer
ip link set veth0 up
ip addr add 10.0.0.1/24 dev veth0
ip netns exec peer ip link set lo up
ip netns exec peer ip link set eth0 up
ip netns exec peer ip addr add 10.0.0.2/24 dev eth0
ip netns exec peer python3 -m http.server 8080 --bind 10.0.0.2 > /dev/null 2>&1 &
sleep 1
ping -c 1 -W 1 10.0.0.2
ip netns exec peer iptables -A INPUT -p icmp -j REJECT
ping -c 1 -W 1 10.0.0.2
ip netns exec peer iptables -R INPUT 1 -p icmp -j REJECT --reject-with icmp-host-prohibited
ping -c 1 -W 1 10.0.0.2
ip netns exec peer iptables -R INPUT 1 -p icmp -j DROP
ping -c 1 -W 1 10.0.0.2
ip netns exec peer iptables -L INPUT -n -v -x
ip netns exec peer iptables -F INPUT
ip netns exec peer iptables -A INPUT -p tcp --dport 8080 -j REJECT --reject-with tcp-reset
curl -s -S --local-port 40010 http://10.0.0.2:8080/
ip netns exec peer iptables -I INPUT 1 -s 10.0.0.1/32 -p tcp -m tcp --dport 8080 -j ACCEPT
curl -s --local-port 40011 -o /dev/null -w '%{http_code}\n' http://10.0.0.2:8080/
iptables -A OUTPUT -o veth0 -p tcp -m conntrack --ctstate NEW -m tcp --dport 8080 -j REJECT --reject-with tcp-reset
curl -s -S --local-port 40012 http://10.0.0.2:8080/
iptables -D OUTPUT 1
iptables -N LOGDROP
iptables -A LOGDROP -j DROP
iptables -A OUTPUT -d 10.0.0.2/32 -p icmp -j LOGDROP
ping -c 1 -W 1 10.0.0.2
iptables -X LOGDROP
iptables -F OUTPUT
iptables -X LOGDROP
ping -c 1 -W 1 10.0.0.2
ip netns exec peer iptables -S
ip netns exec peer iptables -L -n --line-numbers
iptables -S
iptables -L -n
iptables-save -t filter
