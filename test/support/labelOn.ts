/** A gold label on the first VALUE in TEXT, with code-point offsets as the dataset format counts them. */
export function labelOn(text: string, entity: string, value: string): { entity: string; value: string; start: number; end: number } {
  const at = text.indexOf(value);
  if (at < 0) throw new Error(`${value} is not in ${text}`);
  const start = [...text.slice(0, at)].length;
  return { entity, value, start, end: start + [...value].length };
}
