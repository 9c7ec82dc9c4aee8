import type { SpanDecoration } from '../../common/lspProtocol';
import { normalizedHoverLines } from '../normalization/normalizedHover';

/** Markdown shown when hovering gold spans: type (name and tag), value, its normalized value, code-point offsets. */
export function hoverMarkdown(spans: readonly SpanDecoration[]): string {
  return spans
    .map((s) => {
      const head = s.unknownType ? `**${escapeMd(s.entity)}** (not in the label schema)` : `**${escapeMd(s.entity)}** \`${s.tag}\``;
      const lines = [
        head,
        '',
        `value: \`${s.value.replace(/`/g, 'ˋ')}\``,
        ...normalizedHoverLines(s.tag, s.value),
        '',
        `offsets: [${s.start}, ${s.end}) (code points)`,
      ];
      if (s.overlaps) lines.push('', '⚠ overlaps another span of this record');
      return lines.join('\n');
    })
    .join('\n\n---\n\n');
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
