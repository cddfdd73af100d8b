# parallel.s: a CPU-bound parallel job. JOBS threads each do WORK units of
# computation and count their progress in progress[i] (user memory the host
# can read by symbol); each reports to mailbox BOX when done, with the CPU it
# finished on; the main thread waits for all of them.
# expect: parallel: 8 jobs done
        .include "../../guest-kernel/abi.inc"
        .include "work.inc"
        .equ    JOBS, 8
        .equ    WORK, 400
        .equ    BOX, 3
        .org    0x00400000
        .text
        .global progress
_start:
        la      a0, job
        li      a1, JOBS
        call    start_threads
        li      a0, BOX                         # every job reports when done
        li      a1, JOBS
        call    collect
        la      a0, msg
        call    puts
        li      a0, 0
        call    exit

# job(a0 = index): WORK units of 200 iterations each, counted in progress[index]
job:
        slli    s0, a0, 2
        la      t0, progress
        add     s0, s0, t0
        li      s1, WORK
        work_units s0, s1, 200
        li      a0, SYS_GETCPU
        syscall
        mv      a2, a0
        li      a0, SYS_SEND
        li      a1, BOX
        syscall
        li      a0, 0
        call    exit

        .include "ulib.inc"
        .data
msg:    .asciz  "parallel: 8 jobs done\n"
        .align  2
progress: .space JOBS * 4
