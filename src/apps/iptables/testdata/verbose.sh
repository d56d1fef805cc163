# iptables -v echoes the rule of -A/-I/-R/-D/-C and names the chains -F/-X/-Z work on.
iptables -v -A INPUT -s 10.0.0.0/8 -p tcp --dport 80 -m comment --comment hi -j ACCEPT
iptables -v -A INPUT ! -i eth0 -o eth1 -j DROP
iptables -v -A FORWARD ! -i eth0 -o eth1 -d 1.2.3.4 -j DROP
iptables -v -N X
iptables -v -A FORWARD ! -s 10.0.0.0/8 ! -d 1.2.3.4 ! -p udp -j DROP
iptables -v -A FORWARD -s 10.0.0.0/8 -d 1.2.3.4/32 -p udp --dport 53
iptables -N LONGCHAINNAMEHERE
iptables -v -A FORWARD -i abcdefghijklmno -j LONGCHAINNAMEHERE
iptables -v -I FORWARD -m mark --mark 1 -j MARK --set-mark 2
iptables -v -I FORWARD -g X
iptables -v -A FORWARD -j LOG --log-prefix "x y"
iptables -v -R FORWARD 1 -j ACCEPT
iptables -v -D FORWARD 1
iptables -v -D FORWARD -j LONGCHAINNAMEHERE -i abcdefghijklmno
iptables -v -C FORWARD -j DROP ! -s 10.0.0.0/8 ! -d 1.2.3.4 ! -p udp
iptables -v -F
iptables -v -X X
iptables -v -Z
iptables -v -Z FORWARD
iptables -v -Z FORWARD 1
iptables -v -E LONGCHAINNAMEHERE Y
iptables -v -t nat -F
iptables -v -X
iptables -v -P INPUT DROP
iptables -v -t nat -A POSTROUTING -j MASQUERADE
