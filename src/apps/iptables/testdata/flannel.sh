# flanneld's rules (v0.22+): masquerade for pod traffic leaving the cluster CIDR, forward
# accepts; first as flanneld adds them one by one, then as a restore payload.
iptables -t nat -N FLANNEL-POSTRTG
iptables -t nat -A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
iptables -t nat -A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN
iptables -t nat -A FLANNEL-POSTRTG -s 10.244.0.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN
iptables -t nat -A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.0.0/24 -m comment --comment "flanneld masq" -j RETURN
iptables -t nat -A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/24 -m comment --comment "flanneld masq" -j RETURN
iptables -t nat -A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
iptables -t nat -A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
iptables -N FLANNEL-FWD
iptables -A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
iptables -A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
iptables -A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
iptables -t nat -C FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
iptables-save
iptables -t nat -L FLANNEL-POSTRTG -n -v
iptables -t nat -L FLANNEL-POSTRTG
iptables -L FLANNEL-FWD -v
iptables -t nat -D FLANNEL-POSTRTG -s 10.244.0.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN
iptables -t nat -D FLANNEL-POSTRTG 1
iptables -t nat -R FLANNEL-POSTRTG 1 -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN
iptables -t nat -S FLANNEL-POSTRTG
iptables-restore flannel.rules
iptables-save
