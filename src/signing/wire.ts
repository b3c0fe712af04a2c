// The SSH wire encoding (RFC 4251 §5): length-prefixed strings, big-endian integers and mpints. Every
// SSH structure SafeDeploy reads or writes (keys, SSHSIG signatures, agent messages) is built from it.

export class SshFormatError extends Error {
  override name = 'SshFormatError';
}

export class WireReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  byte(): number {
    this.need(1);
    return this.buf[this.offset++]!;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  string(): Buffer {
    return this.bytes(this.uint32());
  }

  text(): string {
    return this.string().toString('utf8');
  }

  /** An mpint without its sign padding, as an unsigned big-endian magnitude. */
  mpint(): Buffer {
    const raw = this.string();
    let i = 0;
    while (i < raw.length - 1 && raw[i] === 0) i++;
    return raw.subarray(i);
  }

  get done(): boolean {
    return this.offset === this.buf.length;
  }

  get rest(): Buffer {
    return this.buf.subarray(this.offset);
  }

  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw new SshFormatError('truncated SSH data');
  }
}

export function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([uint32(body.length), body]);
}

export function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** An unsigned magnitude as an mpint: a leading zero byte keeps a set high bit from reading as negative. */
export function sshMpint(magnitude: Buffer): Buffer {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  const trimmed = magnitude.subarray(i);
  const body = trimmed.length > 0 && trimmed[0]! & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed;
  return sshString(body);
}
