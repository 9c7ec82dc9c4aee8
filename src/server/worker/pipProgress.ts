export interface ProgressStep {
  message: string;
  /** Percent of the whole job this step adds (VS Code progress semantics). */
  increment?: number;
}

/** Share of the bar used up once pip starts installing; the rest is for the install itself. */
const COLLECTED = 70;

/**
 * Turns `pip install` output lines into progress steps. pip does not say up front how many
 * packages it will fetch, so each one collected takes a tenth of what is left of the
 * collecting share.
 */
export class PipProgress {
  private done: number;

  /** `start`: percent already reported before pip runs (creating the venv). */
  constructor(start = 0) {
    this.done = start;
  }

  line(raw: string): ProgressStep | undefined {
    const line = raw.trim();
    let match: RegExpMatchArray | null;
    if ((match = /^Collecting (.+?)(?: \(from .*)?$/.exec(line))) {
      return { message: `Collecting ${match[1]}`, increment: this.advance((COLLECTED - this.done) / 10) };
    }
    if ((match = /^Requirement already satisfied: (\S+)/.exec(line))) {
      return { message: `Already installed: ${match[1]}`, increment: this.advance((COLLECTED - this.done) / 10) };
    }
    if ((match = /^Downloading (\S+)(?: \((.+)\))?$/.exec(line))) {
      return { message: match[2] ? `Downloading ${match[1]} (${match[2]})` : `Downloading ${match[1]}` };
    }
    if ((match = /^Installing collected packages: (.+)$/.exec(line))) {
      const count = match[1].split(',').length;
      return { message: `Installing ${count} package${count === 1 ? '' : 's'}…`, increment: this.advance(COLLECTED - this.done) };
    }
    if ((match = /^Successfully installed (.+)$/.exec(line))) {
      const count = match[1].trim().split(/\s+/).length;
      return { message: `Installed ${count} package${count === 1 ? '' : 's'}`, increment: this.advance(100 - this.done) };
    }
    return undefined;
  }

  private advance(amount: number): number {
    const step = Math.max(0, Math.min(amount, 100 - this.done));
    this.done += step;
    return step;
  }
}
