# kube-proxy's own flow: it ensures its jump rules with -C/-I (or -N first), then syncs with
# iptables-restore --noflush, writing the rules in the argument order it builds them
# (-m comment first, -d without /32), flushing the chains it declares and deleting stale ones.
iptables -t nat -N KUBE-SERVICES
iptables -t nat -C PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
iptables -t nat -I PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
iptables -t nat -I OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
iptables -t nat -N KUBE-POSTROUTING
iptables -t nat -I POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
iptables -t nat -N KUBE-SVC-ERIFXISQEP7F7OF4
iptables -t nat -N KUBE-SEP-6E7XQMQ4RAYOWTTM
iptables -t nat -N KUBE-SEP-IT2ZTR26TO4XFPTO
iptables -t nat -A KUBE-SERVICES -j KUBE-SVC-ERIFXISQEP7F7OF4
iptables -t nat -A KUBE-SVC-ERIFXISQEP7F7OF4 -j KUBE-SEP-6E7XQMQ4RAYOWTTM
iptables -N KUBE-FIREWALL
iptables -I INPUT -j KUBE-FIREWALL
iptables-restore --noflush kube-proxy-sync-busy.rules
iptables-save -t nat
iptables-restore --noflush kube-proxy-sync.rules
iptables-save
iptables -t nat -L -n
iptables-restore --noflush kube-proxy-sync.rules
iptables-save -t nat
