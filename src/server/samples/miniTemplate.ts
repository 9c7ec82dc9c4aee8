/**
 * A small template language for generated text with labelled spans, so a phrase bank can say in one line
 * what a sentence may look like and which part of it is an entity:
 *   [a|b|c]      one of the alternatives (nested brackets allowed), each equally likely;
 *   [?x]         x or nothing, even odds;
 *   {slot}       the text of a named slot (the caller's function; it may return labelled text);
 *   <A:x> <G:x> <T:x>   x labelled as 借款金额 / 担保方式 / 还款期限 (x may hold alternatives, not slots).
 * Written by hand because no template library records where its substitutions land in code points.
 */
import type { Rng } from '../util/prng';
import { SpanBuilder, type EntityName, type LabelledText } from './spanBuilder';

export type SlotValue = string | LabelledText;
export type SlotFiller = (name: string) => SlotValue;

const ENTITY_OF: Record<string, EntityName> = { A: '借款金额', G: '担保方式', T: '还款期限' };

export class TemplateError extends Error {
  constructor(template: string, at: number, what: string) {
    super(`template ${JSON.stringify(template)} at ${at}: ${what}`);
    this.name = 'TemplateError';
  }
}

/** Renders `template` into `out`; returns the index after what it consumed (stops at `]`, `|`, `>` at depth 0 of a group). */
function renderInto(t: string, at: number, rng: Rng, fill: SlotFiller, out: SpanBuilder, stops: string): number {
  let i = at;
  while (i < t.length) {
    const c = t[i];
    if (stops.includes(c)) return i;
    if (c === '[') {
      i = renderGroup(t, i + 1, rng, fill, out);
    } else if (c === '{') {
      const close = t.indexOf('}', i);
      if (close < 0) throw new TemplateError(t, i, 'unclosed {');
      const value = fill(t.slice(i + 1, close));
      if (typeof value === 'string') out.plain(value);
      else out.append(value);
      i = close + 1;
    } else if (c === '<' && t[i + 2] === ':' && ENTITY_OF[t[i + 1]]) {
      const entity = ENTITY_OF[t[i + 1]];
      const inner = new SpanBuilder();
      i = renderInto(t, i + 3, rng, fill, inner, '>');
      if (t[i] !== '>') throw new TemplateError(t, i, 'unclosed <X:');
      const built = inner.build();
      if (built.labels.length > 0) throw new TemplateError(t, i, 'a labelled span holds another one');
      if (built.text !== '') out.entity(entity, built.text);
      i += 1;
    } else {
      // a whole code point: a character outside the BMP is two UTF-16 units
      const ch = String.fromCodePoint(t.codePointAt(i)!);
      out.plain(ch);
      i += ch.length;
    }
  }
  return i;
}

/** After `[`: picks one alternative (or, for `[?`, includes it or not), renders it, returns the index after `]`. */
function renderGroup(t: string, at: number, rng: Rng, fill: SlotFiller, out: SpanBuilder): number {
  const optional = t[at] === '?';
  const start = optional ? at + 1 : at;
  const alternatives = splitAlternatives(t, start);
  const end = alternatives[alternatives.length - 1][1];
  if (optional) {
    if (rng.chance(0.5)) renderInto(t, start, rng, fill, out, ']');
  } else {
    const [from] = rng.pick(alternatives);
    renderInto(t, from, rng, fill, out, '|]');
  }
  return end + 1;
}

/** [start, end) of each alternative of the group starting at `at`; the last end is the group's `]`. */
function splitAlternatives(t: string, at: number): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let from = at;
  for (let i = at; i < t.length; i++) {
    const c = t[i];
    if (c === '[') depth++;
    else if (c === ']') {
      if (depth === 0) {
        out.push([from, i]);
        return out;
      }
      depth--;
    } else if (c === '|' && depth === 0) {
      out.push([from, i]);
      from = i + 1;
    }
  }
  throw new TemplateError(t, at, 'unclosed [');
}

/** One rendering of `template`, its labelled spans in code points. */
export function renderMiniTemplate(template: string, rng: Rng, fill: SlotFiller): LabelledText {
  const out = new SpanBuilder();
  const end = renderInto(template, 0, rng, fill, out, '');
  if (end !== template.length) throw new TemplateError(template, end, `unexpected ${template[end]}`);
  return out.build();
}
