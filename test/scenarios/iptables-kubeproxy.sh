# A kube-proxy (iptables mode) ruleset restored with iptables-restore, and traffic through it:
# KUBE-SERVICES -> KUBE-SVC-* -> KUBE-SEP-* DNAT, KUBE-MARK-MASQ for traffic from outside the pod
# CIDR, KUBE-POSTROUTING's MASQUERADE. The 2-endpoint service shows the statistic rules; traffic
# goes to the 1-endpoint service so that the chosen endpoint is deterministic, from the node's
# pod-CIDR address (so without masquerade, whose --random-fully port differs run to run).
ip netns add pod
ip link add cni0 type veth peer name eth0 netns pod
ip link set cni0 up
ip addr add 10.244.0.1/24 dev cni0
ip route add default via 10.244.0.254
ip netns exec pod ip link set lo up
ip netns exec pod ip link set eth0 up
ip netns exec pod ip addr add 10.244.0.5/24 dev eth0
ip netns exec pod python3 -m http.server 8080 --bind 10.244.0.5 > /dev/null 2>&1 &
sleep 2
echo '*nat' > kube.rules
echo ':PREROUTING ACCEPT [0:0]' >> kube.rules
echo ':INPUT ACCEPT [0:0]' >> kube.rules
echo ':OUTPUT ACCEPT [0:0]' >> kube.rules
echo ':POSTROUTING ACCEPT [0:0]' >> kube.rules
echo ':KUBE-SERVICES - [0:0]' >> kube.rules
echo ':KUBE-POSTROUTING - [0:0]' >> kube.rules
echo ':KUBE-MARK-MASQ - [0:0]' >> kube.rules
echo ':KUBE-NODEPORTS - [0:0]' >> kube.rules
echo ':KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]' >> kube.rules
echo ':KUBE-SEP-IT2ZTR26TO4XFPTO - [0:0]' >> kube.rules
echo ':KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]' >> kube.rules
echo ':KUBE-SEP-YIL6JZP7A3QYXJU2 - [0:0]' >> kube.rules
echo ':KUBE-SEP-ZP3FB6NMPNCO4VBJ - [0:0]' >> kube.rules
echo '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES' >> kube.rules
echo '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES' >> kube.rules
echo '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING' >> kube.rules
echo '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000' >> kube.rules
echo '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN' >> kube.rules
echo '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0' >> kube.rules
echo '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully' >> kube.rules
echo '-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-TCOU7JCQXEZGVUNU' >> kube.rules
echo '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/api:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-ERIFXISQEP7F7OF4' >> kube.rules
echo '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS' >> kube.rules
echo '-A KUBE-SVC-TCOU7JCQXEZGVUNU ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ' >> kube.rules
echo '-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "default/web:http -> 10.244.0.5:8080" -j KUBE-SEP-IT2ZTR26TO4XFPTO' >> kube.rules
echo '-A KUBE-SEP-IT2ZTR26TO4XFPTO -s 10.244.0.5/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ' >> kube.rules
echo '-A KUBE-SEP-IT2ZTR26TO4XFPTO -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.0.5:8080' >> kube.rules
echo '-A KUBE-SVC-ERIFXISQEP7F7OF4 ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment "default/api:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ' >> kube.rules
echo '-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "default/api:http -> 10.244.0.6:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-YIL6JZP7A3QYXJU2' >> kube.rules
echo '-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "default/api:http -> 10.244.0.7:8080" -j KUBE-SEP-ZP3FB6NMPNCO4VBJ' >> kube.rules
echo '-A KUBE-SEP-YIL6JZP7A3QYXJU2 -s 10.244.0.6/32 -m comment --comment "default/api:http" -j KUBE-MARK-MASQ' >> kube.rules
echo '-A KUBE-SEP-YIL6JZP7A3QYXJU2 -p tcp -m comment --comment "default/api:http" -m tcp -j DNAT --to-destination 10.244.0.6:8080' >> kube.rules
echo '-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -s 10.244.0.7/32 -m comment --comment "default/api:http" -j KUBE-MARK-MASQ' >> kube.rules
echo '-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -p tcp -m comment --comment "default/api:http" -m tcp -j DNAT --to-destination 10.244.0.7:8080' >> kube.rules
echo 'COMMIT' >> kube.rules
echo '*filter' >> kube.rules
echo ':INPUT ACCEPT [0:0]' >> kube.rules
echo ':FORWARD ACCEPT [0:0]' >> kube.rules
echo ':OUTPUT ACCEPT [0:0]' >> kube.rules
echo ':KUBE-FORWARD - [0:0]' >> kube.rules
echo '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD' >> kube.rules
echo '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP' >> kube.rules
echo '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT' >> kube.rules
echo 'COMMIT' >> kube.rules
iptables-restore --noflush kube.rules
iptables-save
curl -s --local-port 40030 -o /dev/null -w '%{http_code}\n' http://10.96.0.10/
conntrack -L -p tcp
iptables -t nat -L KUBE-POSTROUTING -n -v
iptables -t nat -L KUBE-SVC-TCOU7JCQXEZGVUNU -n -v
iptables -t nat -L KUBE-SERVICES -n
iptables -t nat -S KUBE-SVC-ERIFXISQEP7F7OF4
