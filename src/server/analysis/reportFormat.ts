/** Number and list formatting shared by the Markdown reports. */

/** A ratio or score with 3 decimals; '—' for null (undefined figures). */
export function decimal(value: number | null, digits = 3): string {
  return value === null ? '—' : value.toFixed(digits);
}

/** A share as a percentage with one decimal; '—' for null. */
export function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

/** An integer figure or '—' for null. */
export function count(value: number | null): string {
  return value === null ? '—' : String(value);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A bullet list of at most `limit` items, saying how many more there are. */
export function bullets(items: readonly string[], limit = 50): string[] {
  const shown = items.slice(0, limit).map((i) => `- ${i}`);
  if (items.length > limit) shown.push(`- … and ${items.length - limit} more`);
  return shown;
}

/** "1, 2, 3, …" for at most `limit` numbers. */
export function lineList(lines: readonly number[], limit = 10): string {
  return lines.slice(0, limit).join(', ') + (lines.length > limit ? ', …' : '');
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}
