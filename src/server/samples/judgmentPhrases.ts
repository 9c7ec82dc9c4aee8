/**
 * Phrase bank of court-judgment fact paragraphs in loan, guarantee, mortgage and guarantee-insurance
 * cases, written in the mini template language (miniTemplate.ts). Data only; judgments.ts fills the slots.
 *
 * Labelled (per the court-judgment guidelines): {AMT} the loan principal (lent, borrowed, drawn down,
 * agreed), {AMT2} the same principal restated in another form, {OWED} outstanding principal, {LINE} a
 * credit line; {TERM} the loan's duration, {RANGE} the loan term as a date range, {DUE} the loan's final
 * due date; <G:…> guarantee modes, also inside contract names (《<G:最高额保证>合同》) and verb phrases.
 * Not labelled: interest, penalties, fees, totals of principal and interest, repaid sums, deposits (定金 too),
 * collateral values, guarantee caps (被担保的债权数额), insured sums, premiums; event dates and interest payment
 * dates, 保证期间 and 保证期限, insurance periods (保险期限), the periods of other contracts, interest periods;
 * roles (保证人, 抵押人), 保证金, 抵押登记, 抵押物, 信用社.
 */

/** How a paragraph opens. */
export const OPENERS = [
  '经审理查明:',
  '本院经审理认定事实如下:',
  '本院经审理认定以下事实:',
  '经审理查明,',
  '原告[{lenderShort}|{plaintiff}]向本院提出诉讼请求:',
  '原告{plaintiff}诉称:',
  '[原告|{plaintiff}]诉称,',
  '本院认定事实如下:',
  '根据当事人陈述和经审查确认的证据,本院认定事实如下:',
  '',
  '',
] as const;

/** Claims (诉讼请求): the principal beside interest, penalties and costs. */
export const CLAIMS = [
  '1.判令被告{borrower}偿还[借款本金|原告借款|借款]{AMT}及利息{interest}(暂计算至{date},此后按{rate}计算至实际清偿之日止);2.判令被告{guarantor}对上述债务承担[连带清偿|<G:连带保证>|<G:连带责任保证>]责任;3.本案诉讼费由被告承担',
  '1、请求判令被告偿还借款本金{OWED}、利息{interest}、罚息{penalty},合计{total};2、判令被告承担律师费{lawyerFee};3、诉讼费用由被告负担',
  '请求判令被告{borrower}归还原告借款{AMT}及利息{interest},被告{guarantor}承担连带还款责任',
  '1.判令{borrower}立即归还借款{AMT}及逾期利息(以{AMT2}为本金,按照中国人民银行同期同类贷款利率的四倍,自{date}起计算至实际给付之日止);2.判令{guarantor}对上述款项承担<G:连带保证>责任',
  '判令被告支付原告代偿款{repaid}及资金占用费{interest},并支付违约金{penalty}',
  '1.判令{borrower}赔偿原告理赔金额{claimPaid},并支付违约金{penalty}(按每日千分之一计算,自{date}暂计算至{date});2.判令{borrower}支付逾期保费{premium};3.判令{borrower}支付原告律师费{lawyerFee}',
  '请求判令被告偿还尚欠本金{OWED}及至判决确定的履行期限届满之日止的利息、复利、罚息,并对被告提供的{collateral}享有优先受偿权',
] as const;

