# iptables commands and their failures: exact messages and exit statuses; a failing command
# changes nothing.
iptables -A NOPE -j ACCEPT
iptables -A INPUT -j FOO
iptables -A INPUT -s 10.0.0.300 -j ACCEPT
iptables -A INPUT -s 10.0.0.0/33 -j ACCEPT
iptables -A INPUT -s foo.invalid -j ACCEPT
iptables -D INPUT -j ACCEPT
iptables -D INPUT 1
iptables -N X
iptables -N X
iptables -A INPUT -j X
iptables -X X
iptables -X NOPE
iptables -X INPUT
iptables -F NOPE
iptables -P X DROP
iptables -P INPUT FOO
iptables -P INPUT RETURN
iptables -E X INPUT
iptables -E NOPE Y
iptables -E X Y
iptables -I INPUT 5 -j ACCEPT
iptables -R INPUT 5 -j ACCEPT
iptables -D INPUT 5
iptables -C INPUT -j DROP
iptables -C INPUT -j Y
iptables -S NOPE
iptables -L NOPE
iptables -t foo -L
iptables -A INPUT
iptables -A
iptables
iptables -A INPUT -p tcp --dport 80
iptables -A INPUT --dport 80
iptables -A INPUT -p foo
iptables -A INPUT -j DNAT --to-destination 1.2.3.4
iptables -t nat -A INPUT -j DNAT --to-destination 1.2.3.4
iptables -t nat -A PREROUTING -j DNAT
iptables -t nat -A PREROUTING -j DNAT --to-destination 1.2.3
iptables -A INPUT -m foo
iptables -A INPUT -m comment
iptables -A INPUT -m statistic --mode random --probability 2
iptables -A INPUT -m mark --mark foo
iptables -t mangle -A INPUT -j MARK
iptables -A INPUT -s 1.2.3.4 -s 1.2.3.5
iptables -A INPUT -A OUTPUT
iptables -A INPUT -j ACCEPT extra
iptables -A INPUT -x
iptables -N "a b"
iptables -A INPUT -m conntrack --ctstate FOO
iptables -A INPUT -m addrtype --dst-type FOO
iptables -A INPUT -p tcp --dport 1:2:3
iptables -A INPUT -p tcp --dport http
iptables -A INPUT -p tcp --dport 0
iptables -A INPUT -i eth0 -i eth1
iptables -A INPUT ! -j ACCEPT
iptables -A INPUT -j REJECT --reject-with foo
iptables -A INPUT -m multiport --dports 1,2
iptables -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16
iptables -A INPUT -g INPUT
iptables -A INPUT -j INPUT
iptables -A Y -j Y
iptables -Z NOPE
iptables -S INPUT 9
iptables -S INPUT 1
iptables -L INPUT 1
iptables -D Y 1 2
iptables -N
iptables -R INPUT
iptables -R INPUT -j ACCEPT
iptables -I INPUT abc
iptables -I INPUT 0 -j ACCEPT
iptables -D INPUT 0
iptables -E X
iptables -P INPUT
iptables -Q
iptables -nvL INPUT
iptables -LINPUT
iptables --list INPUT
iptables --append=INPUT -j ACCEPT
iptables -A INPUT -s localhost -j ACCEPT
iptables -A INPUT -s ! 1.1.1.1 -j ACCEPT
iptables -A INPUT -i abcdefghijklmnop -j ACCEPT
iptables -A INPUT -j
iptables -A INPUT -p tcp --dport
iptables -A INPUT -p tcp --dport 70000
iptables -A INPUT -p tcp --dport foo
iptables -A INPUT -p tcp --dport 90:80
iptables -A INPUT -p tcp --tcp-flags SYN
iptables -A INPUT -p tcp --tcp-flags FOO SYN
iptables -A INPUT -p tcp --syn --tcp-flags SYN SYN
iptables -A INPUT -m comment --comment a --comment b
iptables -A INPUT -m statistic --mode foo
iptables -A INPUT -m statistic --probability 0.5
iptables -A INPUT -m statistic --mode random
iptables -A INPUT -m statistic --mode nth --every 2 --packet 5
iptables -A INPUT -m statistic --mode random --probability 0.5 --every 2
iptables -A INPUT -m statistic ! --mode random --probability 1
iptables -A INPUT -m statistic --mode nth --every 2
iptables -A INPUT -m mark
iptables -A INPUT -m mark --mark 1/2/3
iptables -A INPUT -m mark --mark 0x100000000
iptables -A INPUT -m conntrack
iptables -A INPUT -m conntrack --ctstate
iptables -A INPUT -m conntrack --ctorigdst 1.2.3.300
iptables -A INPUT -m conntrack --ctstate new
iptables -A INPUT -m state
iptables -A INPUT -m state --state FOO
iptables -A INPUT -m addrtype
iptables -A INPUT -m addrtype --src-type local
iptables -A INPUT -m addrtype --src-type LOCAL --limit-iface-in --limit-iface-out
iptables -A INPUT -m multiport
iptables -A INPUT -p tcp -m multiport --dports 1,2 --sports 3
iptables -A INPUT -p tcp -m multiport --dports 70000
iptables -A INPUT -p tcp -m multiport --dports 1-2
iptables -A INPUT -p tcp -m multiport --dports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15
iptables -A INPUT -p tcp -m multiport --dports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15,16
iptables -A INPUT -p tcp -m multiport --dports http,https
iptables -A INPUT -m recent --set --rcheck
iptables -A INPUT -m recent --seconds 5
iptables -A INPUT -m recent --rcheck --reap
iptables -A INPUT -m recent --rcheck --seconds x
iptables -A INPUT -m physdev
iptables -A INPUT -m physdev --physdev-in abcdefghijklmnopq
iptables -A INPUT -m set
iptables -A INPUT -p icmp --icmp-type foo
iptables -A INPUT -m tcp --dport 80
iptables -A INPUT -m udp --dport 80
iptables -A INPUT ! -p tcp --dport 80
iptables -A INPUT -m icmp --icmp-type 8
iptables -A INPUT -p icmp -m icmp
iptables -A INPUT -p tcp --dport 1 --dport 2
iptables -A INPUT -j REJECT --reject-with
iptables -A INPUT -j LOG --log-level foo
iptables -A INPUT -j LOG --log-level 8
iptables -A INPUT -j LOG --log-prefix ""
iptables -A INPUT -j LOG --log-prefix "a b" --log-level warning
iptables -t nat -A POSTROUTING -j SNAT
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4:80
iptables -t nat -A POSTROUTING -j MASQUERADE --to-ports 80
iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 80-70
iptables -t nat -A PREROUTING -j DNAT --to-destination 1.2.3.4 --to-destination 1.2.3.5
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:x
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:70000
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:90-80
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4 --random-fully
iptables -t mangle -A PREROUTING -j MARK --set-mark 1 --or-mark 2
iptables -t mangle -A PREROUTING -j MARK --set-xmark foo
iptables -A INPUT -j ACCEPT -j DROP
iptables -A INPUT ! ! -s 1.2.3.4
iptables ! -A INPUT
iptables -A INPUT ! -m tcp
iptables -N ACCEPT
iptables -N DNAT
iptables -N -foo
iptables -N abcdefghijklmnopqrstuvwxyz123
iptables -N abcdefghijklmnopqrstuvwxyz12
iptables -A INPUT -c 1
iptables -A INPUT -c 1 x
iptables -A INPUT -c 5 6 -j ACCEPT
iptables -V
iptables --version
iptables -t filter -t nat -L
iptables -L -t nat -n
iptables -F -Z
iptables -S -x
iptables -S -n
iptables -L -Z INPUT
iptables -Z INPUT 500
iptables -Z NOPE 1
iptables -w 5 -L INPUT -n
iptables -L INPUT -n -w
iptables -D INPUT -j NOPE
iptables -C INPUT -j NOPE
iptables -N A
iptables -A A -j ACCEPT
iptables -X A
iptables -N B
iptables -N C
iptables -A INPUT -j B
iptables -A C -j B
iptables -E B BB
iptables -X
iptables -F
iptables -X
iptables-save
iptables -t nat -P PREROUTING DROP
iptables -t raw -F
iptables -t mangle -Z
iptables-save
iptables-save -t mangle
iptables-save -t foo
iptables-save --bogus
iptables-save extra
iptables-save -V
