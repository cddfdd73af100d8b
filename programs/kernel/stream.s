# stream.s: a continuing stream of JOBS CPU-bound jobs for the steady-state
# time-ballooning runs. The main thread draws, from a linear congruential
# generator seeded with SEED (the constants of the C standard's example
# rand(), ISO/IEC 9899 7.22.2), each job's gap since the previous arrival,
# uniform in [0, 2 GAP] microseconds (GAP below 65,000), and its length: LONG units with
# probability 1/4, else SHORT units (a unit is 1,000 loop iterations, as in
# jobs.s). The bimodal mix has no source: it is a mix of short and long jobs
# so that where the long ones run matters. Arrivals are at absolute times
# (the sum of the gaps), so the sleeps' rounding to the tick does not slow
# the stream down. A job that finds the kernel's thread table full (a
# backlog of MAX_THREADS) waits for a free entry, its arrival time kept. Each job records its arrival and
# finish times; when all are done the main thread prints one line per job
# ("job I work W from S to T", cycles) and "stream: all done".
#   npx paravm boot --vcpus 2 -D JOBS=6 -D SHORT=100 -D LONG=400 -D GAP=500 programs/kernel/stream.s
# expect: stream: all done
        .include "../../guest-kernel/abi.inc"
        .include "work.inc"
        .ifndef JOBS
        .equ    JOBS, 6
        .endif
        .ifndef SHORT
        .equ    SHORT, 100
        .endif
        .ifndef LONG
        .equ    LONG, 400
        .endif
        .ifndef GAP
        .equ    GAP, 500
        .endif
        .ifndef SEED
        .equ    SEED, 1
        .endif
        .org    0x00400000
        .text
        .global progress, work, times
_start:
        li      s1, SEED                        # the generator's state
        li      a0, SYS_TIME
        syscall
        mv      s2, a0                          # the next arrival (cycles): gaps add up without the sleeps' rounding
        li      s0, 0
1:      call    next                            # gap: uniform in [0, 2 GAP] us
        li      t0, 2 * GAP + 1                 # scaled, not reduced modulo: no bias toward short gaps
        mul     a0, a0, t0
        srli    a0, a0, 15
        li      t0, CYCLES_PER_US
        mul     a0, a0, t0
        add     s2, s2, a0
        li      a0, SYS_TIME
        syscall
        sub     a1, s2, a0
        blez    a1, 2f
        li      t0, CYCLES_PER_US
        divu    a1, a1, t0
        li      a0, SYS_SLEEP
        syscall
2:      call    next                            # length: LONG with probability 1/4
        andi    a0, a0, 3
        li      t1, SHORT
        bnez    a0, 3f
        li      t1, LONG
3:      slli    t0, s0, 2
        la      t2, work
        add     t0, t0, t2
        sw      t1, 0(t0)
        li      a0, SYS_TIME                    # times[i] = (arrival, finish)
        syscall
        slli    t0, s0, 3
        la      t2, times
        add     t0, t0, t2
        sw      a0, 0(t0)
7:      li      a0, SYS_THREAD
        la      a1, job
        mv      a2, s0
        syscall
        bgez    a0, 8f
        li      a0, SYS_SLEEP                   # the thread table is full: the job waits (its time counts) and retries
        li      a1, 1000
        syscall
        j       7b
8:
        addi    s0, s0, 1
        li      t0, JOBS
        bne     s0, t0, 1b
4:      li      a0, SYS_SLEEP                   # wait for every job, polling each millisecond
        li      a1, 1000
        syscall
        li      s0, 0
5:      slli    t0, s0, 3
        la      t2, times
        add     t0, t0, t2
        lw      t1, 4(t0)
        beqz    t1, 4b
        addi    s0, s0, 1
        li      t0, JOBS
        bne     s0, t0, 5b
        li      s0, 0
6:      la      a0, msg_job
        mv      a1, s0
        call    putfield
        slli    t0, s0, 2
        la      t2, work
        add     t0, t0, t2
        lw      a1, 0(t0)
        la      a0, msg_work
        call    putfield
        slli    s2, s0, 3
        la      t2, times
        add     s2, s2, t2
        lw      a1, 0(s2)
        la      a0, msg_from
        call    putfield
        lw      a1, 4(s2)
        la      a0, msg_to
        call    putline
        addi    s0, s0, 1
        li      t0, JOBS
        bne     s0, t0, 6b
        la      a0, msg_done
        call    puts
        li      a0, 0
        call    exit
# next() -> a0: the generator's next 15 bits (s1 = s1 * 1103515245 + 12345; bits 16..30)
next:
        li      t0, 1103515245
        mul     s1, s1, t0
        li      t0, 12345
        add     s1, s1, t0
        srli    a0, s1, 16
        li      t0, 0x7fff
        and     a0, a0, t0
        ret

# job(a0 = index): work[i] units, counted in progress[i], then times[i].finish
job:
        mv      s3, a0
        slli    s0, a0, 2
        la      t0, progress
        add     s0, s0, t0
        la      t0, work
        slli    t1, a0, 2
        add     t0, t0, t1
        lw      s1, 0(t0)
        work_units s0, s1, 1000
        li      a0, SYS_TIME
        syscall
        slli    s2, s3, 3
        la      t0, times
        add     s2, s2, t0
        sw      a0, 4(s2)
        li      a0, 0
        call    exit

        .include "putfield.inc"

        .include "ulib.inc"
        .data
msg_job:  .asciz  "job "
msg_work: .asciz  " work "
msg_from: .asciz  " from "
msg_to:   .asciz  " to "
msg_done: .asciz  "stream: all done\n"
        .align  2
progress: .space  JOBS * 4
work:     .space  JOBS * 4
times:    .space  JOBS * 8