/** The loan agreed: principal, term, rate. */
export const LOAN_FACTS = [
  '{date},{borrower}与{lender}签订《{loanContract}》,约定{borrower}向{lender}借款{AMT},借款期限为{TERM},[{RANGE}|即{RANGE}],[借款{yearRate}|{monthRate}],[逾期罚息利率为借款利率上浮50%|按月结息,到期一次性还本]',
  '{date},{borrower}向{lender}借款{AMT},[并出具借条一份|双方签订借款合同一份],约定借款期限为{TERM},{monthRate}',
  '[同日|{date}],{lender}与{borrower}签订了《{loanContract}》,合同约定:借款金额为{AMT},期限{RANGE},{monthRate},[借款用途为{purpose}|用于{purpose}]',
  '{borrower}因{purpose}向{lender}[申请|提出]借款{AMT},期限{TERM}',
  '{date},{borrower}[作为借款人|]向{lender}[申请贷款|借款]{AMT},[借款期限为|期限为|借期]{TERM},[到期一次性还本付息|按月等额本息还款|利随本清]',
  '{borrower}出具借条一份,载明:今借到{lenderPerson}现金{AMT},于{DUE}前还清',
  '{date},{borrower}向原告{lenderPerson}借款{AMT},定于{DUE}前归还,[并由{guarantor}作为担保人在借条上签字|月息{monthRateWord}]',
  '{borrower}[与|同]{lender}签订编号为{contractNo}的《{loanContract}》,约定{lender}向{borrower}发放贷款{AMT},[借款期限为{TERM},|期限]{RANGE},{yearRate}',
  '借款人向贷款人申请贷款金额为{AMT},借款期限为{TERM},即{RANGE},借款用途为{purpose}',
  '{date},{borrower}向{lender}申请授信,双方签订《授信协议》,约定{lender}向{borrower}提供授信额度{LINE},授信期限为{TERM}',
  '[双方|原、被告]约定借款金额为{AMT}([大写|]{AMT2}),借款期限为{RANGE},借款利息为同期银行贷款利率的{times}倍',
  '{borrower}以购车为由向{lender}申请[汽车消费贷款|个人消费贷款]{AMT},借款期限为{TERM},按月等额还款,每期还款{installment}',
  '{borrower}在{lender}的借款本金{AMT}、利息、违约金及实现债权的费用',
  '{date},{borrower}[分两次|先后]向{lender}借款{AMT}、{AMT_B},借款期限均为{TERM},[月利率均为{monthRatePct}|未约定利息]',
  '{lender}于{date}向{borrower}出借{AMT}用于{purpose},[约定|双方口头约定]借期{TERM}',
  '{guarantor}为{borrower}在{lender}办理的贷款(<T:[一年|两年|六个月]>){AMT}及利息提供<G:连带责任>担保',
  '[原告|{lender}]将{AMT}借款以[银行转账|现金]方式交付{borrower}',
  '{borrower}向{lender}出具借条一份,载明借款金额为{AMT},同时在借条上注明借款期限为{TERM}',
  '{borrower}称其向{lender}贷款{AMT}是为[偿还债务|家庭生活],[但|并]未举证证明',
  '双方签订的《{loanContract}》载明借款{AMT},借款期限为{RANGE},月利率为{monthRatePct}',
  '借款合同中借款期限填写为&ldquo;{TERM},{RANGE}&rdquo;,后{borrower}将借款期限涂改为&ldquo;{RANGE}&rdquo;',
  '[原告|{lenderPerson}]于{date}向{borrower}出借{AMT},[借期|借款期限]{TERM},[月利率|月息]{monthRatePct},借款到期日为{DUE}',
  '{borrower}与{lender}经协商签订了《机动车辆<G:抵押>借款合同》,合同约定{borrower}以其所有的{car}作为<G:抵押>,向{lender}借款{AMT},借款期限为{RANGE}',
  '{date},{lender}与{borrower}签订了《{loanContract}》,约定{lender}向{borrower}提供借款{AMT}用于{purpose},借款期限为{TERM},[利率按{yearRate}执行|{monthRate}],还款方式为[到期一次性还本付息|按季付息到期还本]',
] as const;

/** Disbursement of the principal. */
export const DISBURSEMENTS = [
  '合同签订后,{lender}[依约|按约定|于{date}]向{borrower}发放了[贷款|借款]{AMT}',
  '{date},{lender}按约定借给{borrower}{AMT},{borrower}[出具了借款借据|在借款借据上签字捺印]',
  '同日,{lender}通过银行转账方式向{borrower}交付借款{AMT},借款借据载明借款执行{yearRate},到期日为{DUE}',
  '[{lender}|原告]于{date}将{AMT}[借款|款项]转入{borrower}账户',
  '{borrower}确认收到{lender}发放的贷款{AMT}',
  '上述合同签订后,{lender}以现金方式向{borrower}交付借款{AMT},当日预扣利息{interestSmall}',
] as const;

