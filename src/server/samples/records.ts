/**
 * The due-diligence JSONL: about 300 labelled records of four document kinds and four layouts (short,
 * long multi-paragraph, \r\n paragraphs, no entities), a few with characters outside the BMP before the
 * entities and a few with quotes and backslashes.
 */
import type { EntityLabel } from '../../common/dataset';
import { canRender, drawDeal, hasEntitySlot, pickTemplates, renderTemplate, type Deal } from './clauses';
import { lowerChinese } from './numerals';
import { BOILERPLATE, NON_BMP_OPENERS, PHRASES, QUOTE_SENTENCES, type DocKind } from './phrases';
import type { Rng } from '../util/prng';
import { SpanBuilder, joinLabelled, type LabelledText } from './spanBuilder';

export type Layout = 'short' | 'long' | 'crlf' | 'empty';

export interface SampleRecord {
  id: string;
  text: string;
  labels: EntityLabel[];
  meta: { source: 'generated'; kind: DocKind };
}

interface RecordPlan {
  kind: DocKind;
  layout: Layout;
  nonBmp: boolean;
  quotes: boolean;
}

export interface RecordCounts {
  total: number;
  long: number;
  crlf: number;
  empty: number;
  nonBmp: number;
  quotes: number;
}

export const RECORD_COUNTS: RecordCounts = { total: 300, long: 36, crlf: 8, empty: 9, nonBmp: 16, quotes: 9 };

const LONG_MIN = 800;
const LONG_MAX = 2000;

const hasNonBmp = (s: string): boolean => /[\u{10000}-\u{10FFFF}]/u.test(s);

function planRecords(rng: Rng, counts: RecordCounts): RecordPlan[] {
  const indexes = Array.from({ length: counts.total }, (_, i) => i);
  const layouts: Layout[] = new Array<Layout>(counts.total).fill('short');
  const order = rng.shuffle(indexes);
  let at = 0;
  for (const [layout, n] of [['long', counts.long], ['crlf', counts.crlf], ['empty', counts.empty]] as const) {
    for (const i of order.slice(at, at + n)) layouts[i] = layout;
    at += n;
  }
  const labelled = indexes.filter((i) => layouts[i] !== 'empty');
  const nonBmp = new Set(rng.sample(labelled, counts.nonBmp));
  const quotes = new Set(rng.sample(labelled, counts.quotes));
  return indexes.map((i) => ({
    kind: rng.weighted([['loan-contract', 10], ['due-diligence-report', 8], ['credit-approval', 6], ['guarantee-contract', 5]] as const),
    layout: layouts[i],
    nonBmp: nonBmp.has(i),
    quotes: quotes.has(i),
  }));
}

/** Sentences that go before the body: an opener with a non-BMP character, a sentence with quotes. */
function preamble(rng: Rng, plan: RecordPlan, deal: Deal): LabelledText[] {
  const out: LabelledText[] = [];
  if (plan.nonBmp) {
    const namesHaveNonBmp = hasNonBmp(deal.borrower.name + deal.legalRep);
    const openers = NON_BMP_OPENERS.filter((t) => namesHaveNonBmp || t.includes('{emoji}'));
    out.push(renderTemplate(rng, rng.pick(openers), deal));
  }
  if (plan.quotes) out.push(renderTemplate(rng, rng.pick(QUOTE_SENTENCES), deal));
  return out;
}

function render(rng: Rng, templates: readonly string[], deal: Deal): LabelledText[] {
  return templates.map((t) => renderTemplate(rng, t, deal));
}

function shortBody(rng: Rng, kind: DocKind, deal: Deal): LabelledText[] {
  const bank = PHRASES[kind];
  const core = pickTemplates(rng, bank.core, deal, rng.weighted([[1, 3], [2, 4], [3, 2]] as const));
  const context = pickTemplates(rng, bank.context, deal, rng.weighted([[0, 4], [1, 4], [2, 1]] as const));
  const body = render(rng, rng.shuffle([...core, ...context]), deal);
  if (rng.chance(0.2)) body.push(renderTemplate(rng, rng.pick(BOILERPLATE[kind]), deal));
  return body;
}

function emptyBody(rng: Rng, kind: DocKind, deal: Deal): LabelledText[] {
  const pool = [...PHRASES[kind].context, ...BOILERPLATE[kind]].filter((t) => canRender(t, deal) && !hasEntitySlot(t));
  return render(rng, rng.sample(pool, rng.int(1, 3)), deal);
}

function crlfBody(rng: Rng, kind: DocKind, deal: Deal): LabelledText[] {
  const bank = PHRASES[kind];
  const core = pickTemplates(rng, bank.core, deal, rng.int(2, 3));
  const context = pickTemplates(rng, bank.context, deal, rng.int(0, 2));
  // one sentence a paragraph (at least two), separated by \r\n when the record is joined
  return render(rng, [...core, ...context], deal);
}

function partiesBlock(kind: DocKind, deal: Deal): string[] {
  switch (kind) {
    case 'loan-contract': return [`借款人：${deal.borrower.name}`, `贷款人：${deal.lender}`, `合同编号：${deal.contractNo}`];
    case 'guarantee-contract': return [`债权人：${deal.lender}`, `债务人：${deal.borrower.name}`, `担保人：${deal.guarantor}`];
    case 'due-diligence-report': return [`调查对象：${deal.borrower.name}`, `调查机构：${deal.lender}`];
    case 'credit-approval': return [`申请人：${deal.borrower.name}`, `经办行：${deal.lender}`];
  }
}

