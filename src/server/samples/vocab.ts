/** Word banks: places, name syllables, industries, banks, collateral. Data only, no logic. */

/** Cities by region (the credit CSV's 区域), so a company's region matches its city. */
export const REGION_CITIES = {
  华东: ['上海', '杭州', '宁波', '苏州', '南京', '无锡', '合肥', '济南', '青岛', '福州', '厦门', '南昌'],
  华南: ['深圳', '广州', '东莞', '佛山', '南宁', '海口'],
  华北: ['北京', '天津', '石家庄', '太原', '呼和浩特', '唐山'],
  华中: ['郑州', '武汉', '长沙', '宜昌', '洛阳', '株洲'],
  西南: ['重庆', '成都', '贵阳', '昆明', '绵阳', '宜宾', '万州', '涪陵'],
  西北: ['西安', '兰州', '银川', '西宁', '乌鲁木齐'],
  东北: ['沈阳', '大连', '长春', '哈尔滨'],
} as const;

export type Region = keyof typeof REGION_CITIES;

export const CITIES: readonly string[] = Object.values(REGION_CITIES).flat();

/** Two-character trade names are built from these syllables. */
export const NAME_SYLLABLES = [
  '华', '鑫', '盛', '隆', '泰', '恒', '瑞', '丰', '源', '达', '宏', '嘉', '鼎', '祥', '昌', '信', '德', '安',
  '永', '金', '汇', '通', '和', '兴', '博', '远', '创', '诚', '佳', '顺', '利', '荣', '海', '川', '渝', '蜀',
  '江', '峰', '铭', '凯', '科', '誉', '晟', '煜', '天', '新', '明', '辉', '中', '正', '致', '卓', '腾', '骏',
] as const;

/** CJK Extension B characters (outside the BMP: two UTF-16 units, one code point). */
export const EXT_B_CHARS = ['𠀋', '𡈼', '𤭢', '𠮷', '𨭎', '𩽾', '𪚥', '𠝹', '𣴑', '𥻗'] as const;

/** Emoji that annotators leave in notes (also outside the BMP). */
export const NOTE_EMOJI = ['📄', '📌', '🔍', '📎', '🏦'] as const;

export const INDUSTRIES = [
  ['机械制造', '通用机械设备的研发、生产与销售'],
  ['汽车零部件', '汽车零部件及配件的制造'],
  ['电子科技', '电子元器件的研发与加工'],
  ['建材', '新型建筑材料的生产与销售'],
  ['食品', '调味品及休闲食品的生产'],
  ['物流', '道路普通货物运输与仓储服务'],
  ['商贸', '五金交电、建材及日用百货的批发'],
  ['医药', '医疗器械及药品的批发零售'],
  ['纺织', '棉纺织品的生产与加工'],
  ['化工', '精细化工产品的生产'],
  ['农业开发', '农产品种植、收购与初加工'],
  ['环保科技', '工业废水处理设备的制造与运维'],
  ['建筑工程', '房屋建筑及市政工程施工'],
  ['新能源', '光伏组件及储能设备的生产'],
  ['餐饮管理', '连锁餐饮经营与管理'],
] as const;

export const COMPANY_SUFFIXES = ['有限公司', '有限责任公司', '股份有限公司', '有限公司'] as const;

export const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '罗',
  '高', '林', '谭', '冉', '向', '邓', '欧阳', '司马',
] as const;

export const GIVEN_CHARS = [
  '伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '霞', '平', '刚',
  '建国', '志强', '海燕', '晓东', '红梅', '国平', '德华', '春生', '玉兰', '文斌',
] as const;

export const BANKS = [
  '重庆银行', '成都银行', '中国工商银行', '中国建设银行', '中国农业银行', '中国银行', '交通银行', '招商银行',
  '兴业银行', '浦发银行', '重庆农村商业银行', '长沙银行', '宁波银行', '江苏银行',
] as const;

export const BRANCH_KINDS = ['分行', '支行', '分行营业部'] as const;

export const LOAN_PURPOSES = [
  '补充流动资金', '采购原材料', '支付货款', '购置生产设备', '厂房技术改造', '支付工程款', '日常经营周转',
] as const;

/** Collateral for mortgages (抵押) and for pledges (质押). */
export const MORTGAGE_ITEMS = ['工业厂房', '商业用房', '国有建设用地使用权', '机器设备', '住宅房产', '在建工程'] as const;
export const PLEDGE_ITEMS = ['应收账款', '股权', '定期存单', '仓单', '专利权', '银行承兑汇票'] as const;

/** Regions of the credit CSV: share of firms and the centre of the economic index (higher = stronger). */
export const REGIONS: readonly { region: Region; weight: number; indexCentre: number }[] = [
  { region: '华东', weight: 25, indexCentre: 112 },
  { region: '华南', weight: 18, indexCentre: 108 },
  { region: '华北', weight: 15, indexCentre: 101 },
  { region: '华中', weight: 14, indexCentre: 97 },
  { region: '西南', weight: 14, indexCentre: 94 },
  { region: '西北', weight: 7, indexCentre: 86 },
  { region: '东北', weight: 7, indexCentre: 83 },
];

export const ENGLISH_TRADE_NAMES = ['Huaxin', 'Evergreen', 'Golden Bridge', 'Sino-Link', 'Pacific Star', 'Orient Union'] as const;
export const ENGLISH_KINDS = ['Trading', 'Technology', 'Logistics', 'Industrial', 'Holdings'] as const;

export const DISTRICTS = ['高新区', '经开区', '工业园区', '新城区', '临空经济区', '保税区'] as const;
export const ROADS = ['金开大道', '人民路', '建设路', '科技路', '解放路', '长江路', '黄河路', '迎宾大道'] as const;
