/**
 * Phrase banks: sentence templates of Chinese loan contracts, due-diligence reports, credit approvals and
 * guarantee contracts. Data only; clauses.ts fills them.
 *
 * Slots in UPPER case are labelled entities:
 *   {AMT} loan amount (any form), {AMT_UPPER} 大写, {AMT_NUM} 小写 digits, {AMT_WAN} in 万元/亿元;
 *   {TERM} repayment period (3年, 36个月, 三年, 壹年 ...), {TERM_RANGE} as a date range;
 *   {GUAS} every guarantee type of the deal, {GUA} the first, {GUA_SEC} a mortgage/pledge type,
 *   {GUA_PERS} a guarantor type, {GUA_CREDIT} 信用 (unsecured deals only).
 * Slots in lower case are plain text, several of them distractors that look like entities but are not
 * (interest, fees, registered capital, 保证期间 ...). A template is used only when the deal has what its
 * slots need (see SLOT_NEEDS in clauses.ts).
 */

export type DocKind = 'loan-contract' | 'due-diligence-report' | 'credit-approval' | 'guarantee-contract';

export const DOC_KINDS: readonly DocKind[] = ['loan-contract', 'due-diligence-report', 'credit-approval', 'guarantee-contract'];

export interface PhraseBank {
  /** Titles of whole documents. No title names a guarantee type (titles are not labelled). */
  titles: readonly string[];
  /** Sentences that carry at least one entity. */
  core: readonly string[];
  /** Sentences without entities, many with distractor amounts or periods. */
  context: readonly string[];
}

