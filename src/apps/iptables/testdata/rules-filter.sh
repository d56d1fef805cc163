# Rule specifications in the filter table: how iptables -S, -L, -L -n and -L -n -v print them.
iptables -N KUBE-FIREWALL
iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
iptables -A INPUT -m conntrack ! --ctstate RELATED,ESTABLISHED -j DROP
iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED,NEW -j ACCEPT
iptables -A INPUT -m conntrack --ctstate SNAT,DNAT,UNTRACKED,INVALID,NEW,ESTABLISHED,RELATED
iptables -A INPUT -m conntrack ! --ctorigdst 10.0.0.0/8 ! --ctorigdstport 80:90
iptables -A INPUT -m conntrack --ctstate DNAT --ctorigdst 10.96.0.10 --ctorigdstport 53 -j ACCEPT
iptables -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
iptables -A INPUT -m state ! --state NEW,INVALID
iptables -A INPUT -p tcp -j REJECT
iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset
iptables -A INPUT -j REJECT --reject-with icmp-host-prohibited
iptables -A INPUT -j REJECT --reject-with net-unreach
iptables -A INPUT -j REJECT --reject-with icmp-admin-prohibited
iptables -A INPUT -p icmp --icmp-type echo-request -j ACCEPT
iptables -A INPUT -p icmp --icmp-type 3/4 -j ACCEPT
iptables -A INPUT -p icmp ! --icmp-type any
iptables -A INPUT -p icmp --icmp-type 11/1
iptables -A INPUT -p icmp --icmp-type destination-unreachable
iptables -A INPUT -p icmp -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT
iptables -A INPUT -p udp -m multiport ! --sports 53 -j ACCEPT
iptables -A INPUT -p tcp -m multiport ! --ports 1:2,3
iptables -A INPUT -p tcp ! --syn -j ACCEPT
iptables -A INPUT -p tcp --tcp-flags SYN,RST,ACK SYN -j ACCEPT
iptables -A INPUT -p tcp --tcp-flags ALL NONE
iptables -A INPUT -p tcp ! --sport 80:90 --dport 0:65535
iptables -A INPUT -p tcp --sport :90 --dport 1000:
iptables -A INPUT -p tcp -m tcp --sport 1:1024 ! --dport 22 -j ACCEPT
iptables -A INPUT -p udp ! --dport 53
iptables -A INPUT -p udp --dport 80 --sport 90 -m udp --sport 100
iptables -A INPUT -m comment --comment x -p tcp --dport 80
iptables -A INPUT -p tcp -m tcp
iptables -A INPUT -p 47 -j ACCEPT
iptables -A INPUT ! -p udp -j ACCEPT
iptables -A INPUT -p ipip
iptables -A INPUT -j LOG --log-prefix "hello: " --log-level 4
iptables -A INPUT -j LOG
iptables -A INPUT -j LOG --log-level debug --log-prefix x
iptables -A INPUT -m comment --comment 'a"b' -j ACCEPT
iptables -A INPUT -m comment --comment simple -j ACCEPT
iptables -A INPUT -m comment --comment "with space and 'q'" -j ACCEPT
iptables -A INPUT -m comment --comment "back\\slash"
iptables -A INPUT -m comment --comment "#hash"
iptables -A INPUT -m comment --comment ""
iptables -A INPUT -m comment --comment -j
iptables -A INPUT -s 10.0.0.1/24 -j ACCEPT
iptables -A INPUT -s 10.0.0.0/255.255.0.0 -j ACCEPT
iptables -A INPUT -s 0.0.0.0/0 -j ACCEPT
iptables -A INPUT -s 10.1 -d localhost -j ACCEPT
iptables -A INPUT ! -s 1.2.3.4 -d 10.0.0.0/16
iptables -A INPUT -s 100.100.100.100 ! -d 100.100.100.100/32
iptables -A INPUT -s 127.0.0.0/8 -d 169.254.0.0/16
iptables -A INPUT -m recent --set --name KUBE-SEP-ABC --mask 255.255.255.255 --rsource
iptables -A INPUT -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-ABC --mask 255.255.255.255 --rsource -j ACCEPT
iptables -A INPUT -m recent --update --seconds 60 --hitcount 3 --rdest
iptables -A INPUT -m recent ! --rcheck --name Y --mask 255.255.0.0
iptables -A INPUT -m statistic --mode nth --every 3 --packet 1 -j ACCEPT
iptables -A INPUT -m statistic --mode nth ! --every 4 --packet 0
iptables -A INPUT -m statistic --mode random --probability 0.33333333349 -j ACCEPT
iptables -A INPUT -m statistic --mode random --probability 0.1 -j ACCEPT
iptables -A INPUT -m statistic --mode random ! --probability 0.25
iptables -A INPUT -m statistic --mode random --probability 0.0001
iptables -A INPUT -m statistic --mode random --probability 0
iptables -A INPUT -m physdev --physdev-is-bridged -j ACCEPT
iptables -A INPUT -m physdev --physdev-in veth1 ! --physdev-out veth2 -j ACCEPT
iptables -A INPUT -m physdev ! --physdev-is-in --physdev-is-out
iptables -A INPUT -m mark --mark 0x1/0xffffffff
iptables -A INPUT -m mark ! --mark 0x4000/0x4000
iptables -A INPUT -m mark --mark 0/0
iptables -A INPUT -m mark --mark 1 -m mark --mark 2
iptables -A INPUT -m addrtype --src-type LOCAL --dst-type UNICAST
iptables -A INPUT -m addrtype ! --dst-type BROADCAST
iptables -A INPUT -j MARK --set-mark 1
iptables -A INPUT -i lo -j KUBE-FIREWALL
iptables -A INPUT -i + -g KUBE-FIREWALL
iptables -A FORWARD -i eth+ ! -o cni0 -j ACCEPT
iptables -A FORWARD ! -i eth0 -o cni+ -j ACCEPT
iptables -A FORWARD -i abcdefghijklmno -o abcdefghijkl -j ACCEPT
iptables -A OUTPUT ! -s 255.255.255.255/32 ! -d 255.255.255.255/32 ! -p tcp -g KUBE-FIREWALL
iptables -A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
iptables-save
iptables -S
iptables -S INPUT
iptables -S KUBE-FIREWALL 1
iptables -S -v
iptables -L
iptables -L -n
iptables -L -n -v
iptables -L -n -v -x --line-numbers
iptables -L -v
iptables -L FORWARD --line-numbers
iptables -L KUBE-FIREWALL 1 -n
iptables -nvL OUTPUT
iptables -L INPUT 500
iptables -S INPUT 500
