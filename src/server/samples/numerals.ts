/** Number spellings used in Chinese financial text: 大写 (financial capitals), 小写 Chinese, separators. */

const UPPER_DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const UPPER_UNITS = ['', '拾', '佰', '仟'] as const;
const LOWER_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const LOWER_UNITS = ['', '十', '百', '千'] as const;
const SECTION_UNITS = ['', '万', '亿'] as const;

function spellSection(n: number, digits: readonly string[], units: readonly string[]): string {
  // n in [1, 9999]; inner zero runs collapse to one 零, trailing zeros vanish.
  let out = '';
  let pendingZero = false;
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10;
    if (d === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    if (pendingZero) out += digits[0];
    pendingZero = false;
    out += digits[d] + units[pos];
  }
  return out;
}

function spellInteger(n: number, digits: readonly string[], units: readonly string[]): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e12) throw new RangeError(`cannot spell ${n}`);
  if (n === 0) return digits[0];
  const sections = [n % 10000, Math.floor(n / 10000) % 10000, Math.floor(n / 1e8)];
  let out = '';
  for (let i = 2; i >= 0; i--) {
    const s = sections[i];
    if (s === 0) {
      if (out !== '' && !out.endsWith(digits[0])) out += digits[0];
      continue;
    }
    // A section below 1000 after a higher non-zero section reads with a leading 零 (壹仟万零伍佰).
    if (out !== '' && s < 1000 && !out.endsWith(digits[0])) out += digits[0];
    out += spellSection(s, digits, units) + SECTION_UNITS[i];
  }
  return out.endsWith(digits[0]) ? out.slice(0, -1) : out;
}

/** 5000000 -> 伍佰万 (financial capitals, as written on contracts and cheques). */
export function upperChinese(n: number): string {
  return spellInteger(n, UPPER_DIGITS, UPPER_UNITS);
}

/** 36 -> 三十六, 18 -> 十八, 3 -> 三 (ordinary Chinese numerals). */
export function lowerChinese(n: number): string {
  const s = spellInteger(n, LOWER_DIGITS, LOWER_UNITS);
  return n >= 10 && n < 20 ? s.slice(1) : s; // 一十八 -> 十八
}

/** 5000000 -> "5,000,000"; keeps any decimals as given. */
export function withThousands(n: number, decimals = 0): string {
  const [int, frac] = n.toFixed(decimals).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** 365.50 -> "365.5", 500 -> "500": shortest plain decimal with at most `maxDecimals` places. */
export function plainDecimal(n: number, maxDecimals = 2): string {
  return n.toFixed(maxDecimals).replace(/\.?0+$/, '');
}
