/** Names of companies, people and lenders built from the word banks. */
import type { Rng } from '../util/prng';
import {
  BANKS, BRANCH_KINDS, CITIES, COMPANY_SUFFIXES, ENGLISH_KINDS, ENGLISH_TRADE_NAMES, EXT_B_CHARS, GIVEN_CHARS,
  INDUSTRIES, NAME_SYLLABLES, SURNAMES,
} from './vocab';

export interface Company {
  name: string;
  city: string;
  industry: string;
  /** What the business does, for due-diligence prose. */
  business: string;
}

export interface NameOptions {
  /** Put one CJK Extension B character (outside the BMP) into the trade name. */
  nonBmp?: boolean;
  /** The company's city (default: any). */
  city?: string;
}

function tradeName(rng: Rng, opts: NameOptions): string {
  const a = rng.pick(NAME_SYLLABLES);
  let b = rng.pick(NAME_SYLLABLES);
  while (b === a) b = rng.pick(NAME_SYLLABLES);
  if (!opts.nonBmp) return a + b;
  return rng.chance(0.5) ? rng.pick(EXT_B_CHARS) + b : a + rng.pick(EXT_B_CHARS);
}

/** e.g. 重庆鑫隆机械制造有限公司 */
export function company(rng: Rng, opts: NameOptions = {}): Company {
  const city = opts.city ?? rng.pick(CITIES);
  const [industry, business] = rng.pick(INDUSTRIES);
  const cityPart = rng.chance(0.3) ? `${city}市` : city;
  return { name: `${cityPart}${tradeName(rng, opts)}${industry}${rng.pick(COMPANY_SUFFIXES)}`, city, industry, business };
}

/** e.g. 王志强 or 欧阳敏; with nonBmp the given name is an Extension B character. */
export function person(rng: Rng, opts: NameOptions = {}): string {
  const given = opts.nonBmp ? rng.pick(EXT_B_CHARS) : rng.pick(GIVEN_CHARS);
  return rng.pick(SURNAMES) + given;
}

/** e.g. 重庆银行股份有限公司万州分行 */
export function lender(rng: Rng, city: string): string {
  const bank = rng.pick(BANKS);
  const legal = bank.startsWith('中国') || bank === '交通银行' ? `${bank}股份有限公司` : bank;
  return `${legal}${city}${rng.pick(BRANCH_KINDS)}`;
}

/**
 * A company name as it appears in a credit file export. A few carry a comma or a double quote, which the
 * CSV writer must quote (RFC 4180): 'XX有限公司（Huaxin Trading Co., Ltd.）', '重庆"山城"食品有限公司'.
 */
export function creditFileCompany(rng: Rng, city: string): string {
  const c = company(rng, { city });
  const r = rng.float();
  if (r < 0.012) return `${c.name}（${rng.pick(ENGLISH_TRADE_NAMES)} ${rng.pick(ENGLISH_KINDS)} Co., Ltd.）`;
  if (r < 0.016) return `${city}"${rng.pick(NAME_SYLLABLES)}${rng.pick(NAME_SYLLABLES)}"${c.industry}有限公司`;
  return c.name;
}
