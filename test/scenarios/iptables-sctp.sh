# SCTP ports in rules, as kube-proxy writes them for an SCTP Service port: the sctp match,
# implicit after -p sctp, in iptables-save, -S and -L forms, and the DNAT to an SCTP endpoint.
iptables -t nat -N KUBE-SVC-SCTP
iptables -t nat -A KUBE-SVC-SCTP -m comment --comment "ns1/multi:sctp cluster IP" -m sctp -p sctp -d 10.96.0.10 --dport 9 ! -s 10.244.0.0/16 -j MARK --set-xmark 0x4000/0x4000
iptables -t nat -A KUBE-SVC-SCTP -p sctp --sport 1000:2000 -j DNAT --to-destination 10.244.1.5:9
iptables -t nat -A KUBE-SVC-SCTP -p sctp -m sctp ! --dport 7 -j RETURN
iptables -t nat -S KUBE-SVC-SCTP
iptables -t nat -L KUBE-SVC-SCTP -n
iptables-save -t nat