export const PHRASES: Record<DocKind, PhraseBank> = {
  'loan-contract': {
    titles: ['流动资金借款合同', '人民币流动资金贷款合同', '借款合同（节选）', '固定资产借款合同'],
    core: [
      '借款人{borrower}因{purpose}需要，向贷款人{lender}申请借款{AMT}，借款期限为{TERM}。',
      '本合同项下借款金额为{AMT_UPPER}（小写：{AMT_NUM}），借款期限{TERM}，自实际提款日起算。',
      '借款期限：{TERM_RANGE}。实际放款日与上述日期不一致的，以借款借据记载为准。',
      '本合同项下借款的担保方式为{GUAS}，担保合同由贷款人与担保人另行签订。',
      '贷款人同意向借款人发放流动资金贷款{AMT}，用于{purpose}，期限{TERM}，执行年利率{rate}。',
      '借款金额：{AMT}；借款期限：{TERM}；担保方式：{GUAS}。',
      '借款人应于借款期限届满时一次性归还全部本金，本合同约定的借款期限为{TERM}，展期须经贷款人书面同意。',
      '本笔贷款为{GUA_CREDIT}贷款，借款人无需提供担保，但应按季度向贷款人报送财务报表。',
      '借款人以其自有的{collateral}为本合同项下债务提供{GUA_SEC}担保，并依法办理登记手续。',
      '本合同项下借款本金{AMT}，分{installments}期偿还，还款期限为{TERM}，利息按月支付。',
      '经双方协商一致，贷款人向借款人提供{AMT_WAN}的借款，借款期限自首次提款之日起{TERM}。',
      '借款人{borrower}（以下简称“借款人”）向{lender}借款{AMT}，期限{TERM_RANGE}，担保方式为{GUAS}。',
      '本合同项下借款采用{GUAS}方式担保，借款金额为{AMT_NUM}（大写：{AMT_UPPER}）。',
    ],
    context: [
      '借款利率为年利率{rate}，按月结息，结息日为每月20日，预计本合同项下利息总额约{interest}。',
      '借款人应于合同签订时一次性向贷款人支付贷款承诺费{fee}，该费用不计入借款本金。',
      '借款人逾期还款的，贷款人有权对逾期部分按借款利率上浮50%计收罚息，宽限期为{grace}。',
      '借款人注册资本为{capital}，法定代表人为{legalRep}，住所地位于{city}。',
      '贷款人有权根据借款人的经营状况调整提款计划，单笔提款金额不低于{minDraw}。',
      '借款利率以贷款市场报价利率（LPR）为基准加{bp}个基点确定，每十二个月调整一次。',
      '借款人应确保资产负债率不超过{ratio}，对外担保总额不超过{capital}。',
      '借款人提前还款的，应提前三十日书面通知贷款人，并按提前还款金额的{feeRate}支付补偿金。',
    ],
  },
  'due-diligence-report': {
    titles: ['尽职调查报告', '授信尽职调查报告（摘要）', '贷前调查报告', '小微企业贷款调查报告'],
    core: [
      '企业本次申请流动资金贷款{AMT}，期限{TERM}，担保方式为{GUAS}，还款来源为销售回款。',
      '申请人拟以其名下{collateral}提供{GUA_SEC}担保，评估价值{colValue}，本次申请借款{AMT}。',
      '保证人{guarantor}同意为本笔借款提供{GUA_PERS}担保，保证期间为主债务履行期限届满之日起{guarPeriod}。',
      '综合以上分析，建议给予{borrower}贷款{AMT}，借款期限{TERM}，采用{GUAS}方式。',
      '借款人申请贷款金额{AMT_WAN}，还款期限{TERM}，按季付息、到期还本。',
      '经核实，企业在我行存量贷款{existing}将于{date}到期，本次新增申请{AMT}，期限{TERM_RANGE}。',
      '本笔业务为{GUA_CREDIT}贷款，申请金额{AMT}，期限{TERM}，主要依据企业良好的纳税记录和结算流水。',
      '尽调结论：同意上报，金额{AMT}，期限{TERM}，担保：{GUAS}。',
      '项目组建议本次借款金额控制在{AMT}以内，期限不超过{TERM}，并由{guarantor}追加{GUA_PERS}。',
      '企业申请借款{AMT_UPPER}，拟分{installments}期偿还，最长还款期限{TERM}。',
    ],
    context: [
      '{borrower}成立于{foundYear}年，注册资本{capital}，主营{business}，法定代表人{legalRep}。',
      '企业{lastYear}年度实现营业收入{revenue}，净利润{profit}，缴纳税款{tax}，经营情况总体稳定。',
      '截至{date}，企业资产总额{assets}，资产负债率{ratio}，流动比率{currentRatio}。',
      '企业现有员工{staff}人，厂区位于{city}，生产经营正常，近{opYears}年无重大安全事故。',
      '经查询人民银行征信系统，企业近{opYears}年无不良信贷记录，对外担保余额{guaranteeBalance}。',
      '企业月均水电费约{utility}，与其申报的产能基本匹配。',
      '企业前五大客户销售占比{ratio}，应收账款周转天数约{turnoverDays}天。',
    ],
  },
  'credit-approval': {
    titles: ['授信批复', '贷款审批意见书', '授信业务批复通知书'],
    core: [
      '经我行贷款审查委员会审议，同意给予{borrower}流动资金贷款{AMT}，期限{TERM}，担保方式为{GUAS}。',
      '批复要点：一、贷款金额{AMT}；二、贷款期限{TERM}；三、担保方式{GUAS}；四、贷款利率不低于LPR加{bp}个基点。',
      '同意该笔贷款由{guarantor}提供{GUA_PERS}，并以{collateral}设定{GUA_SEC}。',
      '本次核定单笔借款金额{AMT}，用于{purpose}，借款期限{TERM_RANGE}。',
      '同意续作贷款{AMT_WAN}，期限{TERM}，以{GUA_CREDIT}方式发放，不得用于固定资产投资。',
      '授信品种：流动资金贷款；金额：{AMT}；期限：{TERM}；担保方式：{GUAS}。',
      '同意向{borrower}发放贷款{AMT_NUM}，还款期限{TERM}，采用{GUA}方式，利率执行{rate}。',
    ],
    context: [
      '本批复有效期为{validity}，逾期未使用的，本批复自动失效。',
      '放款前须落实担保登记手续，并足额缴存保证金{deposit}。',
      '贷款利率执行年利率{rate}，按月付息。',
      '客户经理应在放款后{checkDays}日内完成首次贷后检查。',
      '企业在我行综合授信总额度为{creditLine}，本次业务占用后剩余可用额度{remaining}。',
    ],
  },
  'guarantee-contract': {
    titles: ['担保合同', '担保合同（节选）', '担保协议书'],
    core: [
      '保证人{guarantor}自愿为债务人{borrower}在主合同项下的借款{AMT}提供{GUA_PERS}担保。',
      '本合同担保的主债权为债权人依据主合同向债务人发放的借款，本金金额{AMT}，借款期限{TERM_RANGE}。',
      '担保人以其名下位于{city}的{collateral}为主合同项下借款提供{GUA_SEC}担保，担保物评估价值{colValue}。',
      '本合同项下的担保方式为{GUAS}，保证期间为主债务履行期限届满之日起{guarPeriod}。',
      '主合同借款金额为{AMT}，借款期限{TERM}，担保人在最高债权额{maxDebt}范围内提供{GUA_PERS}担保。',
      '主债务人{borrower}向债权人借款{AMT_UPPER}，借款期限{TERM}，{guarantor}为该笔借款提供{GUA_PERS}。',
      '出质人以其持有的{collateral}为主合同项下{AMT}借款设定{GUA_SEC}。',
    ],
    context: [
      '保证期间为主合同约定的债务履行期限届满之日起{guarPeriod}。',
      '担保范围包括主债权本金、利息、罚息、复利、违约金、损害赔偿金以及实现债权的费用。',
      '担保人确认其净资产不低于{netAssets}，且对外担保总额不超过{capital}。',
      '担保物的保险由担保人办理，保险金额不低于{insured}，第一受益人为债权人。',
    ],
  },
};

