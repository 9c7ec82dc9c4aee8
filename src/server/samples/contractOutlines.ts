/**
 * Outlines of the plain contract files (samples/contracts/): headings and sentence templates in the
 * order a real document has them. Data only; contracts.ts renders them with the same slots as the
 * JSONL clauses (see phrases.ts), so they change with the seed too.
 */
import type { DealOptions } from './clauses';

export interface OutlineSection {
  heading: string;
  /** Sentence templates; one that does not fit the deal is left out. */
  body: readonly string[];
  /** How the body's sentences are joined: into one paragraph, or one per line (tables, lists). */
  join: '' | '\n';
}

export interface ContractOutline {
  path: string;
  description: string;
  deal: DealOptions;
  header: readonly string[];
  sections: readonly OutlineSection[];
  footer: readonly string[];
}

const para = (heading: string, ...body: string[]): OutlineSection => ({ heading, body, join: '' });
const lines = (heading: string, ...body: string[]): OutlineSection => ({ heading, body, join: '\n' });

const DISPUTES = '因履行本合同发生的争议，由各方协商解决；协商不成的，任何一方均可向乙方所在地人民法院提起诉讼。';

export const CONTRACT_OUTLINES: readonly ContractOutline[] = [
  {
    path: 'contracts/流动资金借款合同.txt',
    description: 'A full working-capital loan contract (plain text, unlabelled) with amounts, terms and guarantees in several forms',
    deal: { allowUnsecured: false },
    header: [
      '流动资金借款合同',
      '合同编号：{contractNo}',
      '借款人（甲方）：{borrower}',
      '法定代表人：{legalRep}',
      '住所：{address}',
      '贷款人（乙方）：{lender}',
      '负责人：{anyPerson}',
      '甲方因{purpose}需要，向乙方申请流动资金贷款。根据《中华人民共和国民法典》等有关法律法规，甲乙双方经协商一致，订立本合同，以资共同遵守。',
    ],
    sections: [
      para('第一条　借款金额与用途', '本合同项下借款金额为{AMT_UPPER}（小写：{AMT_NUM}）。', '借款用途为{purpose}，未经乙方书面同意，甲方不得改变借款用途，不得用于固定资产、股权等投资。'),
      para('第二条　借款期限', '本合同项下借款期限为{TERM}，即{TERM_RANGE}。', '实际放款日与上述日期不一致的，以借款借据记载为准，借款借据是本合同的组成部分。'),
      para('第三条　借款利率与计息', '本合同项下借款年利率为{rate}，在借款期限内固定不变。', '利息按月结算，结息日为每月20日，预计本合同项下利息总额约{interest}。'),
      para('第四条　还款', '甲方应按照还款计划分{installments}期归还借款本金，最后一期还款日为借款到期日。', '甲方提前还款的，应提前三十日书面通知乙方，并按提前还款金额的{feeRate}支付补偿金。'),
      para('第五条　担保', '本合同项下借款的担保方式为{GUAS}。', '{guarantor}为本合同项下债务提供{GUA_PERS}担保，担保合同另行签订。', '甲方以其自有的{collateral}提供{GUA_SEC}担保，并依法办理登记手续，担保物评估价值{colValue}。'),
      para('第六条　费用', '甲方应于本合同签订时一次性向乙方支付贷款承诺费{fee}，该费用不计入借款本金。', '与本合同及担保有关的评估、登记、公证等费用由甲方承担。'),
      para('第七条　甲方的权利和义务', '甲方应按时向乙方提供财务报表、纳税证明等资料，接受并配合乙方的贷后检查。', '甲方变更名称、住所或法定代表人的，应在变更后十五日内书面通知乙方。', '甲方承诺资产负债率不超过{ratio}，对外担保总额不超过{capital}。'),
      para('第八条　违约责任', '甲方未按期还款的，乙方有权对逾期部分按借款利率上浮50%计收罚息，宽限期为{grace}。', '甲方挪用借款的，乙方有权对挪用部分按借款利率加收100%计收罚息，并提前收回已发放的借款。'),
      para('第九条　提款条件', '甲方提款前应已办妥本合同项下担保的全部手续，并向乙方提交提款申请书及用款计划。', '单笔提款金额不低于{minDraw}，乙方有权根据甲方经营状况调整提款计划。', '乙方采用受托支付方式将借款资金支付给符合合同约定用途的甲方交易对象。'),
      para('第十条　甲方的声明与承诺', '甲方是依法设立并有效存续的企业法人，具有签订和履行本合同所必需的民事权利能力和民事行为能力。', '甲方承诺提供的全部资料真实、完整、有效，不存在虚假记载或重大遗漏。', '甲方注册资本为{capital}，截至本合同签订之日不存在未披露的重大诉讼、仲裁或行政处罚。'),
      para('第十一条　争议解决', DISPUTES),
      para('第十二条　其他', '本合同自双方法定代表人或授权代理人签字并加盖公章之日起生效，一式{copies}份，具有同等法律效力。', '本合同未尽事宜，按照《中华人民共和国民法典》及相关法律法规执行。', '本合同项下的通知以书面形式送达本合同首部所列地址，地址变更的应及时书面通知对方。'),
    ],
    footer: ['甲方（盖章）：{borrower}', '法定代表人或授权代理人（签字）：', '乙方（盖章）：{lender}', '负责人或授权代理人（签字）：', '签订日期：{signDate}'],
  },
  {
    path: 'contracts/最高额保证合同.txt',
    description: 'A maximum-amount guarantee contract (plain text, unlabelled): distractor amounts and the guarantee period next to the loan terms',
    deal: { guarantees: ['最高额保证'] },
    header: [
      '最高额保证合同',
      '合同编号：{contractNo}-BZ',
      '保证人（甲方）：{guarantor}',
      '住所：{address}',
      '债权人（乙方）：{lender}',
      '负责人：{anyPerson}',
      '为确保债务人{borrower}与乙方在一定期间内连续发生的借款债务得到清偿，甲方自愿提供{GUA_PERS}担保。甲乙双方经协商一致，订立本合同。',
    ],
    sections: [
      para('第一条　被担保的主债权', '甲方所担保的主债权为乙方向债务人连续发放的借款，主债权发生期间为{TERM_RANGE}。', '单笔借款金额不超过{AMT}，单笔借款期限不超过{TERM}。', '甲方所担保的最高债权额为{maxDebt}。'),
      para('第二条　保证方式', '本合同的保证方式为{GUA_PERS}。', '债务人未按主合同约定履行债务的，乙方有权直接要求甲方在最高债权额范围内承担保证责任。'),
      para('第三条　保证范围', '担保范围包括主债权本金、利息、罚息、复利、违约金、损害赔偿金以及实现债权的费用。', '因汇率变化而实际超出最高债权额的部分，甲方自愿承担保证责任。'),
      para('第四条　保证期间', '保证期间为主合同约定的债务履行期限届满之日起{guarPeriod}。', '主合同约定债务分期履行的，保证期间自最后一期债务履行期限届满之日起计算。', '乙方依法宣布债务提前到期的，保证期间自债务提前到期之日起计算。'),
      para('第五条　甲方的声明与承诺', '甲方确认其净资产不低于{netAssets}，且对外担保总额不超过{capital}。', '甲方承诺提供的全部资料真实、完整、有效，不存在虚假记载或重大遗漏。', '甲方发生合并、分立、减资或重大资产转让的，应提前三十日书面通知乙方。'),
      para('第六条　主合同的变更', '乙方与债务人协议变更主合同借款金额、利率或延长借款期限的，应取得甲方书面同意；未经甲方同意加重债务的，甲方对加重部分不承担保证责任。'),
      para('第七条　违约责任', '甲方违反本合同约定的，应向乙方支付相当于最高债权额百分之五的违约金；违约金不足以弥补乙方损失的，甲方还应赔偿损失。'),
      para('第八条　债权转让与债务承担', '乙方依法将主债权转让给第三人的，甲方在原保证担保的范围内继续承担保证责任。', '未经甲方书面同意，债务人转移全部或部分债务的，甲方对未经其同意转移的债务不再承担保证责任。'),
      para('第九条　其他担保', '主债权同时存在债务人提供的物的担保的，乙方有权选择先行使物的担保或者要求甲方承担保证责任。', '乙方放弃债务人提供的物的担保的，甲方在乙方丧失优先受偿权益的范围内免除保证责任。'),
      para('第十条　争议解决', DISPUTES),
      para('第十一条　其他', '本合同自双方签字并加盖公章之日起生效，一式{copies}份，具有同等法律效力。', '本合同未尽事宜，按照《中华人民共和国民法典》及相关法律法规执行。', '本合同项下的通知以书面形式送达本合同首部所列地址，地址变更的应及时书面通知对方。'),
    ],
    footer: ['甲方（盖章）：{guarantor}', '乙方（盖章）：{lender}', '签订日期：{signDate}'],
  },
  {
    path: 'contracts/授信批复通知书.txt',
    description: 'A credit approval notice (plain text, unlabelled): approved amount, term and guarantee with conditions',
    deal: { allowUnsecured: true },
    header: [
      '授信业务批复通知书',
      '批复编号：{contractNo}-SP',
      '经办机构：{lender}',
      '申请人：{borrower}',
      '你行上报的{borrower}流动资金贷款申请收悉。经我行贷款审查委员会{signDate}审议，现批复如下。',
    ],
    sections: [
      para('一、审查意见', '{borrower}成立于{foundYear}年，注册资本{capital}，主营{business}，法定代表人{legalRep}。', '企业{lastYear}年度实现营业收入{revenue}，净利润{profit}，缴纳税款{tax}，月均水电费约{utility}，经营情况总体稳定。', '截至{date}，企业资产总额{assets}，资产负债率{ratio}，流动比率{currentRatio}，在人民银行征信系统中无不良信贷记录。', '企业现有员工{staff}人，厂区位于{address}，近{opYears}年无重大安全事故。'),
      para('二、授信方案', '同意给予{borrower}流动资金贷款{AMT}，期限{TERM}，担保方式为{GUAS}。', '同意向{borrower}发放贷款{AMT_NUM}，以{GUA_CREDIT}方式发放，不得用于固定资产投资。', '贷款利率执行年利率{rate}，按月付息，到期还本。'),
      lines('三、批复要点', '1. 贷款金额：{AMT_UPPER}', '2. 贷款期限：{TERM_RANGE}', '3. 担保方式：{GUAS}', '3. 担保方式：{GUA_CREDIT}', '4. 贷款用途：{purpose}', '5. 贷款利率：不低于LPR加{bp}个基点'),
      para('四、担保要求', '{guarantor}提供{GUA_PERS}担保，保证期间为主债务履行期限届满之日起{guarPeriod}。', '以{collateral}设定{GUA_SEC}，担保物评估价值{colValue}，放款前须办妥登记手续。', '放款前须足额缴存保证金{deposit}。'),
      para('五、放款条件', '借款人应提供最近一期财务报表及纳税证明，资产负债率不超过{ratio}。', '企业在我行综合授信总额度为{creditLine}，本次业务占用后剩余可用额度{remaining}。', '贷款资金应采用受托支付方式，支付对象须与借款人提供的购销合同相符。', '借款人应在我行开立结算账户，年度结算量不低于贷款金额的一倍。'),
      lines('六、风险提示', '1. 行业竞争加剧，产品毛利率存在下行压力，需持续关注企业订单及回款情况。', '2. 企业应收账款占比较高，应收账款周转天数约{turnoverDays}天，需关注回款风险。', '3. 实际控制人{legalRep}对外投资较多，需关注关联交易及资金挪用风险。'),
      para('七、贷后管理', '客户经理应在放款后{checkDays}日内完成首次贷后检查，此后每季度检查一次，重点关注企业纳税、水电费等经营数据的变化。', '发现借款人经营状况恶化的，应及时采取措施并向审批部门报告。'),
      para('八、其他', '本批复有效期为{validity}，逾期未使用的，本批复自动失效。', '经办行应将本批复与借款合同、担保合同一并归档，并于放款后五个工作日内将放款情况报授信审批部备案。', '未尽事宜按照我行信贷管理制度执行。'),
    ],
    footer: ['{lender}', '授信审批部', '{signDate}'],
  },
  {
    path: 'contracts/尽职调查报告摘要.md',
    description: 'A due-diligence report summary (Markdown, unlabelled) with the proposed amount, term and guarantees in a table and in prose',
    deal: { allowUnsecured: false },
    header: ['# {borrower}授信尽职调查报告（摘要）', '> 报告编号：{contractNo}-DD　调查日期：{date}　调查人员：{anyPerson}、{anyPerson}'],
    sections: [
      para('## 一、企业基本情况', '{borrower}成立于{foundYear}年，注册资本{capital}，主营{business}，法定代表人{legalRep}。', '企业现有员工{staff}人，厂区位于{address}，生产经营正常，近{opYears}年无重大安全事故。'),
      para('## 二、财务与经营分析', '企业{lastYear}年度实现营业收入{revenue}，净利润{profit}，缴纳税款{tax}，经营情况总体稳定。', '截至{date}，企业资产总额{assets}，资产负债率{ratio}，流动比率{currentRatio}。', '企业月均水电费约{utility}，与其申报的产能基本匹配。', '企业前五大客户销售占比{ratio}，应收账款周转天数约{turnoverDays}天。'),
      para('## 三、征信与涉诉情况', '经查询人民银行征信系统，企业近{opYears}年无不良信贷记录，对外担保余额{guaranteeBalance}。', '截至{date}，企业在中国执行信息公开网无被执行信息，在裁判文书网无重大涉诉信息。'),
      para('## 四、行业与经营分析', '企业所处{industry}行业市场需求总体稳定，但原材料价格波动较大，行业集中度逐步提高。', '企业与主要客户合作年限较长，销售渠道稳定，近三年销售收入年均增长约{growth}。', '经与企业财务负责人访谈，企业主要结算账户开立在我行，结算流水与销售收入基本匹配。'),
      para('## 五、还款能力分析', '企业经营性现金流量净额为{profit}，可覆盖本次借款的利息支出，还款来源为销售回款。', '按年利率{rate}测算，本次借款每年利息支出约{interest}，占企业净利润比例较低。'),
      lines('## 六、授信方案', '| 项目 | 内容 |', '| --- | --- |', '| 借款金额 | {AMT} |', '| 还款期限 | {TERM} |', '| 担保方式 | {GUAS} |', '| 贷款利率 | {rate} |', '| 借款用途 | {purpose} |'),
      para('## 七、担保分析', '申请人拟以其名下{collateral}提供{GUA_SEC}担保，评估价值{colValue}。', '保证人{guarantor}同意为本笔借款提供{GUA_PERS}担保，保证期间为主债务履行期限届满之日起{guarPeriod}。', '经核实，企业在我行存量贷款{existing}将于{date}到期，本次为新增申请。'),
      lines('## 八、风险提示', '- 行业竞争加剧，产品毛利率存在下行压力。', '- 应收账款占比较高，需关注回款情况。', '- 实际控制人{legalRep}对外投资较多，需关注关联交易。'),
      para('## 九、结论', '综合以上分析，建议给予{borrower}贷款{AMT}，借款期限{TERM}，采用{GUAS}方式，还款来源为销售回款。', '本报告所引用的数据均来源于企业提供的资料及公开信息，项目组已尽合理核查义务。'),
    ],
    footer: ['调查人员签字：{anyPerson}　复核人员签字：{anyPerson}'],
  },
];
