/**
 * A one-line progress indicator on stderr, redrawn in place (`\r` + clear line). Only on a TTY and
 * never with --json, so CI logs and piped output stay clean.
 */
export class ProgressLine {
  private shown = false;
  constructor(private readonly enabled: boolean) {}

  static forCommand(json: boolean | undefined): ProgressLine {
    return new ProgressLine(!json && process.stderr.isTTY === true && !process.env.CI);
  }

  update(text: string): void {
    if (!this.enabled) return;
    const width = process.stderr.columns ?? 80;
    process.stderr.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}
