/**
 * Loading an image into a VM's guest-physical memory. Segments are placed
 * at their kernel-segment addresses (pa = va - KERNEL_BASE); anything else
 * is a clear error, never a host exception.
 */
import { KERNEL_BASE } from '../isa/memory.ts';
import type { Image } from '../isa/image.ts';
import type { GuestMemory } from './cpu/index.ts';

export class LoadError extends Error {}

export function loadImage(mem: GuestMemory, img: Image): void {
  for (const seg of img.segments) {
    const va = seg.vaddr >>> 0;
    if (va < KERNEL_BASE) {
      throw new LoadError(`segment ${seg.name} at 0x${va.toString(16)} is not in the kernel segment (>= 0x80000000); bare-metal images load there`);
    }
    const pa = va - KERNEL_BASE;
    if (pa + seg.data.length > mem.size) {
      throw new LoadError(`segment ${seg.name} (0x${va.toString(16)}, ${seg.data.length} bytes) does not fit in ${mem.size} bytes of guest memory`);
    }
    mem.load(pa, seg.data);
  }
}
