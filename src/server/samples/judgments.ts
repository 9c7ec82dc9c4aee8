/**
 * Generated court-judgment fact paragraphs (loan, guarantee, mortgage and guarantee-insurance cases),
 * labelled as the court-judgment guidelines define the three types: 700-1,000 characters of facts that
 * name the principal beside interest, fees, penalties, deposits, collateral values and guarantee caps;
 * the loan term beside 保证期间, insurance periods and event dates; guarantee modes inside contract names
 * and verb phrases; masked parties (李x8, 赵10) next to numbers; and the punctuation of published
 * judgments (half-width commas, sentences run together without 。).
 */
import type { EntityLabel } from '../../common/dataset';
import { codePointSlice } from '../dataset/jsonStringMap';
import {
  CARS, CLAIMS, COLLATERAL, DEFAULTS, DISBURSEMENTS, GUARANTEES, INSURANCE, LOAN_CONTRACTS, LOAN_FACTS, NOISE, OPENERS, PLEDGE_ITEMS,
  PURPOSES, REGISTRIES,
} from './judgmentPhrases';
import { renderMiniTemplate } from './miniTemplate';
import { lowerChinese, upperChinese, withThousands } from './numerals';
import type { Rng } from '../util/prng';
import { joinLabelled, SpanBuilder, type LabelledText } from './spanBuilder';
import { addMonthsMinusOneDay, drawDate, formatDate, type CalendarDate } from './surfaceForms';
import { BANKS, CITIES, GIVEN_CHARS, NAME_SYLLABLES, SURNAMES } from './vocab';

export interface JudgmentRecord {
  id: string;
  text: string;
  labels: EntityLabel[];
  meta: { source: 'generated'; kind: 'court-judgment' };
}

type AmountStyle = 'digits' | 'wan' | 'wanWhole' | 'rmbDigits' | 'rmbWan' | 'upper' | 'rmbUpper' | 'decimals' | 'thousands';

interface Case {
  borrower: string;
  lender: string;
  lenderShort: string;
  lenderPerson: string;
  plaintiff: string;
  guarantor: string;
  mortgagor: string;
  guaCo: string;
  insurer: string;
  principal: number;
  owed: number;
  style: AmountStyle;
  termMonths: number;
  start: CalendarDate;
}

// ---- names -------------------------------------------------------------------------------------

/** A party as published judgments mask it: 李x8, 赵10, 张学5, 郭x11. */
function maskedPerson(rng: Rng): string {
  const surname = rng.pick(SURNAMES);
  const n = String(rng.int(0, rng.chance(0.7) ? 9 : 30));
  return rng.weighted([
    [`${surname}x${n}`, 5],
    [`${surname}${n}`, 3],
    [`${surname}${rng.pick(GIVEN_CHARS).slice(0, 1)}${n}`, 2],
    [surname + rng.pick(GIVEN_CHARS), 1],
  ] as const);
}

function company(rng: Rng): string {
  const trade = rng.pick(NAME_SYLLABLES) + (rng.chance(0.5) ? String(rng.int(1, 30)) : rng.pick(NAME_SYLLABLES));
  const kind = rng.pick(['工贸', '商贸', '机械', '建材', '食品', '物流', '实业', '农业', '置业', '科技']);
  return rng.weighted([
    [`${trade}${kind}公司`, 4],
    [`${rng.pick(CITIES)}${trade}${kind}有限公司`, 3],
    [`${trade}公司`, 1],
  ] as const);
}

function bank(rng: Rng): { full: string; short: string } {
  const city = rng.pick(CITIES);
  const name = rng.pick([...BANKS, '农村商业银行', '农村信用合作联社', '村镇银行']);
  const legal = name.startsWith('中国') || name === '交通银行' ? `${name}股份有限公司` : name.length <= 5 ? `${city}${name}` : name;
  const branch = rng.pick(['支行', '分行', '营业部', '城南支行', '分行营业部']);
  const short = rng.pick(['原告', `${city}${branch}`, '该行', '贷款人']);
  return { full: `${legal}${city}${branch}`, short };
}

// ---- amounts -----------------------------------------------------------------------------------

