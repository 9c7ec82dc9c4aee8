// Small datasets a tiny model learns in seconds: the synthetic tasks of the training tests.
import { Rng } from '../../src/server/util/prng';

/**
 * The synthetic tagging task: short loan clauses from a few templates, with the amount, guarantee and
 * period drawn from the forms contracts use, a distracting fee amount in some, and 😀, 𠀋 or \r\n in
 * some texts so offsets are exercised. Labels are placed by construction (code points).
 */
export function syntheticClauses(seed: number, total: number): string {
  const rng = new Rng(seed);
  const digits = (): string => String(rng.int(1, 9999));
  const amounts = [
    (): string => `${digits()}万元`,
    (): string => `人民币${digits()}万元整`,
    (): string => `RMB${digits()}万元`,
    (): string => `¥${rng.int(1, 99)},${rng.int(100, 999)},000.00`,
    (): string => `${digits()}000元`,
  ];
  const guarantees = ['抵押', '质押', '保证', '连带责任保证', '一般保证', '最高额抵押', '信用'];
  const periods = [
    (): string => `${rng.int(1, 10)}年`,
    (): string => `${rng.int(3, 120)}个月`,
    (): string => rng.pick(['一年', '两年', '三年', '五年', '壹年']),
  ];
  const templates = [
    '借款金额{A}，担保方式为{G}，还款期限{P}。',
    '本合同项下借款{A}，期限{P}，采用{G}方式担保。',
    '甲方向乙方借款{A}，借款期限为{P}，由丙方提供{G}。',
    '贷款金额：{A}；贷款期限：{P}；担保方式：{G}。手续费{F}。',
    '经审查，同意发放贷款{A}，期限{P}，以{G}作为担保{X}。',
  ];
  const lines: string[] = [];
  for (let i = 0; i < total; i++) {
    const parts: Record<string, [string, string | null]> = {
      A: [rng.pick(amounts)(), '借款金额'],
      G: [rng.pick(guarantees), '担保方式'],
      P: [rng.pick(periods)(), '还款期限'],
      F: [`${digits()}元`, null],
      X: [rng.pick(['', '😀', '𠀋', '\r\n另行约定']), null],
    };
    let text = rng.chance(0.1) ? '𠀋' : '';
    const labels: { entity: string; value: string; start: number; end: number }[] = [];
    for (const piece of rng.pick(templates).split(/(\{[AGPFX]\})/)) {
      const slot = /^\{([AGPFX])\}$/.exec(piece)?.[1];
      const [value, entity] = slot ? parts[slot] : [piece, null];
      const start = [...text].length;
      text += value;
      if (entity) labels.push({ entity, value, start, end: start + [...value].length });
    }
    lines.push(JSON.stringify({ id: `clause-${i}`, text, labels }));
  }
  return `${lines.join('\n')}\n`;
}

/** A credit CSV whose label follows a rule on the region, with noise-free labels: 西北 and 东北 default. */
export function ruleCsv(rows: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const regions = ['华东', '华南', '华北', '华中', '西南', '西北', '东北'];
  const lines = ['企业名称,纳税额(万元),水电费(万元),经营年限(年),区域,区域经济指数,是否违约'];
  for (let i = 0; i < rows; i++) {
    const region = regions[Math.floor(rng.float() * regions.length)];
    const label = region === '西北' || region === '东北' ? 1 : 0;
    lines.push(
      `企业${i},${(rng.float() * 50).toFixed(2)},${(rng.float() * 20).toFixed(2)},${1 + Math.floor(rng.float() * 20)},${region},${(90 + rng.float() * 20).toFixed(1)},${label}`,
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}
