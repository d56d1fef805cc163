# iptables 1.8.9 (nf_tables) command lines as getopt_long reads them: long options abbreviated to
# a unique prefix (--app, --sou, --dp) among the original options and the loaded modules', `=`
# arguments, bundled short options (-vnL, -LINPUT), ambiguous and unknown options, missing
# arguments, stray words, `!`, -c counters, and the exit status of each.
iptables --app INPUT -j ACCEPT
iptables --dele INPUT -j ACCEPT
iptables --delete INPUT -j ACCEPT
iptables -A INPUT --sou 10.0.0.1 -j ACCEPT
iptables -A INPUT --src=10.0.0.2 -j ACCEPT
iptables -A INPUT -p tcp --dp 80 -j ACCEPT
iptables -A INPUT -p tcp --dport=81 -j ACCEPT
iptables -A INPUT -p tcp --destination-p 82 -j ACCEPT
iptables -A INPUT -m tcp --sp 5 -p tcp
iptables -A INPUT -p udp --sport 53 --dpo 53
iptables -A INPUT -p TCP --syn -j DROP
iptables -A INPUT -p tcp ! --dport 5 -j ACCEPT
iptables -A INPUT ! -p tcp --dport 6 -j ACCEPT
iptables -A INPUT -m comment --com 'a comment' -j ACCEPT
iptables -t mangle -A INPUT -j MARK --set-m 1
iptables -t mangle -A INPUT -j MARK --set-ma 2
iptables -t mangle -A INPUT -j MARK --set-x 3/0xff
iptables -t mangle -A INPUT -j MARK --set
iptables -A INPUT -c 1 2 -j ACCEPT
iptables -A INPUT -c 3,4 -j ACCEPT
iptables -A INPUT -c 5 -j ACCEPT
iptables -A INPUT -c x 6 -j ACCEPT
iptables -A INPUT -c 7 8y -j ACCEPT
iptables -vnL INPUT
iptables -nvxL INPUT --line
iptables -t nat -nvL
iptables -LINPUT -n
iptables -nL INPUT 1
iptables -S INPUT 2
iptables --list-r INPUT
iptables --lis INPUT
iptables -Z INPUT 1 -L INPUT
iptables -L -Z
iptables -S -L
iptables --d INPUT
iptables --s 10.0.0.1 -A INPUT
iptables -A INPUT -p tcp --d 80
iptables -A INPUT -p tcp --foo
iptables -A INPUT --foo
iptables -A INPUT -j ACCEPT --foo
iptables -A INPUT -p tcp --syn=1
iptables -A INPUT -p tcp --dport
iptables -A INPUT -m comment --comment
iptables -A INPUT -j
iptables -A
iptables -A INPUT extra
iptables -A INPUT -j ACCEPT -- extra
iptables -A INPUT -j ACCEPT --
iptables -A INPUT -s10.0.0.3 -j ACCEPT
iptables -A INPUT --jump=ACCEPT
iptables -A INPUT --protocol=tcp
iptables -A INPUT -i '' -j ACCEPT
iptables -A INPUT -ieth0 -j ACCEPT
iptables -p tcp --dport 80
iptables -p tcp --dport 80 !
iptables -A INPUT -p tcp --dport 80 ! -j ACCEPT
iptables ! -A INPUT
iptables -A INPUT ! ! -s 10.0.0.1
iptables -A INPUT -s 10.0.0.1 !
iptables -A INPUT -x -j ACCEPT
iptables -A INPUT -p tcp --tcp-flags SYN
iptables -A INPUT -p tcp --tcp-fl SYN,ACK SYN -j ACCEPT
iptables -A INPUT -j ACCEPT -j DROP
iptables -A INPUT -y
iptables -A INPUT -ny
iptables -A INPUT -6
iptables -A INPUT -b
iptables -A INPUT -4 -j ACCEPT
iptables -A INPUT -w -j ACCEPT
iptables -A INPUT -w 5 -j ACCEPT
iptables -A INPUT --wai -j ACCEPT
iptables -I INPUT 2 -s 10.0.0.9 -j DROP
iptables -I INPUT x -j DROP
iptables -D INPUT 2
iptables -R INPUT 1 -s 10.0.0.8 -j ACCEPT
iptables -R INPUT -j ACCEPT
iptables -N
iptables --new KUBE-X
iptables --new-c KUBE-Y
iptables -E KUBE-Y
iptables --rename KUBE-Y KUBE-Z
iptables -P FORWARD
iptables --pol FORWARD DROP
iptables -X KUBE-X
iptables -F INPUT extra
iptables -V
iptables -A INPUT -V
iptables --vers
iptables -S
iptables-save --cou -t filter
iptables-save --t nat
iptables-save -x
iptables-save --foo
iptables-save extra
iptables-save -b -d -t raw
iptables-save -t
iptables-save --vers
iptables-restore --ipv4
iptables-restore -x
iptables-restore --foo
iptables-restore --t
iptables-restore -T
iptables-restore a b
iptables-restore -nc -w 5 a b
iptables-restore --wait=5 --noflush a b
iptables-restore -W 5 a
iptables-restore --ver
iptables-restore -h
iptables-restore --vers
iptables -h
iptables -A INPUT -j ACCEPT -h
iptables --help -p tcp
iptables -h -p tcp
iptables --he
iptables -A INPUT -j KUBE-FOO -h
