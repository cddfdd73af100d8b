/**
 * The paravm image container (.img): what the assembler writes and the
 * hypervisor loads. Little-endian, self-contained: loadable segments, entry
 * point, symbol table and the address-to-source line map used for fault
 * reports and traces.
 *
 *   offset  size  field
 *   0       4     magic "PVMI"
 *   4       2     version (1)
 *   6       2     flags: bit 0 = string 0 of the string table is the image's note (who
 *                 produced it); other bits 0
 *   8       4     entry point (virtual address)
 *   12      4     number of segments   (nseg)
 *   16      4     number of symbols    (nsym)
 *   20      4     number of source files (nfile)
 *   24      4     number of line entries (nline)
 *   28      4     size of the string table in bytes (nstr)
 *   32      20*nseg  segments: vaddr, file offset of data, size, flags (PTE_R|W|X bits), name (string offset)
 *   ...     12*nsym  symbols: value, name (string offset), kind (0 label, 1 constant) | global << 8
 *   ...     4*nfile  files: name (string offset)
 *   ...     12*nline line entries sorted by address: addr, file index, line
 *   ...     nstr  string table: NUL-terminated UTF-8 strings
 *   ...     segment data
 */
export const IMAGE_MAGIC = 0x494d5650; // "PVMI" read as a little-endian u32
export const IMAGE_VERSION = 1;

export interface Segment {
  readonly name: string;
  readonly vaddr: number;
  /** PTE.R | PTE.W | PTE.X bits, for loaders that map user programs. */
  readonly flags: number;
  readonly data: Uint8Array;
}

export interface ImageSymbol {
  readonly name: string;
  readonly value: number;
  readonly kind: 'label' | 'const';
  readonly global: boolean;
}

export interface LineEntry {
  readonly addr: number;
  readonly file: number;
  readonly line: number;
}

export interface Image {
  readonly entry: number;
  readonly segments: readonly Segment[];
  readonly symbols: readonly ImageSymbol[];
  readonly files: readonly string[];
  /** Sorted by address; an entry covers addresses up to the next entry. */
  readonly lines: readonly LineEntry[];
  /** Who produced the image (paravm's version, commit, Node and the command, as `paravm asm` writes it); nothing reads it to run. */
  readonly note?: string;
}

/** Header flag: string 0 is the note. */
const FLAG_NOTE = 1;

export class ImageFormatError extends Error {}

