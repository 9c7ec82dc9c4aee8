/**
 * Clause generator: draws a loan deal (borrower, principal, term, guarantees, ...) and renders phrase-bank
 * templates for it into labelled text. Every mention of the deal's principal, term and guarantee types is
 * labelled; distractor slots (interest, fees, capital, guarantee periods) are plain text.
 */
import type { Rng } from '../util/prng';
import { company, lender, person, type Company } from './names';
import {
  GUARANTEE_JOINERS, drawDate, drawGuarantees, drawLoanYuan, drawTermMonths, formatDate, fractionOf, isPersonal,
  isPledge, isSecured, renderAmount, renderTerm, renderTermRange, type AmountFamily, type CalendarDate,
  type GuaranteeType,
} from './surfaceForms';
import { SpanBuilder, type EntityName, type LabelledText } from './spanBuilder';
import { DISTRICTS, LOAN_PURPOSES, MORTGAGE_ITEMS, NOTE_EMOJI, PLEDGE_ITEMS, ROADS } from './vocab';

export interface Deal {
  borrower: Company;
  lender: string;
  legalRep: string;
  /** Guarantor (a company or a person), meaningful when a personal guarantee is among the guarantees. */
  guarantor: string;
  /** Principal in whole yuan. */
  principal: number;
  termMonths: number;
  start: CalendarDate;
  guarantees: GuaranteeType[];
  /** Collateral matching the first secured guarantee type ('' when none). */
  collateral: string;
  purpose: string;
  /** Annual rate, e.g. "3.85%". */
  rate: string;
  contractNo: string;
}

export interface DealOptions {
  /** Put CJK Extension B characters into the borrower's and legal representative's names. */
  nonBmp?: boolean;
  /** Allow 信用 (unsecured) deals. */
  allowUnsecured?: boolean;
  /** Use exactly these guarantee types. */
  guarantees?: GuaranteeType[];
}

const CONTRACT_PREFIXES = ['渝', '蓉', '沪', '杭', '深', '京', '汉', '湘'] as const;

export function drawDeal(rng: Rng, opts: DealOptions = {}): Deal {
  const nonBmp = opts.nonBmp ?? false;
  const borrower = company(rng, { nonBmp: nonBmp && rng.chance(0.7) });
  const guarantees = opts.guarantees ?? drawGuarantees(rng, opts.allowUnsecured ?? true);
  const secured = guarantees.find(isSecured);
  const collateral = secured === undefined ? '' : rng.pick(isPledge(secured) ? PLEDGE_ITEMS : MORTGAGE_ITEMS);
  const start = drawDate(rng, 2022, 2025);
  return {
    borrower,
    lender: lender(rng, borrower.city),
    legalRep: person(rng, { nonBmp: nonBmp && rng.chance(0.5) }),
    guarantor: rng.chance(0.5) ? company(rng).name : person(rng),
    principal: drawLoanYuan(rng),
    termMonths: drawTermMonths(rng),
    start,
    guarantees,
    collateral,
    purpose: rng.pick(LOAN_PURPOSES),
    rate: `${(2.9 + rng.float() * 2.6).toFixed(2)}%`,
    contractNo: `${start.year}${rng.pick(CONTRACT_PREFIXES)}流借字第${String(rng.int(1, 9999)).padStart(4, '0')}号`,
  };
}

// ---- slots --------------------------------------------------------------------------------------

interface Piece { text: string; entity?: EntityName }

type Need = 'secured' | 'personal' | 'credit' | 'guaranteed';

/** What a slot needs from the deal; templates whose slots cannot be filled are skipped. */
const SLOT_NEEDS: Readonly<Record<string, Need>> = {
  GUA_SEC: 'secured',
  collateral: 'secured',
  GUA_PERS: 'personal',
  guarantor: 'personal',
  GUA_CREDIT: 'credit',
  GUAS: 'guaranteed',
};

function dealHas(deal: Deal, need: Need): boolean {
  switch (need) {
    case 'secured': return deal.guarantees.some(isSecured);
    case 'personal': return deal.guarantees.some(isPersonal);
    case 'credit': return deal.guarantees.includes('信用');
    case 'guaranteed': return !deal.guarantees.includes('信用');
  }
}

const amount = (rng: Rng, yuan: number, family: AmountFamily = 'any'): string => renderAmount(rng, yuan, family);
const roundYuan = (y: number): number => Math.round(y / 10000) * 10000;

