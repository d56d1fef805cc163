# Malformed iptables-restore payloads: each is refused with the real message and line number,
# and nothing of the failing table block is applied (blocks committed before it stay).
iptables -N KEEP
iptables -A INPUT -j KEEP
iptables-restore bad-jump.rules
iptables-restore bad-jump-declared-later.rules
iptables-restore bad-address.rules
iptables-restore bad-chain.rules
iptables-restore bad-no-commit.rules
iptables-restore bad-no-table.rules
iptables-restore bad-table.rules
iptables-restore bad-policy.rules
iptables-restore bad-option.rules
iptables-restore bad-word.rules
iptables-restore bad-blank.rules
iptables-restore bad-port.rules
iptables-restore bad-indented-comment.rules
iptables-restore bad-t-option.rules
iptables-restore bad-chain-name.rules
iptables-restore bad-chain-long.rules
iptables-restore bad-chain-target.rules
iptables-restore bad-chain-empty.rules
iptables-restore bad-chain-no-policy.rules
iptables-restore bad-parse-before-missing-chain.rules
iptables-restore bad-missing-chain-before-jump.rules
iptables-restore --noflush bad-delete-busy.rules
iptables-restore --noflush bad-insert-index.rules
iptables-restore --noflush bad-delete-rule.rules
iptables-restore --noflush bad-new-exists.rules
iptables-restore --noflush bad-policy-user.rules
iptables-restore bad-loop.rules
iptables-restore bad-loop-late.rules
iptables-restore bad-dnat-hook.rules
iptables-restore bad-dnat-via-jump.rules
iptables-restore bad-reject-mangle.rules
iptables-restore bad-tcp-reset.rules
iptables-restore bad-o-input.rules
iptables-restore bad-commit-word.rules
iptables-restore bad-second-table.rules
iptables-save
iptables-restore /nonexistent.rules
iptables-restore a.rules b.rules
iptables-restore --bogus
