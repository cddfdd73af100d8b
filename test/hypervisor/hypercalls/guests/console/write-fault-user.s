# console/write-fault-user.s: CONSOLE_WRITE from user mode returns E_FAULT
# for a kernel buffer, an unmapped page and a buffer running into an
# unmapped page; a buffer in the user's own page is written.
# expect: from user mode
# expect-word: res[0] = E_FAULT, E_FAULT, E_FAULT, 15
        .include "common/user.inc"
_start:
        la      t0, handler
        csrw    CSR_TVEC, t0
        enter_user_mode
handler:
        trap_save
        trap_end
kmsg:   .ascii  "kern"
        .balign 4
        .include "lib/user.s"
        .balign 4096
user_code:
        hc      HC_CONSOLE_WRITE, kmsg, 4               # kernel memory from user mode
        keep    a0, 0
        hc      HC_CONSOLE_WRITE, 0x00800000, 4         # unmapped
        keep    a0, 1
        hc      HC_CONSOLE_WRITE, UDATA_VA + 4090, 10   # last 6 bytes mapped, then unmapped
        keep    a0, 2
        hc      HC_CONSOLE_WRITE, USER_VA + (umsg - user_code), umsg_end - umsg
        keep    a0, 3
        syscall
1:      j       1b
umsg:   .ascii  "from user mode\n"
umsg_end:
        .include "common/udata.inc"
