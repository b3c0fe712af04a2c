// The head of each file audit stream (its last seq and hash), kept beside the stream in
// audit/<stream>.head.json and replaced atomically after every append. A hash chain alone cannot see
// its own tail cut, or the whole file emptied or deleted; the head record can, as long as it is not
// rewritten too. An exported checkpoint (`safedeploy audit checkpoint`, kept where the data
// directory's writers cannot reach) covers that last case: docs/SECURITY.md "Audit log".
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KIB, readBoundedFile } from '../files/bounded-read';
import type { ChainTail } from './chain';

export const HEAD_SUFFIX = '.head.json';

export function headPath(dataDir: string, stream: string): string {
  return path.join(dataDir, 'audit', `${stream}${HEAD_SUFFIX}`);
}

export function headLabel(stream: string): string {
  return `audit/${stream}${HEAD_SUFFIX}`;
}

/** The recorded head; undefined when the stream has none (never written, or written before head records). */
export async function readHeadFile(dataDir: string, stream: string): Promise<ChainTail | undefined> {
  let text: string;
  try {
    text = await readBoundedFile(headPath(dataDir, stream), { maxBytes: 4 * KIB, what: headLabel(stream) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let head: Partial<ChainTail>;
  try {
    head = JSON.parse(text) as Partial<ChainTail>;
  } catch {
    throw new Error(`${headLabel(stream)} is not valid JSON`);
  }
  if (!Number.isSafeInteger(head.seq) || (head.seq as number) < 0 || typeof head.hash !== 'string')
    throw new Error(`${headLabel(stream)} is not a head record (seq and hash)`);
  return { seq: head.seq as number, hash: head.hash };
}

/** Written to a temporary file and renamed: a reader sees the old head or the new one, never half. */
export async function writeHeadFile(dataDir: string, stream: string, head: ChainTail): Promise<void> {
  const file = headPath(dataDir, stream);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify({ stream, seq: head.seq, hash: head.hash })}\n`);
  await rename(temp, file);
}
