/**
 * Hand-written records with a label type no shipped model knows (放款银行, the lending bank), for the
 * background retraining tests: a model can only find it after learning from the labels added in the test.
 */

export const LENDING_BANK = { name: '放款银行', tag: 'LENDING_BANK', color: '#2a9d8f' } as const;

const BANKS = [
  '中国工商银行北京分行',
  '中国建设银行上海分行',
  '招商银行深圳分行',
  '交通银行杭州分行',
  '中国农业银行南京支行',
  '兴业银行福州分行',
  '中信银行成都分行',
  '浦发银行武汉分行',
  '民生银行西安分行',
  '光大银行天津分行',
  '华夏银行重庆分行',
  '平安银行广州分行',
];
const COMPANIES = [
  '恒远科技有限公司',
  '瑞丰贸易有限公司',
  '长青建材有限责任公司',
  '华辰物流有限公司',
  '金石机械制造有限公司',
  '德润食品有限公司',
  '海川电子有限公司',
];
const TEMPLATES: ((bank: string, company: string, amount: number) => string)[] = [
  (b, c, a) => `本合同的放款银行为${b}，借款人为${c}，借款金额为人民币${a}万元。`,
  (b, c, a) => `${c}于2021年3月向${b}申请流动资金贷款${a}万元，期限一年。`,
  (b, c) => `经${b}审批，同意向${c}发放贷款，由保证人提供连带责任保证。`,
  (b, c, a) => `${b}与${c}签订借款合同，约定借款${a}万元，按月付息。`,
];

export interface LendingBankRecord {
  id: string;
  text: string;
  /** The lending bank's span, in code points. */
  bank: { start: number; end: number };
}

/** `count` records; record i uses bank i mod 12, company i mod 7 and template i mod 4 (deterministic). */
export function lendingBankRecords(count: number, idPrefix = 'bank'): LendingBankRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const bank = BANKS[i % BANKS.length];
    const text = TEMPLATES[i % TEMPLATES.length](bank, COMPANIES[(i * 5) % COMPANIES.length], 100 + ((i * 37) % 900));
    const start = Array.from(text.slice(0, text.indexOf(bank))).length;
    return { id: `${idPrefix}-${i + 1}`, text, bank: { start, end: start + Array.from(bank).length } };
  });
}

/** The record as a JSONL line, its bank labelled or not. */
export function lendingBankLine(record: LendingBankRecord, labelled: boolean): string {
  return JSON.stringify({
    id: record.id,
    text: record.text,
    ...(labelled ? { labels: [{ start: record.bank.start, end: record.bank.end, entity: LENDING_BANK.name }] } : {}),
  });
}