function paragraphNumber(kind: DocKind, n: number): string {
  switch (kind) {
    case 'loan-contract':
    case 'guarantee-contract': return `第${lowerChinese(n)}条\u3000`;
    case 'due-diligence-report': return `${lowerChinese(n)}、`;
    case 'credit-approval': return `（${lowerChinese(n)}）`;
  }
}

/** A multi-paragraph document of LONG_MIN..LONG_MAX code points, paragraphs joined with "\n". */
function longBody(rng: Rng, kind: DocKind, deal: Deal, preambleLength: number): LabelledText[] {
  const bank = PHRASES[kind];
  const head = [rng.pick(bank.titles), ...partiesBlock(kind, deal)].map((text) => ({ text, labels: [] }));
  const target = rng.int(LONG_MIN + 60, LONG_MAX - 150);
  let length = preambleLength + head.reduce((s, p) => s + Array.from(p.text).length + 1, 0);
  const core = bank.core.filter((t) => canRender(t, deal));
  const rest = [...bank.context, ...BOILERPLATE[kind]].filter((t) => canRender(t, deal));
  // a few entity sentences among the context; templates repeat only once the bank is used up
  const [first, ...more] = rng.sample(core, rng.int(2, 4));
  let pool: string[] = [first, ...rng.shuffle([...more, ...rest])];
  const paragraphs: LabelledText[] = [];
  while (length < target) {
    if (pool.length < 3) pool = [...pool, ...rng.shuffle([...core, ...rest])];
    const b = new SpanBuilder().plain(paragraphNumber(kind, paragraphs.length + 1));
    const sentences = pool.splice(0, rng.int(1, 3));
    for (const s of render(rng, sentences, deal)) b.append(s);
    const paragraph = b.build();
    if (length + paragraph.text.length + 1 > LONG_MAX) break; // .length counts UTF-16 units: never under
    paragraphs.push(paragraph);
    length += b.length + 1;
  }
  return [...head, ...paragraphs];
}

/** What a generator run adds beyond the sample workspace's records. */
export interface RecordOptions {
  /**
   * Contracts end with their signature block and its 签订日期 (the loan's first day in these deals): a date
   * that is not the loan's term. Off for the sample workspace, whose records stay as they were.
   */
  signatureBlocks?: boolean;
}

const SIGNATURE_BLOCKS: Partial<Record<DocKind, string>> = {
  'loan-contract': '借款人（盖章）：{borrower}\n法定代表人或授权代理人（签字）：\n贷款人（盖章）：{lender}\n负责人或授权代理人（签字）：\n签订日期：{signDate}',
  'guarantee-contract': '保证人（盖章）：{guarantor}\n债权人（盖章）：{lender}\n签订日期：{signDate}',
};

function signatureBlock(rng: Rng, plan: RecordPlan, deal: Deal, options: RecordOptions): LabelledText[] {
  const template = SIGNATURE_BLOCKS[plan.kind];
  if (!options.signatureBlocks || !template || !canRender(template, deal)) return [];
  if (plan.layout !== 'long' && !rng.chance(0.15)) return [];
  return [renderTemplate(rng, template, deal)];
}

function buildRecord(rng: Rng, plan: RecordPlan, index: number, options: RecordOptions): SampleRecord {
  const deal = drawDeal(rng, { nonBmp: plan.nonBmp, allowUnsecured: plan.kind !== 'guarantee-contract' });
  const pre = preamble(rng, plan, deal);
  let text: LabelledText;
  switch (plan.layout) {
    case 'short': {
      const title = rng.chance(0.25) ? [{ text: `【${rng.pick(PHRASES[plan.kind].titles)}】`, labels: [] }] : [];
      text = joinLabelled([...title, ...pre, ...shortBody(rng, plan.kind, deal), ...signatureBlock(rng, plan, deal, options)], '');
      break;
    }
    case 'empty':
      text = joinLabelled([...pre, ...emptyBody(rng, plan.kind, deal)], '');
      break;
    case 'crlf':
      text = joinLabelled([...pre, ...crlfBody(rng, plan.kind, deal)], '\r\n');
      break;
    case 'long': {
      const opener = joinLabelled(pre, '');
      const body = [...longBody(rng, plan.kind, deal, Array.from(opener.text).length), ...signatureBlock(rng, plan, deal, options)];
      text = joinLabelled(pre.length > 0 ? [opener, ...body] : body, '\n');
      break;
    }
  }
  return {
    id: `dd-${String(index + 1).padStart(4, '0')}`,
    text: text.text,
    labels: text.labels,
    meta: { source: 'generated', kind: plan.kind },
  };
}

export function generateRecords(rng: Rng, counts: RecordCounts = RECORD_COUNTS, options: RecordOptions = {}): SampleRecord[] {
  return planRecords(rng, counts).map((plan, i) => buildRecord(rng, plan, i, options));
}

/** JSON Lines: JSON.stringify without spaces, "\n" after every record. */
export function recordsToJsonl(records: readonly SampleRecord[]): string {
  return records.map((r) => JSON.stringify({ id: r.id, text: r.text, labels: r.labels, meta: r.meta }) + '\n').join('');
}
