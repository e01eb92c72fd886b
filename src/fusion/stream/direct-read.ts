/**
 * Member files read around the page cache (O_DIRECT) where the file system allows it. A fusion
 * reads each byte of its members once, so caching them only costs: the kernel copies every byte
 * once more, fills memory with pages nobody reads again (evicting what the user's other programs
 * had cached), and on virtual machines that hand free memory back to the host each fresh page is
 * a host fault as well (measured in docs/benchmarks.md). Loaders for large checkpoints read
 * this way for the same reasons.
 *
 * Unbuffered reads must start, end and land on DIRECT_ALIGN boundaries, so a span is read from
 * the aligned offset before it into an aligned region with room on both sides, and the data
 * start inside it. File systems that refuse O_DIRECT (tmpfs, some network ones) are read through
 * the cache as before; BOMF_FUSION_DIRECT=0 asks for that everywhere.
 */
import * as fs from 'node:fs';
import { readAt, readExactlyAsync, truncated } from './io';

/** The alignment of positions, lengths and addresses: a page, which every block size divides. */
export const DIRECT_ALIGN = 4096;

/** Bytes a region needs to hold any span of `length` bytes read with aligned ends. */
export const directRegionBytes = (length: number): number => length + 2 * DIRECT_ALIGN;

interface MemberFile {
  fd: number;
  direct: boolean;
}

const refusesDirect = (err: unknown) => (err as NodeJS.ErrnoException).code === 'EINVAL';

/** Member files opened once each (unbuffered when possible), closed together. */
export class MemberFiles {
  private readonly files = new Map<string, MemberFile>();
  private readonly directFlag: number;

  /**
   * `probe`: DIRECT_ALIGN bytes at an aligned address, where a first read checks that the file
   * system takes unbuffered reads into this memory.
   */
  constructor(
    private readonly probe: Uint8Array,
    env = process.env,
  ) {
    this.directFlag = env.BOMF_FUSION_DIRECT === '0' ? 0 : (fs.constants.O_DIRECT ?? 0);
  }

  open(file: string): MemberFile {
    let opened = this.files.get(file);
    if (!opened) {
      opened = this.openDirect(file) ?? { fd: fs.openSync(file, 'r'), direct: false };
      this.files.set(file, opened);
    }
    return opened;
  }

  private openDirect(file: string): MemberFile | undefined {
    if (!this.directFlag) return undefined;
    let fd: number;
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | this.directFlag);
    } catch (err) {
      if (refusesDirect(err)) return undefined;
      throw err;
    }
    try {
      fs.readSync(fd, this.probe, 0, DIRECT_ALIGN, 0);
      return { fd, direct: true };
    } catch (err) {
      fs.closeSync(fd);
      if (refusesDirect(err)) return undefined;
      throw err;
    }
  }

  close(): void {
    for (const { fd } of this.files.values()) fs.closeSync(fd);
    this.files.clear();
  }
}

/**
 * Reads bytes [position, position + length) of `file` into `region` (aligned, at least
 * directRegionBytes(length) long) in the thread pool and returns the view of them; a file that
 * ends early is an error.
 */
export async function readSpan(
  member: MemberFile,
  region: Uint8Array,
  position: number,
  length: number,
  file: string,
  what: string,
): Promise<Uint8Array> {
  if (!member.direct) {
    await readExactlyAsync(member.fd, region, length, position, file, what);
    return region.subarray(0, length);
  }
  const from = Math.floor(position / DIRECT_ALIGN) * DIRECT_ALIGN;
  const lead = position - from;
  const need = lead + length;
  const span = Math.ceil(need / DIRECT_ALIGN) * DIRECT_ALIGN;
  let done = 0;
  while (done < need) {
    const bytesRead = await readAt(member.fd, region, done, span - done, from + done, file);
    done += bytesRead;
    // Only the end of the file makes an unbuffered read short, or it reads nothing.
    if (bytesRead % DIRECT_ALIGN !== 0 || bytesRead === 0) break;
  }
  if (done < need) throw truncated(file, what, position, length, done - lead);
  return region.subarray(lead, need);
}
