/**
 * The paravirtual network device's shared layout and its file contents, declared
 * once: the "net area" (one page of guest memory the guest registers with
 * HC_NET_SETUP), its rx and tx descriptors, and the files the load generator
 * requests, with their contents and the response checksum. The device
 * (hypervisor/devices/net.ts) and the guest's driver both follow this file;
 * the assembler predefines NET_<FIELD>, the constants below, RXD_*, TXD_*
 * and TXF_*, so guest code writes `lw t0, NET_RX_PROD(s1)`.
 */
import { byName } from './table.ts';

export interface NetField {
  readonly name: string;
  readonly offset: number;
  readonly bytes: number;
  readonly writer: 'device' | 'guest';
  readonly summary: string;
}

/** Descriptors in each ring; a counter c names slot c & (NET_RING_ENTRIES - 1). */
export const NET_RING_ENTRIES = 64;
/** Bytes of one rx or tx descriptor. */
export const NET_DESC_BYTES = 16;
/** Largest file set. */
export const NET_MAX_FILES = 192;
/** Bytes of the page the layout uses (the rest of the 4 KiB page is free for the guest). */
export const NET_AREA_BYTES = 0xc00;
/** Longest tx descriptor, in bytes. */
export const NET_MAX_SEGMENT = 4096;
/** Most load-generator clients (each has at most one request outstanding, so the rx ring never overflows). */
export const NET_MAX_CLIENTS = NET_RING_ENTRIES;

export const NET_FIELDS = [
  { name: 'RX_PROD', offset: 0x00, bytes: 4, writer: 'device', summary: 'requests the device has put in the rx ring (free-running counter)' },
  { name: 'RX_CONS', offset: 0x04, bytes: 4, writer: 'guest', summary: 'requests the guest has taken from the rx ring (free-running counter)' },
  { name: 'TX_PROD', offset: 0x08, bytes: 4, writer: 'guest', summary: 'tx descriptors the guest has posted (free-running counter)' },
  { name: 'TX_CONS', offset: 0x0c, bytes: 4, writer: 'device', summary: 'tx descriptors the device has consumed (free-running counter)' },
  { name: 'FILES', offset: 0x10, bytes: 4, writer: 'device', summary: 'number of files in the file set (written at setup)' },
  { name: 'FILE_SIZES', offset: 0x100, bytes: NET_MAX_FILES * 4, writer: 'device', summary: `one word per file (${NET_MAX_FILES}): byte size of file i, a multiple of 4; 0 beyond FILES (written at setup)` },
  { name: 'RX_RING', offset: 0x400, bytes: NET_RING_ENTRIES * NET_DESC_BYTES, writer: 'device', summary: `${NET_RING_ENTRIES} rx descriptors (RXD_*): one request each` },
  { name: 'TX_RING', offset: 0x800, bytes: NET_RING_ENTRIES * NET_DESC_BYTES, writer: 'guest', summary: `${NET_RING_ENTRIES} tx descriptors (TXD_*): one response segment each` },
] as const satisfies readonly NetField[];

export interface DescField {
  readonly name: string;
  readonly offset: number;
  readonly summary: string;
}

/** An rx descriptor: one request. */
export const RX_DESC_FIELDS = [
  { name: 'CONN', offset: 0, summary: 'connection id: (request number of the client << 8) | client index; unique per request' },
  { name: 'FILE', offset: 4, summary: 'index of the requested file (0..FILES-1)' },
] as const satisfies readonly DescField[];

/** A tx descriptor: one segment of a response. */
export const TX_DESC_FIELDS = [
  { name: 'CONN', offset: 0, summary: 'connection id of the request this segment answers (from its rx descriptor)' },
  { name: 'ADDR', offset: 4, summary: 'kernel-segment address of the bytes' },
  { name: 'LEN', offset: 8, summary: `bytes, 1..NET_MAX_SEGMENT (${NET_MAX_SEGMENT}), a multiple of 4` },
  { name: 'FLAGS', offset: 12, summary: 'TXF_* bits' },
] as const satisfies readonly DescField[];

export const TX_FLAGS = [
  { name: 'LAST', value: 1, summary: 'the last segment of a response: the response is complete' },
] as const;
export const TXF_LAST = 1;

