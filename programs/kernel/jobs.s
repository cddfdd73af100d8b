# jobs.s: JOBS CPU-bound jobs of WORK units each (a unit is 1,000 loop
# iterations), one thread per job, started on one CPU and spread by the
# guest's balancer. Each job counts its progress in progress[i] and, when
# done, sends its index to the main thread, which prints one line per job
# ("job I cpu C at T": the CPU it finished on and the virtual time in
# cycles) and then "jobs: all done". For the time-ballooning experiment:
#   npx paravm boot --vcpus 2 -D JOBS=5 -D WORK=2000 programs/kernel/jobs.s
# expect: jobs: all done
        .include "../../guest-kernel/abi.inc"
        .include "work.inc"
        .ifndef JOBS
        .equ    JOBS, 3
        .endif
        .ifndef WORK
        .equ    WORK, 200
        .endif
        .equ    BOX, 4
        .org    0x00400000
        .text
        .global progress, finished
_start:
        la      a0, job
        li      a1, JOBS
        call    start_threads
        li      s0, 0
2:      li      a0, SYS_RECV                    # one message per finished job: its index
        li      a1, BOX
        syscall
        mv      s1, a0
        la      a0, msg_job
        mv      a1, s1
        call    putfield
        slli    t0, s1, 3
        la      t1, finished
        add     t0, t0, t1
        lw      a1, 4(t0)
        la      a0, msg_cpu
        call    putfield
        slli    t0, s1, 3
        la      t1, finished
        add     t0, t0, t1
        lw      a1, 0(t0)
        la      a0, msg_at
        call    putline
        addi    s0, s0, 1
        li      t0, JOBS
        bne     s0, t0, 2b
        la      a0, msg_done
        call    puts
        li      a0, 0
        call    exit

# job(a0 = index)
job:
        mv      s3, a0
        slli    s0, a0, 2
        la      t0, progress
        add     s0, s0, t0
        li      s1, WORK
        work_units s0, s1, 1000
        slli    s2, s3, 3                       # finished[i] = (time, cpu)
        la      t0, finished
        add     s2, s2, t0
        li      a0, SYS_TIME
        syscall
        sw      a0, 0(s2)
        li      a0, SYS_GETCPU
        syscall
        sw      a0, 4(s2)
        li      a0, SYS_SEND
        li      a1, BOX
        mv      a2, s3
        syscall
        li      a0, 0
        call    exit

        .include "putfield.inc"

        .include "ulib.inc"
        .data
msg_job:  .asciz  "job "
msg_cpu:  .asciz  " cpu "
msg_at:   .asciz  " at "
msg_done: .asciz  "jobs: all done\n"
        .align  2
progress: .space  JOBS * 4
finished: .space  JOBS * 8
