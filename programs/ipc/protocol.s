# protocol.s: the key-value service's protocol, shared by server and client.
# A request is an IPC_CALL with a3 = operation, a4 and a5 = arguments; the
# reply (an IPC_SEND back to the caller) has a3 = status (0 = ok), a4 = value.
        .equ    OP_PUT, 1               # a4 = key, a5 = value
        .equ    OP_GET, 2               # a4 = key                  -> a4 = value
        .equ    OP_MAP, 3               # a4 = grant id, a5 = pages: map the caller's pages
        .equ    OP_UPPER, 4             # a4 = length: upper-case that many bytes of the mapped pages in place
        .equ    OP_QUIT, 5              # the server prints its statistics and shuts down
        .equ    ST_OK, 0
        .equ    ST_BADOP, 1
        .equ    ST_NOMAP, 2             # OP_UPPER before OP_MAP
        .equ    ST_REVOKED, 3           # the mapped pages faulted: the client revoked them
        .equ    KEYS, 64                # keys are taken modulo KEYS