function drawPrincipal(rng: Rng, personal: boolean): number {
  if (personal) {
    const wan = rng.weighted([[1, 2], [2, 2], [3, 2], [5, 3], [8, 1], [10, 3], [12, 1], [20, 2], [25, 1], [26, 1], [30, 2], [35, 1], [38, 1], [45, 1], [50, 3], [60, 1], [70, 1], [100, 2]] as const);
    return rng.chance(0.25) ? Math.round(wan * 10000 * (0.5 + rng.float()) / 100) * 100 : wan * 10000;
  }
  const wan = rng.weighted([[50, 2], [100, 3], [120, 1], [200, 2], [260, 1], [300, 2], [450, 1], [500, 3], [600, 1], [800, 2], [1000, 2], [1450, 1], [1500, 1], [2000, 1], [3000, 1], [5000, 1]] as const);
  return wan * 10000;
}

function renderYuan(rng: Rng, yuan: number, style: AmountStyle): string {
  const wan = yuan / 10000;
  const wanText = Number.isInteger(wan) ? String(wan) : String(Math.round(wan * 100) / 100);
  const integral = Number.isInteger(yuan);
  switch (style) {
    case 'digits': return `${yuan}元`;
    case 'wan': return Number.isInteger(wan * 100) ? `${wanText}万元` : `${yuan}元`;
    case 'wanWhole': return Number.isInteger(wan * 100) ? `${wanText}万元整` : `${yuan}元`;
    case 'rmbDigits': return `人民币${yuan}元`;
    case 'rmbWan': return Number.isInteger(wan * 100) ? `人民币${wanText}万元` : `人民币${yuan}元`;
    case 'upper': return integral ? `${upperChinese(yuan)}元${rng.chance(0.6) ? '整' : ''}` : `${yuan}元`;
    case 'rmbUpper': return integral ? rng.chance(0.8) ? `人民币${upperChinese(yuan)}元整` : `${upperChinese(yuan)}元人民币` : `人民币${yuan}元`;
    case 'decimals': return `${yuan.toFixed(2)}元`;
    case 'thousands': return `${withThousands(yuan, integral ? 0 : 2)}元`;
  }
}

/** A sum of the case other than the principal, rounded the way such sums come (cents for interest). */
function someYuan(rng: Rng, of: number, lo: number, hi: number, cents = false): number {
  const v = of * (lo + rng.float() * (hi - lo));
  return cents && rng.chance(0.6) ? Math.round(v * 100) / 100 : Math.max(10, Math.round(v / 10) * 10);
}

// ---- periods -----------------------------------------------------------------------------------

function renderTermMonths(rng: Rng, months: number): string {
  const forms: [string, number][] = [[`${months}个月`, 5], [`${lowerChinese(months)}个月`, months < 11 ? 2 : 0.3]];
  if (months === 1) forms.push(['一个月', 3]);
  if (months % 12 === 0) {
    const y = months / 12;
    const word = y === 2 ? '两' : lowerChinese(y);
    forms.push([`${word}年`, 5], [`${y}年`, 2]);
    if (y === 1) forms.push(['壹年', 0.5]);
  }
  if (months >= 12 && rng.chance(0.05)) return `${months}期`;
  return rng.weighted(forms);
}

function dateText(rng: Rng, d: CalendarDate): string {
  return rng.chance(0.05) ? `${d.year}.${d.month}.${d.day}` : formatDate(d);
}

/** The loan term as the range the guidelines label whole: 自2013年3月22日起至2014年3月21日止. */
function renderRange(rng: Rng, start: CalendarDate, months: number): string {
  const end = rng.chance(0.3) ? addMonthsMinusOneDay(start, months + 0) : addMonthsMinusOneDay({ ...start, day: start.day + 1 }, months);
  const a = dateText(rng, start);
  const b = dateText(rng, end);
  const shape = rng.weighted([
    [`自${a}起至${b}止`, 5], [`自${a}至${b}`, 3], [`自${a}至${b}止`, 2], [`从${a}至${b}`, 2], [`从${a}起至${b}止`, 1],
    [`${a}起至${b}止`, 2], [`${a}至${b}`, 2], [`从${a}到${b}止`, 1], [`自借款之日起至${b}止`, 0.5],
  ] as const);
  return shape;
}

function renderDue(rng: Rng, d: CalendarDate): string {
  return rng.weighted([[formatDate(d), 6], [`${d.year}年${d.month}月底`, 1], [`${d.year}年${d.month}月份`, 1]] as const);
}

