/** An entity type annotators can assign: the display name files usually carry, and its tag. */
export interface LabelType {
  /** Display name, e.g. 借款金额. */
  readonly name: string;
  /** Upper-case tag used in BIO files and by models, e.g. LOAN_AMOUNT. */
  readonly tag: string;
  /** CSS colour of its decorations. */
  readonly color: string;
  readonly description: string;
  /** The key that labels a selection with this type (Alt+key in text editors, the key alone in the annotation view): '1'..'9'. */
  readonly key?: string;
}

/** The original blog post's three entity types; the default schema until a workspace defines its own. */
export const DEFAULT_LABEL_TYPES: readonly LabelType[] = [
  { name: '借款金额', tag: 'LOAN_AMOUNT', color: '#e8a33d', key: '1', description: 'Loan amount (principal), e.g. 500万元, 人民币伍佰万元整' },
  { name: '担保方式', tag: 'GUARANTEE_TYPE', color: '#3d9be8', key: '2', description: 'Guarantee type, e.g. 抵押, 连带责任保证' },
  { name: '还款期限', tag: 'REPAY_PERIOD', color: '#4cbf6b', key: '3', description: 'Repayment period, e.g. 3年, 36个月' },
];

/** Looks a type up by display name or tag (files may use either). */
export class LabelSchema {
  private readonly byKey = new Map<string, LabelType>();

  constructor(readonly types: readonly LabelType[] = DEFAULT_LABEL_TYPES) {
    for (const t of types) {
      this.byKey.set(t.name, t);
      this.byKey.set(t.tag, t);
    }
  }

  resolve(nameOrTag: string): LabelType | undefined {
    return this.byKey.get(nameOrTag);
  }
}
