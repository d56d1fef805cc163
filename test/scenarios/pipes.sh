# Pipes and input redirection: the emulated tools' output into the text tools scripts use, and back
ip link add br0 type bridge
ip addr add 10.9.0.1/24 dev br0
ip -br addr show br0 | awk '{print $1, $3}'
ip -j addr show br0 | jq -r '.[0].addr_info[0].local'
ip link show br0 | head -1 | cut -d: -f2
ip route show table local | grep 10.9 | sort
ip route | grep -q 10.9.0.0 && echo found
iptables -t nat -N KUBE-SERVICES
iptables -t nat -A KUBE-SERVICES -d 10.96.0.1/32 -p tcp --dport 443 -j RETURN
iptables -t nat -A KUBE-SERVICES -d 10.0.0.1/32 -j RETURN
iptables -t nat -S | grep 10.96
iptables -t nat -S KUBE-SERVICES | wc -l
iptables-save -t nat | grep -c KUBE
printf '*filter\n:FOO - [0:0]\n-A FOO -s 10.1.0.0/16 -j ACCEPT\nCOMMIT\n' | iptables-restore --noflush
iptables -S FOO
iptables-save -t filter | grep -v '^#' | sort
iptables -S | grep nothing-here
iptables -S NOPE 2>&1 | head -1
iptables -S NOPE | wc -l
iptables-save -t filter | iptables-restore --test && echo restorable
iptables-save -t nat > /tmp/knetlab-pipes-scenario.rules
iptables -t nat -F KUBE-SERVICES
iptables-restore < /tmp/knetlab-pipes-scenario.rules
iptables -t nat -S KUBE-SERVICES
iptables-restore < /tmp/knetlab-pipes-scenario-missing.rules
sysctl net.ipv4.ip_forward | tr -d ' '