class StringTable {
  private readonly offsets = new Map<string, number>();
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  add(s: string): number {
    const known = this.offsets.get(s);
    if (known !== undefined) return known;
    const bytes = new TextEncoder().encode(`${s}\0`);
    this.offsets.set(s, this.size);
    this.parts.push(bytes);
    this.size += bytes.length;
    return this.size - bytes.length;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

export function writeImage(img: Image): Uint8Array {
  const strs = new StringTable();
  // The note, when there is one, is added first: it is string 0, which the flag points at.
  if (img.note !== undefined) strs.add(img.note);
  const segNames = img.segments.map((s) => strs.add(s.name));
  const symNames = img.symbols.map((s) => strs.add(s.name));
  const fileNames = img.files.map((f) => strs.add(f));
  const strBytes = strs.bytes();
  const headerSize = 32 + 20 * img.segments.length + 12 * img.symbols.length + 4 * img.files.length + 12 * img.lines.length;
  let dataOff = headerSize + strBytes.length;
  const total = dataOff + img.segments.reduce((n, s) => n + s.data.length, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  let o = 0;
  const u32 = (v: number) => { dv.setUint32(o, v >>> 0, true); o += 4; };
  u32(IMAGE_MAGIC);
  dv.setUint16(4, IMAGE_VERSION, true);
  dv.setUint16(6, img.note !== undefined ? FLAG_NOTE : 0, true);
  o = 8;
  for (const v of [img.entry, img.segments.length, img.symbols.length, img.files.length, img.lines.length, strBytes.length]) u32(v);
  img.segments.forEach((s, i) => {
    for (const v of [s.vaddr, dataOff, s.data.length, s.flags, segNames[i]!]) u32(v);
    out.set(s.data, dataOff);
    dataOff += s.data.length;
  });
  img.symbols.forEach((s, i) => {
    for (const v of [s.value, symNames[i]!, (s.kind === 'const' ? 1 : 0) | (s.global ? 0x100 : 0)]) u32(v);
  });
  for (const f of fileNames) u32(f);
  for (const l of img.lines) for (const v of [l.addr, l.file, l.line]) u32(v);
  out.set(strBytes, o);
  return out;
}

export function readImage(bytes: Uint8Array): Image {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number, what: string) => {
    if (end > bytes.length) throw new ImageFormatError(`truncated image: the ${what} run past the end of the file`);
  };
  if (bytes.length < 4 || dv.getUint32(0, true) !== IMAGE_MAGIC) throw new ImageFormatError('not a paravm image (bad magic)');
  need(32, 'header fields');
  const version = dv.getUint16(4, true);
  if (version !== IMAGE_VERSION) throw new ImageFormatError(`unsupported image version ${version}`);
  const flags = dv.getUint16(6, true);
  if ((flags & ~FLAG_NOTE) !== 0) throw new ImageFormatError(`unknown header flags 0x${flags.toString(16)}`);
  let o = 8;
  const u32 = () => { const v = dv.getUint32(o, true); o += 4; return v; };
  const [entry, nseg, nsym, nfile, nline, nstr] = [u32(), u32(), u32(), u32(), u32(), u32()];
  const strOff = 32 + 20 * nseg + 12 * nsym + 4 * nfile + 12 * nline;
  need(strOff + nstr, 'tables');
  const str = (off: number): string => {
    if (off >= nstr) throw new ImageFormatError(`string offset ${off} outside the string table`);
    const start = strOff + off;
    const end = bytes.indexOf(0, start);
    if (end < 0 || end >= strOff + nstr) throw new ImageFormatError('unterminated string');
    return new TextDecoder().decode(bytes.subarray(start, end));
  };
  const segments: Segment[] = [];
  for (let i = 0; i < nseg; i++) {
    const [vaddr, off, size, flags, name] = [u32(), u32(), u32(), u32(), u32()];
    need(off + size, `data of segment ${i}`);
    segments.push({ name: str(name), vaddr, flags, data: bytes.slice(off, off + size) });
  }
  const symbols: ImageSymbol[] = [];
  for (let i = 0; i < nsym; i++) {
    const [value, name, kind] = [u32(), u32(), u32()];
    symbols.push({ name: str(name), value, kind: (kind & 0xff) === 1 ? 'const' : 'label', global: (kind & 0x100) !== 0 });
  }
  const files: string[] = [];
  for (let i = 0; i < nfile; i++) files.push(str(u32()));
  const lines: LineEntry[] = [];
  for (let i = 0; i < nline; i++) lines.push({ addr: u32(), file: u32(), line: u32() });
  return { entry, segments, symbols, files, lines, ...(flags & FLAG_NOTE ? { note: str(0) } : {}) };
}

/** The label at or below addr, closest first: "name" or "name+0x10". */
export function nearestSymbol(img: Image, addr: number): { name: string; offset: number } | undefined {
  const a = addr >>> 0;
  let best: ImageSymbol | undefined;
  for (const s of img.symbols) {
    if (s.kind !== 'label' || s.value >>> 0 > a) continue;
    if (!best || s.value >>> 0 > best.value >>> 0 || (s.value === best.value && s.global && !best.global)) best = s;
  }
  return best && { name: best.name, offset: a - (best.value >>> 0) };
}

/** Source file and line that produced the instruction or data at addr. */
export function sourceOf(img: Image, addr: number): { file: string; line: number } | undefined {
  const a = addr >>> 0;
  let lo = 0;
  let hi = img.lines.length - 1;
  let hit: LineEntry | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = img.lines[mid]!;
    if (e.addr >>> 0 <= a) { hit = e; lo = mid + 1; } else hi = mid - 1;
  }
  if (!hit) return undefined;
  const file = img.files[hit.file];
  return file === undefined ? undefined : { file, line: hit.line };
}

/** "name+0x10 (file.s:12)" for reports; falls back to the bare address. */
export function describeAddress(img: Image | undefined, addr: number): string {
  const hex = `0x${(addr >>> 0).toString(16).padStart(8, '0')}`;
  if (!img) return hex;
  const sym = nearestSymbol(img, addr);
  const src = sourceOf(img, addr);
  const symText = sym ? ` <${sym.name}${sym.offset ? `+0x${sym.offset.toString(16)}` : ''}>` : '';
  return `${hex}${symText}${src ? ` at ${src.file}:${src.line}` : ''}`;
}