type PlainSlot = (rng: Rng, deal: Deal) => string;

const PLAIN_SLOTS: Readonly<Record<string, PlainSlot>> = {
  borrower: (_r, d) => d.borrower.name,
  lender: (_r, d) => d.lender,
  legalRep: (_r, d) => d.legalRep,
  guarantor: (_r, d) => d.guarantor,
  city: (_r, d) => d.borrower.city,
  business: (_r, d) => d.borrower.business,
  industry: (_r, d) => d.borrower.industry,
  purpose: (_r, d) => d.purpose,
  collateral: (_r, d) => d.collateral,
  rate: (_r, d) => d.rate,
  contractNo: (_r, d) => d.contractNo,
  signDate: (_r, d) => formatDate(d.start),
  emoji: (r) => r.pick(NOTE_EMOJI),
  anyPerson: (r) => person(r),
  address: (r, d) => `${d.borrower.city}市${r.pick(DISTRICTS)}${r.pick(ROADS)}${r.int(1, 399)}号`,
  // distractor amounts: derived from the principal so they sit in the same range and forms
  interest: (r, d) => amount(r, fractionOf(r, d.principal * d.termMonths / 12, 0.03, 0.05)),
  fee: (r, d) => amount(r, fractionOf(r, d.principal, 0.001, 0.01)),
  minDraw: (r, d) => amount(r, roundYuan(d.principal * (0.05 + 0.15 * r.float())), 'wan'),
  capital: (r) => amount(r, drawLoanYuan(r), r.chance(0.7) ? 'wan' : 'any'),
  revenue: (r, d) => amount(r, roundYuan(d.principal * (2 + r.float() * 18)), 'wan'),
  profit: (r, d) => amount(r, roundYuan(d.principal * (0.05 + r.float() * 0.6)), 'wan'),
  tax: (r, d) => amount(r, roundYuan(d.principal * (0.02 + r.float() * 0.2)), 'wan'),
  assets: (r, d) => amount(r, roundYuan(d.principal * (3 + r.float() * 12)), 'wan'),
  utility: (r, d) => {
    const yuan = Math.max(3000, Math.round((d.principal * (0.002 + r.float() * 0.01)) / 100) * 100);
    return amount(r, yuan, yuan < 10000 ? 'numeric' : 'wan');
  },
  guaranteeBalance: (r, d) => (r.chance(0.4) ? '0元' : amount(r, roundYuan(d.principal * r.float()), 'wan')),
  existing: (r, d) => amount(r, roundYuan(d.principal * (0.3 + r.float() * 0.7))),
  colValue: (r, d) => amount(r, roundYuan(d.principal * (1.2 + r.float())), r.chance(0.5) ? 'wan' : 'any'),
  maxDebt: (r, d) => amount(r, roundYuan(d.principal * (1 + r.float() * 0.5))),
  netAssets: (r, d) => amount(r, roundYuan(d.principal * (2 + r.float() * 5)), 'wan'),
  insured: (r, d) => amount(r, roundYuan(d.principal * (1 + r.float() * 0.3)), 'wan'),
  deposit: (r, d) => amount(r, roundYuan(d.principal * (0.1 + r.float() * 0.2))),
  creditLine: (r, d) => amount(r, roundYuan(d.principal * (1.5 + r.float() * 1.5)), 'wan'),
  remaining: (r, d) => amount(r, roundYuan(d.principal * (0.2 + r.float() * 0.5)), 'wan'),
  // distractor periods: look like repayment periods, are not
  guarPeriod: (r) => r.pick(['三年', '两年', '3年', '2年', '六个月']),
  grace: (r) => r.pick(['3个月', '三个月', '10日', '15天', '1个月']),
  validity: (r) => r.pick(['六个月', '三个月', '6个月', '90天']),
  // other figures
  bp: (r) => String(r.int(4, 24) * 5),
  ratio: (r) => `${(35 + r.float() * 40).toFixed(1)}%`,
  growth: (r) => `${(3 + r.float() * 15).toFixed(1)}%`,
  feeRate: (r) => r.pick(['1%', '0.5%', '2%', '千分之五']),
  currentRatio: (r) => (0.8 + r.float() * 1.2).toFixed(2),
  foundYear: (r) => String(r.int(1996, 2019)),
  lastYear: (r) => String(r.int(2022, 2024)),
  date: (r) => formatDate(drawDate(r, 2023, 2025)),
  staff: (r) => String(r.int(25, 1500)),
  opYears: (r) => String(r.int(2, 5)),
  turnoverDays: (r) => String(r.int(30, 150)),
  checkDays: (r) => r.pick(['15', '30']),
  installments: (r) => r.pick(['4', '6', '8', '12']),
  copies: (r) => r.pick(['三', '四', '五', '3']),
};

