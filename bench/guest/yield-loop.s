# yield-loop.s: 100,000 HC_YIELDs; two such VMs on one PCPU switch at every one.
        .text
_start:
        li      s0, 100000
1:      li      a0, HC_YIELD
        li      a1, -1
        hcall
        addi    s0, s0, -1
        bnez    s0, 1b
        li      a0, HC_SHUTDOWN
        li      a1, 0
        hcall
