import type { GuaranteeMode, NormalizedGuarantee, NotUnderstood } from '../../common/normalizedValue';

/**
 * The wordings of each mode, longest first: a span is read left to right and each wording is taken
 * out once matched, so 最高额抵押 is not also 抵押 and 保证保险 not also 保证.
 */
const WORDINGS: readonly [RegExp, readonly GuaranteeMode[]][] = [
  [/最高额连带(责任)?保证/, ['最高额保证', '连带责任保证']],
  [/最高额保证/, ['最高额保证']],
  [/最高额抵\(质\)押|最高额抵质押/, ['最高额抵押', '最高额质押']],
  [/最高额抵押/, ['最高额抵押']],
  [/最高额质押/, ['最高额质押']],
  [/(履约)?保证保险/, ['保证保险']],
  [/连带(责任)?(保证|担保)|连带(清偿|赔偿)?责任/, ['连带责任保证']],
  [/一般保证/, ['一般保证']],
  [/抵\(质\)押|抵质押/, ['抵押', '质押']],
  [/抵押/, ['抵押']],
  [/质押|出质/, ['质押']],
  [/保证(?!金)/, ['保证']],
  [/纯?信用|无担保|免担保/, ['信用']],
];

/** 担保方式: the canonical modes a span names (several for 抵(质)押), or why it cannot be read. */
export function normalizeGuarantee(raw: string): NormalizedGuarantee | NotUnderstood {
  let text = raw.replace(/（/g, '(').replace(/）/g, ')');
  const found: { at: number; modes: readonly GuaranteeMode[] }[] = [];
  for (const [re, modes] of WORDINGS) {
    const global = new RegExp(re.source, 'g');
    for (const m of text.matchAll(global)) found.push({ at: m.index, modes });
    text = text.replace(global, (s) => ' '.repeat(s.length));
  }
  const modes = [...new Set(found.sort((a, b) => a.at - b.at).flatMap((f) => f.modes))];
  if (modes.length === 0) return { kind: 'notUnderstood', reason: 'names no guarantee mode' };
  return { kind: 'guarantee', modes };
}
