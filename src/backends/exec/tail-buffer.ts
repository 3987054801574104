/**
 * Keeps the last `maxChars` characters of a stream (the engine's stderr), so an error sample
 * can say why the engine failed without rightsizer holding everything the engine printed.
 */
export class TailBuffer {
  private text = '';

  constructor(private readonly maxChars: number) {}

  push(chunk: string): void {
    this.text += chunk;
    // Trim only once the buffer is twice the cap, so a chatty stream costs amortised O(1) per char.
    if (this.text.length > 2 * this.maxChars) this.text = this.text.slice(-this.maxChars);
  }

  /**
   * The tail, at most `chars` long, starting at a line boundary where one is near, trimmed;
   * '' when the stream was silent.
   */
  tail(chars: number = this.maxChars): string {
    let out = this.text.slice(-Math.min(chars, this.maxChars));
    if (out.length < this.text.length) {
      const nl = out.indexOf('\n');
      if (nl >= 0 && nl < out.length - 1) out = out.slice(nl + 1);
      out = `…${out}`;
    }
    return out.trim();
  }
}