/** Constants the assembler predefines under their own names. */
export const NET_CONSTANTS: readonly { readonly name: string; readonly value: number; readonly summary: string }[] = [
  { name: 'NET_RING_ENTRIES', value: NET_RING_ENTRIES, summary: 'descriptors per ring (slot = counter & (NET_RING_ENTRIES - 1))' },
  { name: 'NET_DESC_BYTES', value: NET_DESC_BYTES, summary: 'bytes per descriptor' },
  { name: 'NET_MAX_FILES', value: NET_MAX_FILES, summary: 'largest file set (words in FILE_SIZES)' },
  { name: 'NET_AREA_BYTES', value: NET_AREA_BYTES, summary: 'bytes of the page the layout uses' },
  { name: 'NET_MAX_SEGMENT', value: NET_MAX_SEGMENT, summary: 'longest tx descriptor, in bytes' },
];

export const NET = byName(NET_FIELDS, 'name', 'offset');
export const RXD = byName(RX_DESC_FIELDS, 'name', 'offset');
export const TXD = byName(TX_DESC_FIELDS, 'name', 'offset');

/** Every assembler symbol of this file, in table order. */
export function netSymbols(): [string, number][] {
  return [
    ...NET_FIELDS.map((f): [string, number] => [`NET_${f.name}`, f.offset]),
    ...NET_CONSTANTS.map((c): [string, number] => [c.name, c.value]),
    ...RX_DESC_FIELDS.map((f): [string, number] => [`RXD_${f.name}`, f.offset]),
    ...TX_DESC_FIELDS.map((f): [string, number] => [`TXD_${f.name}`, f.offset]),
    ...TX_FLAGS.map((f): [string, number] => [`TXF_${f.name}`, f.value]),
  ];
}

export const NET_AREA_NOTE = 'One page-aligned 4 KiB page of the VM\'s memory, registered once per VM with HC_NET_SETUP '
  + '(a kernel-segment address); little-endian words. Both rings are single-producer single-consumer with free-running '
  + 'u32 counters: descriptor c lives in slot c & (NET_RING_ENTRIES - 1). Rx: the device writes a descriptor, then '
  + 'increments RX_PROD and raises IRQ_NET on one VCPU of the VM (round-robin over the started VCPUs); the guest takes '
  + 'descriptors up to RX_PROD and advances RX_CONS. The rx ring cannot overflow: there are at most NET_RING_ENTRIES '
  + 'clients, each with at most one request outstanding. Tx: the guest writes descriptors, advances TX_PROD, and calls '
  + 'HC_NET_NOTIFY, which consumes every descriptor up to TX_PROD before it returns (the buffers are free again) and '
  + 'advances TX_CONS. A response is one or more tx descriptors with the request\'s CONN, the last one flagged TXF_LAST.';

export const NET_FILE_NOTE = 'The file set: FILES files, sizes drawn from a seeded generator resembling SPECweb99 static '
  + 'content (35% of 100..900 bytes, 50% of 1..9 KB, 15% of 10..90 KB: base x k for k uniform in 1..9, rounded up to a '
  + 'multiple of 4), requested with Zipf popularity (file i has weight 1 / (i + 1)). Word j of file f is '
  + '`(((f << 20) + j) * 0x9E3779B1) mod 2^32`. A response is correct when it carries exactly the file\'s bytes: the '
  + 'device checks its length and its FNV-1a checksum over words (h = 2166136261; per word w: h = (h ^ w) * 16777619 mod 2^32).';

// ---- the file set ---------------------------------------------------------------

/** Default number of files. */
export const NET_DEFAULT_FILES = 64;

/** Word j (little-endian, at byte 4j) of file f. */
export function fileWord(f: number, j: number): number {
  return Math.imul((f << 20) + j, 0x9e3779b1) >>> 0;
}

export const FNV_OFFSET = 2166136261;
export const FNV_PRIME = 16777619;

/** One FNV-1a step over a word. */
function fnvWord(h: number, w: number): number {
  return Math.imul(h ^ w, FNV_PRIME) >>> 0;
}

/** FNV-1a over the words of file f of `size` bytes: what a correct response hashes to. */
export function fileChecksum(f: number, size: number): number {
  let h = FNV_OFFSET;
  for (let j = 0; j < size >>> 2; j++) h = fnvWord(h, fileWord(f, j));
  return h;
}
