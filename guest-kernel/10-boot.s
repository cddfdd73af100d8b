# 10-boot.s: boot. VCPU 0 enters at _start in kernel mode with sp at the top
# of memory: it records the memory size, builds the page allocator, sets up
# its own CPU, starts the other VCPUs through the hypervisor, spawns the boot
# processes and becomes CPU 0's idle thread. Every other VCPU enters at
# secondary_entry on its idle thread's kernel stack.
        .global _start
_start:
        li      t0, KERNEL_BASE
        sub     t0, sp, t0
        la      t1, bootopts
        sw      t0, BO_MEMTOP(t1)
        la      sp, kstacks + KSTACK_SIZE       # thread 0 = CPU 0's idle thread
        hc      HC_VCPU_COUNT
        la      t0, ncpus
        sw      a0, 0(t0)
        li      t1, MAX_CPUS
        bgt     a0, t1, too_many_cpus
        la      t0, bootopts
        lw      t0, BO_NET(t0)
        beqz    t0, 1f
        call    net_init                        # the network device, and the file cache below BO_MEMTOP
        call    fcache_init
1:      call    page_init
        li      a0, 0
        call    cpu_init
        call    start_secondaries
        call    spawn_init
        j       idle_loop

too_many_cpus:
        la      a0, msg_cpus
        li      a1, 0
        j       panic

# start_secondaries: HC_VCPU_START for CPUs 1..ncpus-1, each on its idle thread's stack.
start_secondaries:
        push    ra
        push    s0
        li      s0, 1
1:      la      t0, ncpus
        lw      t0, 0(t0)
        bge     s0, t0, 2f
        mv      a1, s0
        la      a2, secondary_entry
        addi    a3, s0, 1
        slli    a3, a3, 12                      # KSTACK_SIZE
        la      t0, kstacks
        add     a3, a3, t0
        mv      a4, s0
        hc      HC_VCPU_START
        bnez    a0, 3f
        addi    s0, s0, 1
        j       1b
2:      pop     s0
        pop     ra
        ret
3:      la      a0, msg_start
        li      a1, 0
        j       panic

secondary_entry:                                # a0 = cpu, sp = its idle stack
        call    cpu_init
        j       idle_loop

# cpu_init(a0 = cpu): per-CPU area, idle thread, trap vector, info page, interrupts, first tick.
cpu_init:
        push    ra
        push    s0
        push    s1
        mv      s0, a0
        slli    s1, a0, C_SHIFT
        la      t0, percpu
        add     s1, s1, t0                      # s1 = per-CPU area
        sw      s0, C_ID(s1)
        li      t0, LK_RQ0
        add     t0, t0, s0
        li      t1, L_SIZE
        mul     t0, t0, t1
        la      t1, locks
        add     t0, t0, t1
        sw      t0, C_LOCK(s1)
        slli    t0, s0, T_SHIFT                 # idle thread = TCB s0
        la      t1, threads
        add     t0, t0, t1
        sw      t0, C_IDLE(s1)
        sw      t0, C_CURRENT(s1)
        li      t1, TS_RUNNING
        sw      t1, T_STATE(t0)
        li      t1, TK_IDLE
        sw      t1, T_KIND(t0)
        sw      s0, T_PIN(t0)
        sw      s0, T_CPU(t0)
        sw      s0, T_TID(t0)
        addi    t1, s0, 1
        slli    t1, t1, 12
        la      t2, kstacks
        add     t1, t1, t2
        sw      t1, T_KSTACK(t0)
        la      t0, trap_entry
        csrw    CSR_TVEC, t0
        csrw    CSR_SCRATCH, zero               # 0 = in the kernel (see 80-trap.s)
        slli    a1, s0, 12                      # info page s0
        la      t0, infopages
        add     a1, a1, t0
        sw      a1, C_INFO(s1)
        hc      HC_INFO_REGISTER
        li      t0, (1 << IRQ_TIMER) | (1 << IRQ_IPI) | (1 << IRQ_HV) | (1 << IRQ_NET)
        csrw    CSR_IMASK, t0
        call    tick_arm
        pop     s1
        pop     s0
        pop     ra
        ret

# spawn_init: the processes the host listed in bootopts (module | arg << 8).
spawn_init:
        push    ra
        push    s0
        li      s0, 0
1:      la      t0, bootopts
        lw      t1, BO_NINIT(t0)
        bge     s0, t1, 2f
        slli    t1, s0, 2
        add     t1, t1, t0
        lw      t1, BO_INIT(t1)
        andi    a0, t1, 0xff
        srai    a1, t1, 8
        call    proc_spawn
        bltz    a0, 3f
        addi    s0, s0, 1
        j       1b
2:      pop     s0
        pop     ra
        ret
3:      la      a0, msg_spawn
        li      a1, 0
        j       panic
