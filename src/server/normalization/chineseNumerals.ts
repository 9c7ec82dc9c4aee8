import Nzh from 'nzh/cn';

/**
 * Chinese numerals through nzh (a maintained reader of 小写 numerals, BSD-2-Clause). What nzh does
 * not do is here: 大写 numerals are folded onto 小写 ones first (nzh's decodeB wants a money layout),
 * 两 and 〇 are read, and runs nzh would read loosely ("五五" as 55, "万" as 10000) are refused, so
 * an odd form is "not understood" rather than a guess.
 */

const CAPITAL_TO_PLAIN: Record<string, string> = {
  壹: '一',
  贰: '二',
  貳: '二',
  叁: '三',
  參: '三',
  肆: '四',
  伍: '五',
  陆: '六',
  陸: '六',
  柒: '七',
  捌: '八',
  玖: '九',
  拾: '十',
  佰: '百',
  仟: '千',
  萬: '万',
  億: '亿',
  两: '二',
  兩: '二',
  〇: '零',
};
export const CAPITAL_DIGITS = '零壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億';
const DIGIT = '一二三四五六七八九';
const UNIT = '十百千万亿';
/** Characters of a Chinese numeral, 大写 or 小写. */
export const NUMERAL_CHARS = `零〇${DIGIT}两兩${UNIT}${CAPITAL_DIGITS}`;

/** Full-width digits and separators as ASCII; keeps the code-point length (one for one). */
export function asciiDigits(text: string): string {
  return text.replace(/[０-９．，：（）]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** True when a numeral run uses 大写 digits (壹, 拾, ...). */
export function isCapital(run: string): boolean {
  return [...run].some((c) => c !== '零' && CAPITAL_DIGITS.includes(c));
}

/** The value of a Chinese integer numeral (三十六, 肆佰伍拾万, 伍拾万零捌佰), or undefined when it is not a well-formed one. */
export function chineseInteger(run: string): number | undefined {
  const plain = [...run].map((c) => CAPITAL_TO_PLAIN[c] ?? c).join('');
  if (!new RegExp(`^[零${DIGIT}${UNIT}]+$`).test(plain)) return undefined;
  if (/^[百千万亿]/.test(plain) || /^零./.test(plain)) return undefined;
  // Two digits in a row (五五) are a digit string, not a numeral; a unit twice in a row (十十) is a slip.
  if (new RegExp(`[${DIGIT}][${DIGIT}]|([十百千])\\1`).test(plain)) return undefined;
  const value = Number(Nzh.decodeS(plain));
  return Number.isFinite(value) && (value > 0 || plain === '零') ? value : undefined;
}
