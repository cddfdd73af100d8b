# trap.s: installs its own trap handler and survives traps: divide by zero,
# an illegal instruction, a breakpoint and a syscall in kernel mode; then it
# maps one user page, drops to user mode, and survives a privileged
# instruction and a load from kernel memory there. A syscall with a0 = 99
# from user mode ends the program.
#
# The handler swaps sp with CSR_SCRATCH on entry (SCRATCH holds the top of
# the trap stack), saves what it uses, names the cause, and returns past
# the faulting instruction.
#
# expect: trap: DIVIDE_BY_ZERO
# expect: trap: ILLEGAL_INSTRUCTION badaddr=0x000000ff
# expect: trap: BREAKPOINT
# expect: trap: SYSCALL
# expect: now in user mode
# expect: trap: PRIVILEGED_INSTRUCTION badaddr=0x00000074
# expect: trap: LOAD_PAGE_FAULT badaddr=0x80000000
# expect: trap: SYSCALL
# expect: survived 7 traps
        .equ    USER_VA, 0x00400000
        .text
        .global _start
_start:
        la      t0, handler
        csrw    CSR_TVEC, t0
        la      t0, trap_stack_top
        csrw    CSR_SCRATCH, t0

        li      t0, 1
        div     t1, t0, zero            # DIVIDE_BY_ZERO
        .word   0x000000ff              # unassigned opcode: ILLEGAL_INSTRUCTION
        break
        syscall

        call    map_user_page           # lib/user.s
        j       enter_user              # to user mode at USER_VA

handler:
        csrrw   sp, CSR_SCRATCH, sp
        addi    sp, sp, -40
        sw      ra, 0(sp)
        sw      a0, 4(sp)
        sw      a1, 8(sp)
        sw      a2, 12(sp)
        sw      a3, 16(sp)
        sw      a4, 20(sp)
        sw      a5, 24(sp)
        sw      t0, 28(sp)
        sw      t1, 32(sp)
        sw      t2, 36(sp)
        la      t0, ntraps
        lw      t1, 0(t0)
        addi    t1, t1, 1
        sw      t1, 0(t0)
        call    report_cause
        csrr    t0, CSR_CAUSE
        li      t1, CAUSE_SYSCALL
        bne     t0, t1, .skip
        csrr    t0, CSR_STATUS
        andi    t0, t0, STATUS_PKERNEL
        bnez    t0, .skip
        lw      t0, 4(sp)               # the user's a0
        li      t1, 99
        beq     t0, t1, finish
.skip:
        csrr    t0, CSR_EPC
        addi    t0, t0, 4
        csrw    CSR_EPC, t0
        lw      ra, 0(sp)
        lw      a0, 4(sp)
        lw      a1, 8(sp)
        lw      a2, 12(sp)
        lw      a3, 16(sp)
        lw      a4, 20(sp)
        lw      a5, 24(sp)
        lw      t0, 28(sp)
        lw      t1, 32(sp)
        lw      t2, 36(sp)
        addi    sp, sp, 40
        csrrw   sp, CSR_SCRATCH, sp
        eret

# report_cause(): "trap: NAME" and, for causes with an address, "badaddr=0x...".
report_cause:
        addi    sp, sp, -8
        sw      ra, 0(sp)
        sw      s0, 4(sp)
        la      a0, s_trap
        call    puts
        csrr    t0, CSR_CAUSE
        la      t1, cause_names
1:      lw      t2, 0(t1)
        beq     t2, t0, 2f
        addi    t1, t1, 12
        j       1b
2:      lw      a0, 4(t1)
        lw      s0, 8(t1)               # 1 if BADADDR is worth printing
        call    puts
        beqz    s0, 3f
        la      a0, s_badaddr
        call    puts
        csrr    a0, CSR_BADADDR
        call    puthex
3:      call    newline
        lw      ra, 0(sp)
        lw      s0, 4(sp)
        addi    sp, sp, 8
        ret

finish:
        la      a0, s_survived
        call    puts
        la      t0, ntraps
        lw      a0, 0(t0)
        call    putint
        la      a0, s_traps
        call    puts
        li      a0, 0
        j       exit

        .include "lib/io.s"
        .include "lib/user.s"

# The user page: position-independent code and its message.
        .balign 4096
user_code:
        li      a0, HC_CONSOLE_WRITE
        li      a1, USER_VA + (user_msg - user_code)
        li      a2, user_msg_end - user_msg
        hcall
        ei                              # privileged in user mode
        li      t0, KERNEL_BASE
        lw      t1, 0(t0)               # kernel memory from user mode
        li      a0, 99
        syscall                         # "exit"
1:      j       1b
user_msg:
        .ascii  "now in user mode\n"
user_msg_end:

        .data
# (cause code, name, print BADADDR?) triples, searched linearly.
cause_names:
        .word   CAUSE_SYSCALL, n_syscall, 0
        .word   CAUSE_BREAKPOINT, n_break, 0
        .word   CAUSE_ILLEGAL_INSTRUCTION, n_illegal, 1
        .word   CAUSE_PRIVILEGED_INSTRUCTION, n_priv, 1
        .word   CAUSE_LOAD_PAGE_FAULT, n_lpf, 1
        .word   CAUSE_DIVIDE_BY_ZERO, n_div0, 0
n_syscall:  .asciz "SYSCALL"
n_break:    .asciz "BREAKPOINT"
n_illegal:  .asciz "ILLEGAL_INSTRUCTION"
n_priv:     .asciz "PRIVILEGED_INSTRUCTION"
n_lpf:      .asciz "LOAD_PAGE_FAULT"
n_div0:     .asciz "DIVIDE_BY_ZERO"
s_trap:     .asciz "trap: "
s_badaddr:  .asciz " badaddr="
s_survived: .asciz "survived "
s_traps:    .asciz " traps\n"
            .balign 4
ntraps:     .word 0
trap_stack: .space 256
trap_stack_top:
            .balign 4096
pt_root:    .space 4096
pt_leaf:    .space 4096