function shiftDays(d: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

// ---- the case and its slots ----------------------------------------------------------------------

function drawCase(rng: Rng): Case {
  const personal = rng.chance(0.6);
  const b = bank(rng);
  const personLender = personal && rng.chance(0.4);
  const lenderPerson = maskedPerson(rng);
  const principal = drawPrincipal(rng, personal);
  const style = rng.weighted([['digits', 6], ['wan', 5], ['wanWhole', 0.5], ['rmbDigits', 2], ['rmbWan', 2], ['upper', 1], ['rmbUpper', 1], ['decimals', 1], ['thousands', 1]] as const);
  return {
    borrower: personal ? maskedPerson(rng) : company(rng),
    lender: personLender ? `原告${lenderPerson}` : rng.chance(0.3) ? '原告' : b.full,
    lenderShort: b.short,
    lenderPerson,
    plaintiff: personLender ? lenderPerson : b.short,
    guarantor: maskedPerson(rng) + (rng.chance(0.25) ? `、${maskedPerson(rng)}` : ''),
    mortgagor: rng.chance(0.5) ? '被告' : maskedPerson(rng),
    guaCo: rng.pick(['银丰担保公司', '原告', '信达担保公司', `${rng.pick(CITIES)}融资担保有限公司`, '担保公司']),
    insurer: rng.pick(['平安财险安徽分公司', '人保财险重庆分公司', '原告', '被告保险公司', '阳光财险']),
    principal,
    owed: rng.chance(0.5) ? principal : Math.round((principal * (0.3 + rng.float() * 0.7)) / 100) * 100,
    style,
    termMonths: rng.weighted([[1, 2], [2, 2], [3, 2], [6, 4], [10, 1], [12, 10], [18, 1], [20, 1], [24, 4], [36, 4], [60, 1]] as const),
    start: drawDate(rng, 1996, 2018),
  };
}

function slotFiller(rng: Rng, c: Case): (name: string) => string | LabelledText {
  const labelled = (entity: '借款金额' | '还款期限', text: string): LabelledText => new SpanBuilder().entity(entity, text).build();
  const amountStyle = (): AmountStyle => (rng.chance(0.85) ? c.style : rng.pick(['digits', 'wan', 'rmbDigits', 'upper'] as const));
  const other = (lo: number, hi: number, cents = false): string => renderYuan(rng, someYuan(rng, c.principal, lo, hi, cents), amountStyle() === 'upper' ? 'digits' : amountStyle());
  const eventDate = (): string => formatDate(shiftDays(c.start, rng.int(-60, 1500)));
  const pct = (lo: number, hi: number, step: number): string => String(Math.round((lo + rng.float() * (hi - lo)) / step) * step).replace(/(\.\d{2})\d+$/, '$1');
  return (name) => {
    switch (name) {
      case 'AMT': return labelled('借款金额', renderYuan(rng, c.principal, amountStyle()));
      case 'AMT2': {
        // the same principal restated: digits beside 大写, or the other way round
        const style: AmountStyle = c.style === 'upper' || c.style === 'rmbUpper' ? 'digits' : rng.pick(['upper', 'rmbUpper'] as const);
        return labelled('借款金额', renderYuan(rng, c.principal, style));
      }
      case 'AMT_B': return labelled('借款金额', renderYuan(rng, Math.max(10000, Math.round((c.principal * (0.3 + rng.float() * 0.7)) / 10000) * 10000), amountStyle()));
      case 'OWED': return labelled('借款金额', renderYuan(rng, c.owed, amountStyle()));
      case 'LINE': return labelled('借款金额', renderYuan(rng, c.principal * rng.pick([1, 1.5, 2]), amountStyle()));
      case 'TERM': return labelled('还款期限', renderTermMonths(rng, c.termMonths));
      case 'RANGE': return labelled('还款期限', renderRange(rng, c.start, c.termMonths));
      case 'DUE': return labelled('还款期限', renderDue(rng, addMonthsMinusOneDay(c.start, c.termMonths)));
      case 'borrower': return c.borrower;
      case 'lender': return c.lender;
      case 'lenderShort': return c.lenderShort;
      case 'lenderPerson': return c.lenderPerson;
      case 'plaintiff': return c.plaintiff;
      case 'guarantor': return c.guarantor;
      case 'mortgagor': return c.mortgagor;
      case 'guaCo': return c.guaCo;
      case 'insurer': return c.insurer;
      case 'personName': return maskedPerson(rng);
      case 'companyOrPerson': return rng.pick(['自然人', '个体工商户', '依法成立的企业法人', '该公司的股东']);
      case 'collateralOwner': return rng.pick([c.mortgagor, c.borrower, c.guarantor]);
      case 'interest': return other(0.02, 0.35, true);
      case 'interestSmall': return other(0.005, 0.06, true);
      case 'penalty': return other(0.01, 0.3, true);
      case 'total': return renderYuan(rng, Math.round(c.owed * (1.05 + rng.float() * 0.3) * 100) / 100, amountStyle() === 'upper' ? 'digits' : amountStyle());
      case 'repaid': return other(0.05, 0.7);
      case 'lawyerFee': return other(0.005, 0.05);
      case 'courtFee': return other(0.002, 0.02, true);
      case 'fee': return other(0.01, 0.05);
      case 'feePart': return other(0.01, 0.04);
      case 'feePart2': return other(0.001, 0.01);
      case 'deposit': return other(0.05, 0.2);
      case 'collateralValue': return rng.chance(0.3) ? `${upperChinese(Math.round(c.principal * 1.5 / 10000) * 10000)}元` : other(1.1, 3);
      case 'cap': return renderYuan(rng, Math.round(c.principal * rng.pick([1, 1.2, 1.5, 2, 3]) / 10000) * 10000, rng.pick(['rmbDigits', 'wan', 'rmbUpper', 'digits'] as const));
      case 'insured': return other(1, 1.3);
      case 'premium': return other(0.005, 0.03, true);
      case 'claimPaid': return other(0.5, 1.1, true);
      case 'capital': return other(0.5, 20);
      case 'goods': return other(0.05, 1.5);
      case 'balance': return other(0.2, 1.1, true);
      case 'installment': return other(0.02, 0.1, true);
      case 'date': return eventDate();
      case 'dateRangeOther': return `${formatDate(shiftDays(c.start, -rng.int(0, 400)))}至${formatDate(shiftDays(c.start, rng.int(400, 1200)))}`;
      case 'insPeriod': return `自${formatDate(c.start)}起至${formatDate(addMonthsMinusOneDay(c.start, c.termMonths + rng.pick([0, 1, 3])))}止`;
      case 'insDate1': return formatDate(c.start);
      case 'insDate2': return formatDate(addMonthsMinusOneDay(c.start, 12));
      case 'rate': return rng.pick(['年利率24%', '月利率2%', '中国人民银行同期同类贷款利率', '合同约定的逾期利率']);
      case 'yearRate': return `年利率[为]${pct(4.35, 12, 0.01)}%`.replace('[为]', rng.chance(0.5) ? '为' : '');
      case 'yearRateNum': return pct(4.35, 12, 0.01);
      case 'monthRate': return `月利率[为]${pct(0.5, 2.5, 0.1)}%`.replace('[为]', rng.chance(0.5) ? '为' : '');
      case 'monthRatePct': return `${pct(0.5, 2.5, 0.1)}%`;
      case 'monthRateWord': return rng.pick(['2分', '1.5分', '3分', '1分']);
      case 'dailyRate': return rng.pick(['千分之一', '万分之五', '0.1%']);
      case 'times': return rng.pick(['四', '两', '1.5', '3']);
      case 'loanContract': return rng.pick(LOAN_CONTRACTS);
      case 'contractNo': return `${rng.pick(['', '委托保字', '借字', 'XX'])}${rng.int(10, 2018)}${rng.pick(['-', '年第', ''])}${rng.int(1, 99999)}号`;
      case 'purpose': return rng.pick(PURPOSES);
      case 'collateral': return rng.pick(COLLATERAL);
      case 'pledgeItem': return rng.pick(PLEDGE_ITEMS);
      case 'car': return rng.pick(CARS);
      case 'registry': return rng.pick(REGISTRIES);
      case 'place': return `${rng.pick(CITIES)}市${rng.pick(['斗门区', '芝罘区', '渝北区', '新城区', '高新区'])}`;
      default: throw new Error(`judgment phrase bank: unknown slot {${name}}`);
    }
  };
}

// ---- paragraphs ----------------------------------------------------------------------------------

/** Published judgments (CAIL) drop 。 and write commas half-width; some sources keep full-width punctuation. */
function punctuate(rng: Rng, sentences: readonly LabelledText[]): LabelledText {
  const cail = rng.chance(0.8);
  const joiners: readonly (readonly [string, number])[] = cail ? [['', 8], [',', 1], [';', 0.5], ['。', 0.5]] : [['。', 6], ['；', 1], ['，', 1]];
  const b = new SpanBuilder();
  sentences.forEach((s, i) => {
    if (i > 0 && !/[:,，：]$/.test(b.build().text)) {
      const joiner = rng.weighted(joiners);
      // Run together, a sentence that starts with 金, 人, 期 … after a mode would read as 保证金, 保证人, 保证期间.
      b.plain(joiner === '' && /^[金人期范登权]/.test(s.text) ? ',' : joiner);
    }
    b.append(s);
  });
  const built = b.build();
  if (cail) return built;
  const wide: Record<string, string> = { ',': '，', ':': '：', ';': '；', '(': '（', ')': '）' };
  const text = built.text.replace(/[,:;()]/g, (ch) => wide[ch]);
  return { text, labels: built.labels.map((l) => ({ ...l, value: codePointSlice(text, l.start, l.end) })) };
}

function draw(rng: Rng, bank: readonly string[], fill: (name: string) => string | LabelledText): LabelledText {
  return renderMiniTemplate(rng.pick(bank), rng, fill);
}

/**
 * Whether every span can be predicted: a span that starts with a digit or letter right after another
 * (a masked name such as 郭7 before 1.5万元) is inside one WordPiece token ("71", ".", "5"), and no
 * token classifier can find it.
 */
function spansAreTokenAligned(p: LabelledText): boolean {
  const chars = [...p.text];
  const word = /[0-9A-Za-z]/;
  return p.labels.every((l) => !(l.start > 0 && word.test(chars[l.start - 1]) && word.test(chars[l.start])) && !(l.end < chars.length && word.test(chars[l.end - 1]) && word.test(chars[l.end])));
}

/** One fact paragraph of a case: 250-1,200 characters, most with entities, some without any. */
export function generateJudgmentParagraph(rng: Rng): LabelledText {
  for (;;) {
    const p = drawParagraph(rng);
    if (spansAreTokenAligned(p)) return p;
  }
}

function drawParagraph(rng: Rng): LabelledText {
  const c = drawCase(rng);
  const fill = slotFiller(rng, c);
  const target = rng.weighted([[rng.int(250, 500), 2], [rng.int(500, 900), 5], [rng.int(900, 1200), 2]] as const);
  const withoutEntities = rng.chance(0.08);
  const pieces: LabelledText[] = [];
  const opener = renderMiniTemplate(rng.pick(OPENERS), rng, fill);
  if (withoutEntities) {
    const noise = rng.shuffle(NOISE);
    while (noise.length > 0 && pieces.reduce((n, p) => n + p.text.length, 0) < target) {
      const p = renderMiniTemplate(noise.pop()!, rng, fill);
      if (p.labels.length === 0) pieces.push(p);
    }
    return prefix(opener, punctuate(rng, pieces));
  }
  if (opener.text.includes('诉讼请求') || rng.chance(0.2)) {
    pieces.push(draw(rng, CLAIMS, fill));
    if (rng.chance(0.6)) pieces.push({ text: rng.pick(['事实与理由:', '事实和理由:', '事实与理由:']), labels: [] });
  }
  const insurance = rng.chance(0.25);
  const body: LabelledText[] = [draw(rng, LOAN_FACTS, fill)];
  if (rng.chance(0.3)) body.push(draw(rng, LOAN_FACTS, fill));
  if (rng.chance(0.6)) body.push(draw(rng, DISBURSEMENTS, fill));
  const guarantees = rng.int(insurance ? 0 : 1, 3);
  for (let i = 0; i < guarantees; i++) body.push(draw(rng, GUARANTEES, fill));
  if (insurance) for (let i = rng.int(1, 3); i > 0; i--) body.push(draw(rng, INSURANCE, fill));
  for (let i = rng.int(1, 2); i > 0; i--) body.push(draw(rng, DEFAULTS, fill));
  pieces.push(...body);
  // noise goes between the facts, not only after them, each sentence at most once
  const noise = rng.shuffle(NOISE);
  while (noise.length > 0 && pieces.reduce((n, p) => n + p.text.length, 0) < target) pieces.splice(rng.int(1, pieces.length), 0, renderMiniTemplate(noise.pop()!, rng, fill));
  return prefix(opener, punctuate(rng, pieces));
}

function prefix(opener: LabelledText, rest: LabelledText): LabelledText {
  return opener.text === '' ? rest : joinLabelled([opener, rest], '');
}

export function generateJudgments(rng: Rng, count: number, idPrefix = 'cj'): JudgmentRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const p = generateJudgmentParagraph(rng);
    return { id: `${idPrefix}-${String(i + 1).padStart(5, '0')}`, text: p.text, labels: p.labels, meta: { source: 'generated', kind: 'court-judgment' } };
  });
}
