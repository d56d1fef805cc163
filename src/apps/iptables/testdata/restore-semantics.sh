# What iptables-restore does to what is already there: without --noflush a table block
# replaces the table (user chains not declared again are gone, other tables untouched, an
# empty block deletes the table); with --noflush `:CHAIN` flushes a user chain but only sets a
# built-in chain's policy. Counters in the payload count only with -c.
iptables-restore p1.rules
iptables-save
iptables-restore p2.rules
iptables-save
iptables-restore p1.rules
iptables-restore --noflush p2.rules
iptables-save -t nat
iptables-restore --noflush p3.rules
iptables-save -t nat
iptables-restore -n p4.rules
iptables-save -t filter
iptables-restore p5.rules
iptables-save
iptables-restore --noflush p5.rules
iptables-save
iptables-restore -T nat p1.rules
iptables-save
iptables-restore -c counters.rules
iptables-save -c
iptables -L -v
iptables -L -v -x
iptables -L -v -n --line-numbers
iptables -S -v
iptables -Z INPUT 2
iptables -S INPUT -v
iptables -L -Z -v INPUT
iptables -S -v
iptables-restore counters.rules
iptables-save -c -t filter
iptables-restore --noflush quoting.rules
iptables -S INPUT
iptables-restore -w p1.rules
iptables-save -t nat
iptables-restore -w 5 p1.rules
iptables-save -t nat
iptables-restore --test p2.rules
iptables-save -t nat
iptables-restore --noflush listing.rules
