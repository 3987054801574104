/**
 * Finds the engine's reply in its stdout: the last line that parses as JSON (the protocol lets
 * engines log before it). Only the current partial line and the last parsed value are held, so
 * an engine that logs gigabytes costs no more memory than its longest line, itself capped.
 */
export class ReplyReader {
  private partial = '';
  /** Set while the rest of an over-long line is being skipped. */
  private skipping = false;
  private last: { value: unknown } | null = null;
  /** Lines dropped for exceeding the cap; reported when no reply is found. */
  overlongLines = 0;

  constructor(private readonly maxLineChars: number) {}

  push(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      this.append(chunk.slice(start, nl));
      if (!this.skipping) this.consider(this.partial);
      this.partial = '';
      this.skipping = false;
      start = nl + 1;
    }
    this.append(chunk.slice(start));
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (!this.skipping && this.partial !== '') this.consider(this.partial);
    this.partial = '';
    this.skipping = false;
  }

  /** The last JSON value seen, or null when no line parsed. */
  reply(): { value: unknown } | null {
    return this.last;
  }

  private append(text: string): void {
    if (this.skipping) return;
    if (this.partial.length + text.length > this.maxLineChars) {
      this.partial = '';
      this.skipping = true;
      this.overlongLines++;
      return;
    }
    this.partial += text;
  }

  private consider(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '') return;
    try {
      this.last = { value: JSON.parse(trimmed) as unknown };
    } catch {
      // A log line: engines may print anything before their reply.
    }
  }
}
