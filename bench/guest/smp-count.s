# smp-count.s: VCPU 0 starts every other VCPU of its VM; each then runs the
# count.s loop (addi + bnez) until the machine's time limit. For measuring
# the hypervisor's overhead against the bare interpreter on the same loop.
        .text
_start:
        li      a0, HC_VCPU_ID
        hcall
        bnez    a0, count
        li      s1, 1
1:      li      a0, HC_VCPU_COUNT
        hcall
        bge     s1, a0, count
        li      a0, HC_VCPU_START
        mv      a1, s1
        la      a2, count
        li      a3, 0                   # no stack needed
        li      a4, 0
        hcall
        addi    s1, s1, 1
        j       1b
count:
        li      t0, 0x7fffffff
2:      addi    t0, t0, -1
        bnez    t0, 2b
        j       count
