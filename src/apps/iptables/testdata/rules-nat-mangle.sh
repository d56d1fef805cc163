# Rule specifications of the nat and mangle tables: NAT targets, MARK in all its spellings.
iptables -t nat -N KUBE-SVC-X
iptables -t nat -N KUBE-MARK-MASQ
iptables -t nat -A PREROUTING -s 10.0.0.0/8 ! -d 10.96.0.1 -p tcp --dport 443 -m comment --comment "default/kubernetes:https cluster IP" -m statistic --mode random --probability 0.5 -j DNAT --to-destination 10.1.2.3:6443
iptables -t nat -A PREROUTING -p udp --sport 53 -j KUBE-SVC-X
iptables -t nat -A PREROUTING -p tcp -m tcp --dport 30000:32767 -g KUBE-SVC-X
iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j KUBE-SVC-X
iptables -t nat -A PREROUTING -m addrtype ! --src-type LOCAL --limit-iface-in -j KUBE-SVC-X
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination :8080
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80-90
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4-1.2.3.9 --random --persistent
iptables -t nat -A PREROUTING -j DNAT --to-destination 1.2.3.4-1.2.3.9
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:0
iptables -t nat -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
iptables -t nat -A KUBE-MARK-MASQ -j MARK --set-mark 0x4000
iptables -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
iptables -t nat -A KUBE-MARK-MASQ -j MARK --and-mark 0x4000
iptables -t nat -A KUBE-MARK-MASQ -j MARK --xor-mark 0x4000
iptables -t nat -A KUBE-MARK-MASQ -j MARK --set-mark 0x4000/0xffff
iptables -t nat -A POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
iptables -t nat -A POSTROUTING -m mark --mark 0x4000 -j RETURN
iptables -t nat -A POSTROUTING -j MARK --set-xmark 0x4000/0x0
iptables -t nat -A POSTROUTING -j MASQUERADE --random-fully
iptables -t nat -A POSTROUTING -o eth0 -p tcp -j MASQUERADE --to-ports 1000-2000 --random
iptables -t nat -A POSTROUTING -s 10.244.0.0/16 -j SNAT --to-source 1.2.3.4
iptables -t nat -A POSTROUTING -p udp -j SNAT --to-source 1.2.3.4-1.2.3.8:100-200 --random-fully --persistent
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4 --random
iptables -t nat -A POSTROUTING -j MASQUERADE --random --random-fully
iptables -t nat -A POSTROUTING -p udp -j MASQUERADE --to-ports 1000
iptables -t nat -A INPUT -j SNAT --to-source 10.0.0.1
iptables -t nat -A OUTPUT -p tcp -d 10.96.0.1 --dport 443 -j DNAT --to-destination 172.18.0.2:6443
iptables -t mangle -A PREROUTING -j MARK --set-xmark 0x1
iptables -t mangle -A PREROUTING -j MARK --set-xmark 0/0
iptables -t mangle -A PREROUTING -j MARK --set-xmark 0xffffffff/0xffffffff
iptables -t mangle -A PREROUTING -j MARK --set-mark 0x4000/0x4000
iptables -t mangle -A PREROUTING -j MARK --or-mark 0
iptables -t mangle -A PREROUTING -j MARK --set-mark 10
iptables -t mangle -A POSTROUTING -m addrtype --dst-type LOCAL --limit-iface-out -j ACCEPT
iptables -t raw -A PREROUTING -p udp --dport 4789 -j ACCEPT
iptables-save
iptables -t nat -S
iptables -t nat -L
iptables -t nat -L -n
iptables -t nat -L -n -v -x --line-numbers
iptables -t mangle -L
iptables -t mangle -L -n -v
iptables -t raw -L -n
iptables -t raw -S PREROUTING