function guaranteePieces(rng: Rng, types: readonly GuaranteeType[]): Piece[] {
  const joiner = rng.pick(GUARANTEE_JOINERS);
  const out: Piece[] = [];
  types.forEach((g, i) => {
    // 抵押、质押及保证: the joiner before the last type, enumeration commas before the others
    if (i > 0) out.push({ text: i === types.length - 1 || joiner === '+' ? joiner : '、' });
    out.push({ text: g, entity: '担保方式' });
  });
  return out;
}

type EntitySlot = (rng: Rng, deal: Deal) => Piece[];

const ENTITY_SLOTS: Readonly<Record<string, EntitySlot>> = {
  AMT: (r, d) => [{ text: amount(r, d.principal), entity: '借款金额' }],
  AMT_UPPER: (r, d) => [{ text: amount(r, d.principal, 'upper'), entity: '借款金额' }],
  AMT_NUM: (r, d) => [{ text: amount(r, d.principal, 'numeric'), entity: '借款金额' }],
  AMT_WAN: (r, d) => [{ text: amount(r, d.principal, 'wan'), entity: '借款金额' }],
  TERM: (r, d) => [{ text: renderTerm(r, d.termMonths), entity: '还款期限' }],
  TERM_RANGE: (r, d) => [{ text: renderTermRange(r, d.start, d.termMonths), entity: '还款期限' }],
  GUAS: (r, d) => guaranteePieces(r, d.guarantees),
  GUA: (_r, d) => [{ text: d.guarantees[0], entity: '担保方式' }],
  GUA_SEC: (_r, d) => [{ text: d.guarantees.find(isSecured) ?? '', entity: '担保方式' }],
  GUA_PERS: (_r, d) => [{ text: d.guarantees.find(isPersonal) ?? '', entity: '担保方式' }],
  GUA_CREDIT: () => [{ text: '信用', entity: '担保方式' }],
};

// ---- templates ----------------------------------------------------------------------------------

const SLOT = /\{([A-Za-z_]+)\}/g;

function slotsOf(template: string): string[] {
  return Array.from(template.matchAll(SLOT), (m) => m[1]);
}

/** Whether every slot of the template is known and the deal has what the slots need. */
export function canRender(template: string, deal: Deal): boolean {
  return slotsOf(template).every((s) => {
    if (!(s in PLAIN_SLOTS) && !(s in ENTITY_SLOTS)) throw new Error(`unknown slot {${s}} in "${template}"`);
    const need = SLOT_NEEDS[s];
    return need === undefined || dealHas(deal, need);
  });
}

/** Whether the template labels at least one entity. */
export function hasEntitySlot(template: string): boolean {
  return slotsOf(template).some((s) => s in ENTITY_SLOTS);
}

/** Fills the template for the deal; entity slots become labelled spans. */
export function renderTemplate(rng: Rng, template: string, deal: Deal): LabelledText {
  if (!canRender(template, deal)) throw new Error(`template does not fit the deal: "${template}"`);
  const b = new SpanBuilder();
  // split() with a capture group alternates literal text (even indexes) and slot names (odd indexes)
  template.split(SLOT).forEach((part, i) => {
    if (i % 2 === 0) {
      b.plain(part);
    } else if (part in ENTITY_SLOTS) {
      for (const p of ENTITY_SLOTS[part](rng, deal)) {
        if (p.entity === undefined) b.plain(p.text);
        else b.entity(p.entity, p.text);
      }
    } else {
      b.plain(PLAIN_SLOTS[part](rng, deal));
    }
  });
  return b.build();
}

/** Up to k distinct templates from the bank that fit the deal, in random order. */
export function pickTemplates(rng: Rng, bank: readonly string[], deal: Deal, k: number): string[] {
  return rng.sample(bank.filter((t) => canRender(t, deal)), k);
}