/** Guarantees: modes named in contract names and verb phrases, with the distractors around them. */
export const GUARANTEES = [
  '同日,{guarantor}与{lender}签订《<G:[保证|最高额保证]>合同》,约定{guarantor}为上述借款提供<G:[连带责任保证|保证]>[担保|],保证期间为主债务履行期届满之日起[两年|二年|2年|六个月]',
  '{guarantor}作为保证人与{lender}签订一份《<G:最高额保证>合同》,同意为{borrower}自{dateRangeOther}期间[依据|与{lender}签订的借款合同等而形成]的债务,在{cap}的最高余额内承担<G:[连带保证|连带责任保证]>责任,保证担保的范围为主债权本金、利息、复利、罚息、违约金、损害赔偿金以及实现债权的费用',
  '{guarantor}[向|为]{lender}出具《<G:保证>函》,承诺对{borrower}的上述借款承担<G:连带责任保证>',
  '{guarantor}在借条上以担保人身份签字,[自愿|]承担<G:[连带责任保证|连带保证]>担保责任,担保期间为借款到期后[两年|二年|六个月]',
  '该笔借款由{guarantor}提供<G:保证>,保证方式为<G:[连带责任保证|一般保证]>,保证范围为借款本金、利息、罚息及实现债权的费用,保证期间为[借款到期之日起二年|主债务履行期届满之日起两年]',
  '[同日,|]{mortgagor}与{lender}签订《<G:[抵押|最高额抵押]>合同》,约定以其[名下|所有]的{collateral}为上述借款提供<G:抵押>担保,并办理了抵押登记[手续|],抵押物评估价值为{collateralValue}',
  '{mortgagor}以其位于{place}的{collateral}为上述债务提供<G:抵押>担保,[并于{date}|]在{registry}办理了抵押登记,{lender}取得了他项权证',
  '{mortgagor}与{lender}签订了编号为{contractNo}的《<G:最高额抵押>合同》,约定{mortgagor}以其房产在{cap}的最高余额内提供<G:抵押>担保,抵押人最高担保的债权额为{cap}',
  '{borrower}以其{pledgeItem}作为<G:质押>,[与{lender}签订了《<G:质押>合同》|并办理了出质登记]',
  '{borrower}与{lender}签订编号为{contractNo}的《货物<G:质押>协议》,就{borrower}将其[生产的产品|库存钢材|仓储货物]<G:质押>给{lender}进行融资事宜作出约定',
  '{guaCo}与{lender}签订《<G:保证>合同》一份,约定{guaCo}为{borrower}的上述借款[向{lender}|]提供<G:连带责任保证>,保证期间为借款到期之日起两年',
  '[同日|{date}],{borrower}与{guaCo}签订《委托<G:保证>合同》,约定由{guaCo}为{borrower}的借款提供担保,{borrower}向{guaCo}缴纳保证金{deposit}及担保费{fee}',
  '为确保《委托<G:保证>合同》中{guaCo}的债权实现,{guarantor}与{guaCo}签订《<G:[抵押|抵(质)押]>反担保合同》,约定以其所有的{collateral}向{guaCo}提供<G:抵押>反担保,反担保范围为{guaCo}代偿的全部款项和利息',
  '{guarantor}向{guaCo}出具了个人反担保<G:保证>函,<G:保证>函主要内容为:保证方式为[无限|]<G:连带责任保证>,保证范围为借款本金、利息、违约金以及实现债权的费用',
  '{guarantor}[自愿|]为{borrower}在{lender}的{AMT}贷款提供<G:[连带责任|连带保证]>担保',
  '{guarantor}对该借款承担<G:连带保证>责任',
  '{guarantor}与{lender}签订[了|]<G:保证>合同,自愿为{borrower}在{lender}处形成的本金数额为{AMT}的债务提供<G:保证>担保,担保的方式为[不可撤销|]<G:连带责任保证>',
  '本笔借款的担保方式为<G:[抵押|保证|质押|抵押加保证]>',
  '[{borrower}|借款人]与{lender}签订《个人<G:信用>借款合同》,约定{lender}向{borrower}发放<G:信用>贷款{AMT}',
  '{borrower}与{lender}签订的《<G:抵押>借款协议书》约定,{borrower}以其{collateral}作<G:抵押>,被担保的债权数额为{cap}',
  '{mortgagor}与{lender}签订《<G:抵押>合同》,约定将登记在其名下的房产及其土地使用权予以<G:抵押>,用作该笔借款的担保,抵押登记的债权数额为{cap}',
  '{guarantor}(乙方)与{guaCo}(甲方)签订《反担保<G:保证>合同》,约定乙方向甲方提供反担保,保证方式为<G:连带责任保证>,乙方保证担保范围为甲方代偿的全部款项',
] as const;

