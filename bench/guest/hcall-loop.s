# hcall-loop.s: 200,000 VCPU_ID hypercalls (or, assembled with -D NOP, the
# same loop with an addi in place of the hcall: the difference is the cost of
# the hypercall round trip).
        .text
_start:
        li      s0, 200000
1:      li      a0, HC_VCPU_ID
        .ifdef NOP
        addi    a0, a0, 0
        .else
        hcall
        .endif
        addi    s0, s0, -1
        bnez    s0, 1b
        li      a0, HC_SHUTDOWN
        li      a1, 0
        hcall
