# wait/yield-directed.s: VCPUs 1 and 2 are both runnable on the one PCPU,
# then VCPU 0 yields to TARGET (a define: -1 or 2); each sibling keeps its
# arrival order in res[its index]. Undirected, VCPU 1 runs first; the
# orders are in wait.test.ts. Run with 3 VCPUs.
# expect-word: res[0] = 0
        .include "common/kernel.inc"
_start:
        hc      HC_VCPU_START, 1, sec, stack1, 1
        hc      HC_VCPU_START, 2, sec, stack2, 2
        hc      HC_YIELD, TARGET
        keep    a0, 0
        waitfor 1
        waitfor 2
        done
sec:    la      t0, flags
        addi    t0, t0, 16
        li      t1, 1
        xadd    t1, t1, (t0)                    # flags[4]: arrival counter
        slli    t2, a0, 2
        la      t0, res
        add     t0, t0, t2
        sw      t1, 0(t0)                       # res[a0] = arrival order
        la      t0, flags
        add     t0, t0, t2
        li      t1, 1
        sw      t1, 0(t0)                       # flags[a0] = 1
1:      wfi                                     # IMASK = 0: done for good
        j       1b
        .include "common/kdata.inc"