/** Guarantee insurance: 保证保险 as the mode securing the loan, beside premiums and insured sums. */
export const INSURANCE = [
  '{date},{borrower}要求{insurer}为其在{lender}的{AMT}贷款提供个人消费信贷<G:保证保险>,{insurer}接受投保并签发保险单,保费缴纳方式为期缴,每期{premium},保险期间自个人消费信贷合同项下贷款发放之日起至清偿全部贷款本息之日止',
  '{borrower}向{insurer}投保《小额信贷<G:保证保险>》,保险单载明:投保人为{borrower},被保险人为{lender},保险金额为{insured},保险费为{premium},保险期间{insPeriod}',
  '[投保单载明|保险单载明]申请贷款金额为{AMT},贷款银行为{lender},贷款期限为{TERM}',
  '因{borrower}逾期未还款,{insurer}按<G:保证保险>合同的约定向{lender}支付理赔款{claimPaid},{lender}出具了权益转让书',
  '被告在本案中系履约<G:保证保险>之保险人,即使应承担责任亦是<G:保证保险>赔偿责任',
  '被告辩称:{borrower}与{lender}签订的借款合同无效,被告不应承担<G:保证保险>赔偿责任',
  '[因此|故],<G:保证保险>合同无效,[被告|{insurer}]不承担保险赔偿责任',
  '{insurer}已代{borrower}向{lender}偿还借款本息{claimPaid},已履行<G:保证保险>责任',
  '{insurer}为{borrower}在{lender}的{AMT}贷款出具[机动车辆消费贷款|个人贷款]<G:保证保险>保险单,保险金额为{insured}',
] as const;

/** Default, repayment history and the debt still owed. */
export const DEFAULTS = [
  '借款到期后,{borrower}[仅|]归还[了|]利息{interestSmall},[尚欠本金{OWED}及利息未还|借款本金至今未还]',
  '{borrower}[自{date}起|借款到期后]未按约[归还|偿还]借款本息,截至{date},尚欠借款本金{OWED}、利息{interest}、罚息{penalty},本息合计{total}',
  '[经原告多次催要|经{lender}多次催收],{borrower}[仅偿还本金{repaid}|未归还任何款项],[{guarantor}亦未履行<G:保证>责任|{guarantor}也未履行担保义务]',
  '截至{date},{borrower}[累计|共]归还本金{repaid},尚欠{lender}借款本金{OWED}及相应利息',
  '{date},{borrower}与{lender}签订还款协议,[{borrower}|双方]确认欠{lender}借款本金{OWED}及借款利息{interest},并承诺于{DUE}前一次性偿还本金{OWED}',
  '{borrower}于{date}偿还利息{interestSmall}后再未还款,{lender}宣布贷款提前到期',
  '因{borrower}未能按期还款,{guaCo}于{date}代偿了借款本息{total},其中本金{OWED},利息{interestSmall}',
  '{borrower}逾期后,{lender}从其账户扣划{repaid},[截至起诉之日|至今]尚欠本金{OWED}',
  '截至{date},{borrower}共欠{lender}款项{total}[【|(]其中本金{OWED},利息{interestSmall}[】|)]',
] as const;

