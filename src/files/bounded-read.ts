// Reading a file SafeDeploy does not control (catalog files, token files, audit streams) without
// trusting it: only a regular file (a FIFO would block forever, /dev/zero never ends), and only up to a
// size limit, each refusal naming the file. The file is opened non-blocking and checked with fstat on
// the open descriptor, so what is checked is what is read.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export const KIB = 1024;
export const MIB = 1024 * KIB;

/** The file cannot be read within the rules: the message names the file and what is wrong. */
export class FileLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileLimitError';
  }
}

export interface BoundedReadOptions {
  maxBytes: number;
  /** How the file is named in messages, e.g. "catalog file checkout.yaml" or "--token-file /run/t". */
  what: string;
}

export async function readBoundedFile(file: string, options: BoundedReadOptions): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new FileLimitError(`${options.what} is not a regular file (${kindOf(stat)})`);
    if (stat.size > options.maxBytes) throw tooLarge(options);
    // The size may change under us; read at most one byte past the limit to notice.
    const buffer = Buffer.alloc(Math.min(stat.size, options.maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > options.maxBytes) throw tooLarge(options);
      if (length === buffer.length) throw new FileLimitError(`${options.what} grew while it was read`);
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}

function tooLarge(options: BoundedReadOptions): FileLimitError {
  return new FileLimitError(`${options.what} is larger than ${formatBytes(options.maxBytes)}`);
}

export function formatBytes(bytes: number): string {
  if (bytes >= MIB && bytes % MIB === 0) return `${bytes / MIB} MiB`;
  if (bytes >= KIB && bytes % KIB === 0) return `${bytes / KIB} KiB`;
  return `${bytes} bytes`;
}

function kindOf(stat: {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isDirectory(): boolean;
  isSocket(): boolean;
}): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isSocket()) return 'a socket';
  return 'not a plain file';
}
