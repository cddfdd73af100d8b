/**
 * 32x32 -> high 32 multiplies without BigInt (the interpreter calls these,
 * V8 inlines them). Split into 16-bit halves so every partial product is
 * exact in a double.
 */
export function mulhu(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const lh = al * bh, hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

/** Signed high product: the unsigned one corrected for negative operands. */
export function mulh(a: number, b: number): number {
  let h = mulhu(a, b);
  if (a < 0) h = (h - b) | 0;
  if (b < 0) h = (h - a) | 0;
  return h;
}
