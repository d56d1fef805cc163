# What ipvsadm says about mistakes: usage errors (exit 2), kernel errors (exit 255), listings (exit 1).
ipvsadm -A -t 10.96.0.1:443 -s rr
ipvsadm -A -t 10.96.0.1:443 -s rr
ipvsadm -A -t 10.96.0.2:443 -s foo
ipvsadm -A -t 10.96.0.3
ipvsadm -A -t 10.96.0.3:80 -r 10.244.1.2
ipvsadm -A -t 10.96.0.3:https:x
ipvsadm -A -t 80
ipvsadm -A -u 10.96.0.3:53 -s rr -p abc
ipvsadm -A -u 10.96.0.3:53 -s rr -b sh-port
ipvsadm -A -u 10.96.0.3:53 -s sh -b bogus
ipvsadm -A -t 10.96.0.4:80 -o
ipvsadm -E -t 10.96.0.9:443 -s rr
ipvsadm -D -t 10.96.0.9:443
ipvsadm -a -t 10.96.0.9:443 -r 10.244.1.2:8443 -m
ipvsadm -a -t 10.96.0.1:443 -r 10.244.1.2:8443 -m
ipvsadm -a -t 10.96.0.1:443 -r 10.244.1.2:8443 -m
ipvsadm -a -t 10.96.0.1:443 -r 10.244.1.3:8443 -m -w 65536
ipvsadm -a -t 10.96.0.1:443 -r 10.244.1.3:8443 -m -w -1
ipvsadm -a -t 10.96.0.1:443 -r 224.0.0.1:8443 -m
ipvsadm -a -t 10.96.0.1:443 -r bogus.invalid:8443 -m
ipvsadm -a -t 10.96.0.1:443 -m
ipvsadm -a -t 10.96.0.1:443 -r 10.244.1.3:8443 -m -g
ipvsadm -e -t 10.96.0.1:443 -r 10.244.9.9:8443 -m
ipvsadm -d -t 10.96.0.1:443 -r 10.244.9.9:8443
ipvsadm -d -t 10.96.0.1:443 -r 10.244.1.2:8443 -w 2
ipvsadm -Ln -t 10.96.0.9:443
ipvsadm -Z -t 10.96.0.9:443
ipvsadm -L -n -c -t 10.96.0.1:443
ipvsadm -L -c --stats
ipvsadm -L --timeout --persistent-conn
ipvsadm -L -n -n
ipvsadm -L -A
ipvsadm -nL
ipvsadm --timeout -L
ipvsadm -L --bogus
ipvsadm -L -t
ipvsadm -L extra
ipvsadm
ipvsadm -C extra
ipvsadm --set 1 2
ipvsadm -f 0 -A
ipvsadm -A -f 0
ipvsadm -A -f 12 -s rr -p
ipvsadm -Ln
