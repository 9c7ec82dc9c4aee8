import type { TrainingProblem } from '../../common/lspProtocol';

/**
 * The place a dataset message names: "FILE:LINE: ..." or "FILE:LINE:COLUMN: ..." (what the
 * training preparation writes), else "(line N" (a split refused for lines that are not records),
 * else the file's first line, so every problem can be opened.
 */
export function problemAt(file: string, message: string): TrainingProblem {
  if (message.startsWith(`${file}:`)) {
    const m = /^:(\d+)(?::\d+)?:\s*/.exec(message.slice(file.length));
    if (m) return { file, line: Number(m[1]), message: message.slice(file.length + m[0].length) };
  }
  const listed = /\(line (\d+)/.exec(message);
  return { file, line: listed ? Number(listed[1]) : 1, message: message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message };
}
