# kernel.s: the paravm SMP guest kernel, one concern per file in boot order.
# Assemble this file; it includes the rest. See README.md.
        .include "kernel.inc"
        .text
        .include "10-boot.s"
        .include "20-console.s"
        .include "30-spinlock.s"
        .include "32-qspinlock.s"
        .include "40-pages.s"
        .include "50-addrspace.s"
        .include "60-thread.s"
        .include "70-sched.s"
        .include "80-trap.s"
        .include "85-syscall.s"
        .include "87-net.s"
        .include "88-fcache.s"
        .include "90-mailbox.s"
        .include "95-balloon.s"
        .include "99-data.s"
