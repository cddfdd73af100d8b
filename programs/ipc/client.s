# client.s: uses the key-value service in VM SERVER (0, see machine.json)
# through IPC_CALL, then shares a page with it: GRANT, ask the server to map
# it, let the server upper-case a string in this VM's memory, revoke, and
# see the server's next access fail on its side (ST_REVOKED) while both VMs
# keep running.
        .include "protocol.s"
        .equ    SERVER, 0
        .text
        .global _start
_start:
        li      s1, 1                   # PUT key k -> k*k for k = 1..10
1:      li      a3, OP_PUT
        mv      a4, s1
        mul     a5, s1, s1
        call    request
        addi    s1, s1, 1
        li      t0, 11
        bne     s1, t0, 1b

        li      s1, 7                   # GET 7 and 9
        call    show_get
        li      s1, 9
        call    show_get

        li      a0, HC_GRANT            # share one page, writable
        li      a1, SERVER
        la      a2, shared
        li      a3, 1
        li      a4, GRANT_WRITE
        hcall
        mv      s2, a0                  # grant id
        li      a3, OP_MAP
        mv      a4, s2
        li      a5, 1
        call    request

        la      a0, shared              # the server edits our page in place
        call    strlen
        mv      a4, a0
        li      a3, OP_UPPER
        call    request
        la      a0, msg_upper
        call    puts
        la      a0, shared
        call    puts
        call    newline

        li      a0, HC_GRANT_REVOKE     # take the page back
        mv      a1, s2
        hcall
        la      a0, shared
        call    strlen
        mv      a4, a0
        li      a3, OP_UPPER
        call    request                 # the server faults on its side
        mv      s3, a3
        la      a0, msg_revoked
        call    puts
        mv      a0, s3
        call    putint
        call    newline

        li      a3, OP_QUIT
        call    request
        la      a0, msg_done
        call    puts
        li      a1, 0
        li      a0, HC_SHUTDOWN
        hcall

# request(a3 = op, a4, a5): IPC_CALL the server; returns a3 = status, a4 = value.
request:
        li      a0, HC_IPC_CALL
        li      a1, SERVER
        li      a2, IPC_FOREVER
        hcall
        ret

# show_get(s1 = key): print "get KEY -> VALUE"
show_get:
        mv      s3, ra
        li      a3, OP_GET
        mv      a4, s1
        call    request
        mv      s0, a4
        la      a0, msg_get
        call    puts
        mv      a0, s1
        call    putint
        la      a0, msg_arrow
        call    puts
        mv      a0, s0
        call    putint
        call    newline
        mv      ra, s3
        ret

# strlen(a0) -> a0
strlen:
        mv      t0, a0
1:      lbu     t1, 0(t0)
        beqz    t1, 2f
        addi    t0, t0, 1
        j       1b
2:      sub     a0, t0, a0
        ret

        .include "../lib/io.s"

        .data
msg_get:     .asciz "client: get "
msg_arrow:   .asciz " -> "
msg_upper:   .asciz "client: the server upper-cased our shared page: "
msg_revoked: .asciz "client: after revoking the grant, the server answered status "
msg_done:    .asciz "client: done\n"
        .align  12
shared: .asciz  "hello from the client vm, in a page granted to the server"
        .space  4096 - 58
