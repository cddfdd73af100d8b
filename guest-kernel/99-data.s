# 99-data.s: the kernel's data. The host writes bootopts, modules and
# modules_end before the run, and reads percpu, locks and the counters
# through the image's symbols after it (guest-kernel/boot.ts).
        .data
        .align  12
infopages:      .space  MAX_CPUS * 4096         # one shared info page per CPU
netarea:        .space  4096                    # the network device's rings (isa/net.ts)
txbufs:         .space  MAX_CPUS * NET_MAX_SEGMENT  # one transmit buffer per CPU

        .global bootopts, modules, modules_end, percpu, locks, lock_count, threads, procs, counter, acct
bootopts:
        .word   LOCK_TTAS                       # BO_LOCK_KIND
        .word   0                               # BO_HINTS
        .word   0                               # BO_DEBUG_LOCKS
        .word   100000                          # BO_TICK: 1 ms at 100 MHz
        .word   4                               # BO_SLICE_TICKS
        .word   4                               # BO_BALANCE_TICKS
        .word   2                               # BO_BALANCE_THRESHOLD
        .word   0                               # BO_MEMTOP (set at boot)
        .word   0                               # BO_NMODULES
        .word   0                               # BO_NINIT
        .space  4 * MAX_MODULES                 # BO_INIT
        .word   0                               # BO_PVSPIN
        .word   0                               # BO_PREEMPT_CHECK
        .word   1024                            # BO_PV_SPINS
        .word   0                               # BO_STEAL_BALANCE
        .word   0                               # BO_NET
        .word   0                               # BO_MUTEX
modules:        .space  MAX_MODULES * M_SIZE
modules_end:    .word   0
ncpus:          .word   0
next_pid:       .word   1
next_tid:       .word   MAX_CPUS
live_procs:     .word   0
free_pages:     .word   0, 0                    # list head, count
counter:        .word   0, 0                    # SYS_COUNT: value, history index
                .space  16 * 8 + 4              # history ring, checksum

        .align  7
percpu:         .space  MAX_CPUS * C_SIZE
pvhash:         .space  PV_HASH_SIZE * 8        # pv-qspinlock: halted queue heads by lock (lock, node; lock 0 = free)
threads:        .space  MAX_THREADS * T_SIZE
procs:          .space  MAX_PROCS * P_SIZE
boxes:          .space  NBOXES * B_SIZE
conns:          .space  MAX_CONNS * K_SIZE
conn_hash:      .space  CONN_BUCKETS * 4        # open connections by K_ID
fcache:         .space  NET_MAX_FILES * FC_SIZE
fc_buckets:     .space  FC_BUCKETS * 4
acct:           .space  A_SIZE
        .global acct_mutex
acct_mutex:     .word   0, 0, locks + LK_ACCT * L_SIZE   # request accounting with BO_MUTEX (34-mutex.s)
                .space  MX_SIZE - 12
acct_log:       .space  LOG_BYTES               # the access log ring
log_line:       .space  64                      # the line being formatted (LK_ACCT)
net_waiters:    .word   0                       # threads blocked in SYS_ACCEPT, by T_NEXT
linebufs:       .space  MAX_CPUS * 128

# The lock table: every spinlock of the kernel, with its class name.
.macro lockdef name
        .word   0, 0, 0, 0, 0, 0, 0, 0, 0, 0, \name, 0, 0, 0, 0, 0
.endm
locks:
        lockdef lkn_proc
        .rept   NBOXES
        lockdef lkn_box
        .endr
        lockdef lkn_net
        lockdef lkn_conn
        lockdef lkn_fcache
        lockdef lkn_acct
        .rept   MAX_CPUS
        lockdef lkn_rq
        .endr
        lockdef lkn_page
        lockdef lkn_counter
lock_count:     .word   NLOCKS

lkn_proc:       .asciz  "proc"
lkn_box:        .asciz  "mailbox"
lkn_rq:         .asciz  "runqueue"
lkn_page:       .asciz  "page"
lkn_net:        .asciz  "netdev"
lkn_conn:       .asciz  "conntable"
lkn_fcache:     .asciz  "filecache"
lkn_acct:       .asciz  "accounting"
lkn_counter:    .asciz  "counter"

msg_panic:      .asciz  "kernel panic: "
msg_cpu:        .asciz  " (cpu "
msg_pc:         .asciz  ", pc "
msg_close:      .asciz  ")\n"
msg_cpus:       .asciz  "more VCPUs than MAX_CPUS"
msg_start:      .asciz  "HC_VCPU_START failed"
msg_spawn:      .asciz  "cannot spawn a boot process"
msg_double:     .asciz  "spinlock acquired twice by the same CPU"
msg_nonowner:   .asciz  "spinlock released by a CPU that does not hold it"
msg_qkick:      .asciz  "pv-qspinlock: kick for a queue node that is not a halted head"
msg_qhash:      .asciz  "pv-qspinlock: no hashed head for a slow unlock"
msg_ktrap:      .asciz  "trap in kernel mode"
msg_twice_queued: .asciz "assertion failed: a thread queued twice"
msg_ie_on:      .asciz  "assertion failed: scheduling with interrupts enabled"
msg_exit_kthread: .asciz "assertion failed: a kernel thread called thread_exit"
msg_killed:     .asciz  "kernel: process "
msg_open:       .asciz  " ("
msg_killed2:    .asciz  ") killed: "
msg_atpc:       .asciz  " at pc "
msg_addr:       .asciz  ", address "
msg_oncpu:      .asciz  ", cpu "
msg_net:        .asciz  "HC_NET_SETUP failed"
msg_fcache:     .asciz  "the file cache does not fit in memory"
msg_alldone:    .asciz  "kernel: all processes have exited; shutting down\n"

        .align  2
cause_names:
        .word   cn_0, cn_1, cn_2, cn_3, cn_4, cn_5, cn_6, cn_7, cn_8, cn_9, cn_10, cn_11, cn_12
cn_0:   .asciz  "cause 0"
cn_1:   .asciz  "SYSCALL"
cn_2:   .asciz  "BREAKPOINT"
cn_3:   .asciz  "ILLEGAL_INSTRUCTION"
cn_4:   .asciz  "PRIVILEGED_INSTRUCTION"
cn_5:   .asciz  "MISALIGNED_FETCH"
cn_6:   .asciz  "MISALIGNED_LOAD"
cn_7:   .asciz  "MISALIGNED_STORE"
cn_8:   .asciz  "FETCH_PAGE_FAULT"
cn_9:   .asciz  "LOAD_PAGE_FAULT"
cn_10:  .asciz  "STORE_PAGE_FAULT"
cn_11:  .asciz  "BUS_ERROR"
cn_12:  .asciz  "DIVIDE_BY_ZERO"

        .align  12
kstacks:        .space  MAX_THREADS * KSTACK_SIZE
kernel_end:
