/** Keeps the last `limit` characters written to it (the worker's stderr, for error messages). */
export class StderrTail {
  private text = '';

  constructor(private readonly limit = 4096) {}

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.limit * 2) this.text = this.text.slice(-this.limit);
  }

  toString(): string {
    return this.text.length > this.limit ? this.text.slice(-this.limit) : this.text;
  }

  /** The last `count` non-empty lines. */
  lastLines(count: number): string {
    return this.toString()
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .slice(-count)
      .join('\n');
  }
}
