import { normalizedText } from '../../common/normalizedValue';
import { normalizeSpan } from './normalizeSpan';

/** The hover's "normalized:" paragraph for a span of type TAG over VALUE; none for a type without normalized values. */
export function normalizedHoverLines(tag: string, value: string): string[] {
  const normalized = normalizeSpan(tag, value);
  return normalized ? ['', `normalized: ${normalizedText(normalized).replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`)}`] : [];
}
