/**
 * Text that cannot be an entity on its own: only punctuation (\p{P}), symbols (\p{S}: ¥, %, +),
 * separators and whitespace, or nothing. Symbols are allowed inside a span (¥500万元) but a span made
 * of nothing else is not shown.
 */
const NOT_CONTENT = /^[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\s]*$/u;

export function hasNoContent(value: string): boolean {
  return NOT_CONTENT.test(value);
}
