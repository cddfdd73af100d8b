# cpuhog.s: a CPU-bound process, the competitor of the lock-holder-preemption
# experiment (paravm experiment lhp). THREADS user-mode threads count in
# memory forever, so the VM running it spends its time in user mode under a
# kernel of its own (timer ticks, its scheduler): what a slice end, and the
# non-intrusive strategy's safe-point detection, see of a real competing
# guest. The main thread exits once the counters run; the host ends the run.
        .include "../../guest-kernel/abi.inc"
        .ifndef THREADS
        .equ    THREADS, 1
        .endif
        .org    0x00400000
        .text
_start:
        la      a0, hog
        li      a1, THREADS
        call    start_threads
        li      a0, 0
        call    exit

# hog(a0 = thread index): count in counts[index] forever.
hog:
        slli    t0, a0, 2
        la      t1, counts
        add     t0, t0, t1
1:      lw      t1, 0(t0)
        addi    t1, t1, 1
        sw      t1, 0(t0)
        j       1b

        .include "ulib.inc"
        .data
counts: .space  THREADS * 4
