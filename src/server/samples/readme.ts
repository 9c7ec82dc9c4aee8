/** The README.md written next to the samples: what each file is, how it was made, how to remake it. */

export interface ReadmeFacts {
  seed: number;
  records: number;
  labels: number;
  labelsByEntity: Readonly<Record<string, number>>;
  creditRows: number;
  defaultRate: number;
  contracts: readonly { path: string; description: string }[];
}

export function renderReadme(f: ReadmeFacts): string {
  const byEntity = Object.entries(f.labelsByEntity).map(([k, v]) => `${k} ${v}`).join(', ');
  return `# FinLabel sample workspace

Everything in this folder is **generated** (synthetic, no real companies or people) by FinLabel's
sample generator with seed ${f.seed}. Regenerate it, byte for byte, with

\`\`\`sh
npx finlabel samples -o samples --seed ${f.seed}
\`\`\`

or the command **FinLabel: Regenerate Sample Data**. The generator overwrites only the files listed
here; other files in the folder are left alone. A different seed gives different data of the same shape.

## due_diligence.jsonl

${f.records} labelled records of Chinese loan contracts, due-diligence reports, credit approvals and
guarantee contracts, one JSON object per line (${f.labels} labels: ${byEntity}):

\`\`\`json
{"id":"dd-0001","text":"...","labels":[{"entity":"借款金额","value":"500万元","start":4,"end":9}],"meta":{"source":"generated","kind":"loan-contract"}}
\`\`\`

- \`start\`/\`end\` are Unicode **code point** offsets into \`text\`, end exclusive (Python \`text[start:end]\`),
  and \`value\` equals that slice.
- Entity types: 借款金额 (loan amount), 担保方式 (guarantee type), 还款期限 (repayment period), each in
  many surface forms (500万元, 人民币伍佰万元整, ¥5,000,000.00 ...; 3年, 三十六个月, 自2024年1月1日起至2026年12月31日止 ...;
  抵押, 最高额保证, 连带责任保证 ...).
- Distractors are not labelled: interest, fees, registered capital, collateral values, guarantee
  periods (保证期间), validity periods.
- Edge cases on purpose: long multi-paragraph records (800-2000 characters, "\\n" inside the text),
  records with "\\r\\n" inside the text, names with CJK Extension B characters (𠀋) and emoji before the
  entities (code points and UTF-16 offsets differ there), double quotes and backslashes, and a few
  records with no entities at all.
- \`meta.kind\`: loan-contract, due-diligence-report, credit-approval or guarantee-contract.

## contracts/

Whole documents for reading and trying the entity model on, unlabelled:

${f.contracts.map((c) => `- \`${c.path}\`: ${c.description}.`).join('\n')}

## credit.csv

${f.creditRows} enterprise credit records, UTF-8 without BOM, with the columns
企业名称, 纳税额(万元), 水电费(万元), 经营年限(年), 区域, 区域经济指数, 是否违约 (0 = 正常, 1 = 违约).

- The default label follows a noisy synthetic risk process: low tax, a high utility-to-tax ratio, few
  years in operation and a weak regional economy raise the default probability; unobserved factors
  and chance mean no model can predict it perfectly. Default rate in this file: ${(f.defaultRate * 100).toFixed(1)}%.
- About 5% of numeric cells and a few regions are blank, as in real exports: impute them.
- A few company names contain commas or double quotes and are quoted as RFC 4180 says.
`;
}