/** Sentences without entities or loan figures, for contracts (loan and guarantee). */
const CONTRACT_BOILERPLATE: readonly string[] = [
  '本合同一式{copies}份，各方各执一份，具有同等法律效力。',
  '因履行本合同发生的争议，由各方协商解决；协商不成的，任何一方均可向贷款人所在地人民法院提起诉讼。',
  '本合同自各方法定代表人或授权代理人签字并加盖公章之日起生效。',
  '借款人应配合贷款人进行贷后检查，按时提供财务报表、纳税证明等资料。',
  '任何一方未行使或延迟行使本合同项下的权利，不构成对该权利的放弃。',
  '借款人变更名称、住所或法定代表人的，应在变更后十五日内书面通知贷款人。',
  '本合同未尽事宜，按照《中华人民共和国民法典》及相关法律法规执行。',
  '借款人承诺提供的全部资料真实、完整、有效，不存在虚假记载或重大遗漏。',
  '本合同项下的通知以书面形式送达本合同首部所列地址，地址变更的应及时书面通知对方。',
  '各方确认已充分阅读并理解本合同全部条款，贷款人已应借款人要求对相关条款作出说明。',
];

/** Sentences without entities or loan figures, for reports and approvals. */
const REPORT_BOILERPLATE: readonly string[] = [
  '尽调人员于{date}对企业进行了现场访谈，查阅了近三年的财务报表及纳税申报资料。',
  '企业实际控制人{legalRep}从业经验丰富，管理团队稳定，无涉诉记录。',
  '本报告所引用的数据均来源于企业提供的资料及公开信息，项目组已尽合理核查义务。',
  '截至{date}，企业在中国执行信息公开网无被执行信息，在裁判文书网无重大涉诉信息。',
  '企业生产经营场所为自有厂房，现场查看设备运转正常，库存商品摆放有序。',
  '经与企业财务负责人访谈，企业主要结算账户开立在我行，结算流水与销售收入基本匹配。',
  '行业竞争加剧，产品毛利率存在下行压力，需持续关注企业订单及回款情况。',
  '客户经理应按季度开展贷后检查，重点关注企业纳税、水电费等经营数据的变化。',
];

/** Boilerplate by kind: contract wording for contracts, report wording for reports and approvals. */
export const BOILERPLATE: Record<DocKind, readonly string[]> = {
  'loan-contract': CONTRACT_BOILERPLATE,
  'guarantee-contract': CONTRACT_BOILERPLATE,
  'due-diligence-report': REPORT_BOILERPLATE,
  'credit-approval': REPORT_BOILERPLATE,
};

/** Openers that put a name with a CJK Extension B character, or an emoji, before the entities. */
export const NON_BMP_OPENERS: readonly string[] = [
  '借款人：{borrower}；法定代表人：{legalRep}。',
  '{emoji}备注：{borrower}提交的资料已扫描归档。',
  '{emoji} 客户经理{legalRep}于{date}完成现场核查。',
  '申请人{borrower}（法定代表人{legalRep}）基本情况如下。',
];

/** Sentences with curly quotes, ASCII double quotes and backslashes (JSON escaping). */
export const QUOTE_SENTENCES: readonly string[] = [
  '本合同所称"主合同"指{lender}与{borrower}签订的编号为{contractNo}的“流动资金借款合同”，电子版存于\\\\fs01\\信贷档案\\{contractNo}.pdf。',
  '客户经理备注："企业主称订单同比增长约三成"，“现场照片”见D:\\尽调资料\\{lastYear}\\走访记录\\。',
  '系统导出字段"loan_note"原文：“以实际放款为准\\n请复核”，路径C:\\Users\\credit\\export.json。',
];
