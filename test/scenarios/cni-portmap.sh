# The portmap CNI plugin's nat rules for one pod (10.244.1.2 on cni0, hostPort 8080->80/tcp and
# 172.18.0.3:5353->53/udp), entered as go-iptables runs them: each rule's words in the plugin's own
# order (comment and multiport before -p, --dport before -s, the target last), the masquerade
# entry inserted first in POSTROUTING; then iptables -C as InsertUnique asks it, the listing
# (iptables' canonical order, which src/cni/portmap.ts writes directly), and the container's DEL.
iptables -t nat -N CNI-HOSTPORT-SETMARK
iptables -t nat -A CNI-HOSTPORT-SETMARK -m comment --comment "CNI portfwd masquerade mark" -j MARK --set-xmark 0x2000/0x2000
iptables -t nat -N CNI-HOSTPORT-MASQ
iptables -t nat -A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE
iptables -t nat -A POSTROUTING -s 10.244.1.0/24 -j ACCEPT
iptables -t nat -I POSTROUTING 1 -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ
iptables -t nat -N CNI-HOSTPORT-DNAT
iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
iptables -t nat -A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
iptables -t nat -N CNI-DN-e5cdf215392f6931bb77c
iptables -t nat -A CNI-DN-e5cdf215392f6931bb77c -p tcp --dport 8080 -s 10.244.1.2/24 -j CNI-HOSTPORT-SETMARK
iptables -t nat -A CNI-DN-e5cdf215392f6931bb77c -p tcp --dport 8080 -s 127.0.0.1 -j CNI-HOSTPORT-SETMARK
iptables -t nat -A CNI-DN-e5cdf215392f6931bb77c -p tcp --dport 8080 -j DNAT --to-destination 10.244.1.2:80
iptables -t nat -A CNI-DN-e5cdf215392f6931bb77c -p udp --dport 5353 -d 172.18.0.3 -s 10.244.1.2/24 -j CNI-HOSTPORT-SETMARK
iptables -t nat -A CNI-DN-e5cdf215392f6931bb77c -p udp --dport 5353 -d 172.18.0.3 -s 127.0.0.1 -j CNI-HOSTPORT-SETMARK
iptables -t nat -A CNI-DN-e5cdf215392f6931bb77c -p udp --dport 5353 -d 172.18.0.3 -j DNAT --to-destination 10.244.1.2:53
iptables -t nat -A CNI-HOSTPORT-DNAT -m comment --comment "dnat name: \"cbr0\" id: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"" -m multiport -p tcp --destination-ports 8080 -j CNI-DN-e5cdf215392f6931bb77c
iptables -t nat -A CNI-HOSTPORT-DNAT -m comment --comment "dnat name: \"cbr0\" id: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"" -m multiport -p udp --destination-ports 5353 -j CNI-DN-e5cdf215392f6931bb77c
iptables -t nat -C CNI-HOSTPORT-DNAT -m comment --comment "dnat name: \"cbr0\" id: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"" -m multiport -p tcp --destination-ports 8080 -j CNI-DN-e5cdf215392f6931bb77c
iptables -t nat -C PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
iptables -t nat -S
iptables -t nat -D CNI-HOSTPORT-DNAT -m comment --comment "dnat name: \"cbr0\" id: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"" -m multiport -p tcp --destination-ports 8080 -j CNI-DN-e5cdf215392f6931bb77c
iptables -t nat -D CNI-HOSTPORT-DNAT -m comment --comment "dnat name: \"cbr0\" id: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"" -m multiport -p udp --destination-ports 5353 -j CNI-DN-e5cdf215392f6931bb77c
iptables -t nat -F CNI-DN-e5cdf215392f6931bb77c
iptables -t nat -X CNI-DN-e5cdf215392f6931bb77c
iptables -t nat -S
