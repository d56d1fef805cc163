# A kind node's kube-proxy rule set restored whole, then saved, listed and checked the ways
# kube-proxy and people do; a second restore replaces it.
iptables-restore kube-proxy-save.rules
iptables-save
iptables-save -t nat
iptables -t nat -S KUBE-SVC-LOLE4ISW44XBNF3G
iptables -t nat -L KUBE-SERVICES -n
iptables -t nat -L -n -v
iptables -t nat -L KUBE-SVC-TCOU7JCQXEZGVUNU
iptables -t nat -L KUBE-SEP-2ZGAH4JUKJOGYQ4B -n --line-numbers
iptables -L -n -v --line-numbers
iptables -t mangle -S
iptables -t nat -C POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
iptables -t nat -C POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-MARK-MASQ
iptables -t nat -X KUBE-MARK-MASQ
iptables -t nat -X KUBE-PROXY-CANARY
iptables-save -t nat
iptables-save -c -t filter