/** Facts with no labelled entity: amounts, dates and periods a model must leave alone. */
export const NOISE = [
  '{lender}为依法设立的金融机构,[{borrower}|借款人]系{companyOrPerson}',
  '另查明,{guarantor}系{borrower}的[妻子|配偶|法定代表人|股东]',
  '上述事实,有原告提交的借款合同、[<G:抵押>合同|<G:保证>合同|借款借据]、[他项权证|转账凭证|催收通知书]及当事人陈述等证据在卷佐证,本院予以确认',
  '另查明,{borrower}的注册资本为{capital},法定代表人为{personName}',
  '原告为本案诉讼支付律师代理费{lawyerFee},并由[两被告|被告]负担诉讼费{courtFee}',
  '保险期间自{insDate1}零时起至{insDate2}二十四时止',
  '[{borrower}|被告]于{date}向{guaCo}缴纳[了|]保证金{deposit}',
  '{lender}于{date}向{borrower}[发出|送达]《贷款催收通知书》,{borrower}在回执上签字',
  '庭审中,[被告|{borrower}]对借款事实无异议,但辩称已归还部分利息{interestSmall},[原告|{lender}]不予认可',
  '[本院于|]{date}[立案受理后|受理后],依法适用[简易|普通]程序,公开开庭进行了审理',
  '{borrower}支付{guaCo}贷款担保费用合计{fee},其中担保费{feePart},评审费{feePart2}',
  '{collateralOwner}名下[房产|车辆]经评估价值为{collateralValue},已于{date}办理[查封|抵押登记]手续',
  '截至{date},{borrower}[拖欠|欠缴]货款{goods},利息{interestSmall},总计{total}',
  '双方另约定,逾期还款的,按每日{dailyRate}支付违约金,并承担实现债权的律师费、诉讼费等费用',
  '{borrower}在{lender}开立的银行账户上资金{balance}已被扣划用于归还利息',
  '[县信用联社|农村信用合作联社|信用社]于{date}向{borrower}送达了催收通知',
  '保证人{guarantor}的保证期间为主合同约定的债务履行期限届满之日起两年,保证范围包括本金、利息、罚息和实现债权的费用',
  '{borrower}向原告出具收条,确认收到定金{goods},余欠{interestSmall}',
  '{date},{borrower}向{lender}转账{repaid},备注为[还款|利息]',
  '原告提交的{date}《借款借据》显示,借款执行年利率为{yearRateNum}%,逾期利率在此基础上加收50%',
  '另,{borrower}为办理该笔贷款向{lender}支付了财务顾问费{fee}',
  '被告辩称:[原告诉请的利息过高,应按年利率24%调整|借款已部分归还,原告主张的数额有误|其仅为介绍人,不是借款人]',
  '[保证人|担保人]承诺:主债权存在物的担保的,债权人有权要求保证人先承担保证责任',
  '{lender}与{borrower}于{date}签订的合同第[四|五|六|七]条约定,借款人未按期还款的,贷款人有权宣布借款提前到期',
  '本保单每次事故责任限额为{insured},累计责任限额为{cap},每次事故每人人身伤亡责任限额为{feePart}',
  '本案系[保证保险合同纠纷|金融借款合同纠纷|民间借贷纠纷|追偿权纠纷],[原告|{plaintiff}]的主体适格',
  '{borrower}于{date}支付第一笔款项{repaid},于{date}归还第二笔{interestSmall}',
  '{borrower}出具承诺书,承诺于{date}前[付清|支付]货款{goods}',
  '保险期限[12个月|24个月|一年|36个月|三年],[保险期间{insPeriod}|自保险单签发之日起计算]',
  '[原告|{lender}]请求对抵押物[行使优先受偿权|折价或者拍卖、变卖所得价款优先受偿]',
  '如果借款展期,担保人继续承担担保责任,保证期限延至展期借款到期之后[二年|两年]',
  '{borrower}于{date}向{lenderPerson}支付定金{deposit},后因{borrower}未履行承诺,{lenderPerson}诉至法院要求返还定金',
  '[仓储|租赁|委托管理]合同约定,本合同有效期自{dateRangeOther}止,[仓储费|租金|管理费]按月结算',
  '[双方|{borrower}与{lender}]确认,{date}前的利息已经全部支付完毕,此后的利息于每月[10|12|20|21]日前支付',
] as const;

/** Contract names of loans that carry no guarantee mode. */
export const LOAN_CONTRACTS = [
  '借款合同', '个人借款合同', '流动资金借款合同', '人民币借款合同', '个人消费贷款合同', '融资款合同', '借款协议', '个人经营性借款合同',
  '小企业借款合同', '担保借款合同', '委托担保合同', '农户小额贷款借款合同',
] as const;

export const PURPOSES = ['购买发动机', '资金周转', '购车', '日常生活消费', '购钢材', '归还融资款', '装修房屋', '生产经营', '购买原材料', '支付工程款'] as const;
export const COLLATERAL = ['房产', '住宅房屋', '土地使用权', '商铺', '厂房及土地使用权', '机器设备', '办公楼', '15处房地产'] as const;
export const PLEDGE_ITEMS = ['定期存单', '股权', '应收账款', '硅钢卷', '仓单', '银行承兑汇票'] as const;
export const CARS = ['奥迪轿车一辆', '大众轿车一辆', '货车一辆', '丰田越野车一辆', '挖掘机一台'] as const;
export const REGISTRIES = ['房地产交易中心', '不动产登记中心', '国土资源局', '房管局', '车辆管理所'] as const;
