/**
 * Prompt templates: text with {column name} placeholders. The original blog post's template is the default
 * for its columns; any other CSV gets one "列名: 值" line per feature column.
 */

/** The original blog post's prompt, over its seven columns. */
export const BLOG_POST_TEMPLATE =
  '企业信贷审批评估:\n' +
  '企业名称:{企业名称}\n' +
  '纳税额:{纳税额(万元)}万元,水电费:{水电费(万元)}万元\n' +
  '经营年限:{经营年限(年)}年,区域:{区域}\n' +
  '区域经济指数:{区域经济指数}\n' +
  '请判断该企业是否存在信贷违约风险(输出0=正常,1=违约):';

const PLACEHOLDER = /\{([^{}\n]+)\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

export function genericTemplate(featureNames: readonly string[]): string {
  return ['信贷审批评估:', ...featureNames.map((name) => `${name}: {${name}}`), '请判断是否存在信贷违约风险(输出0=正常,1=违约):'].join('\n');
}

/** The blog post's template when the features are exactly its columns, else the generic one. */
export function defaultTemplate(featureNames: readonly string[]): string {
  const columns = placeholders(BLOG_POST_TEMPLATE);
  const same = columns.length === featureNames.length && columns.every((c) => featureNames.includes(c));
  return same ? BLOG_POST_TEMPLATE : genericTemplate(featureNames);
}

/** Problems of a template against the feature columns: placeholders that are not features, features it does not show. */
export function templateProblems(template: string, featureNames: readonly string[]): { unknown: string[]; unused: string[] } {
  const used = placeholders(template);
  return { unknown: used.filter((p) => !featureNames.includes(p)), unused: featureNames.filter((f) => !used.includes(f)) };
}

export function renderPrompt(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`the prompt template's {${name}} is not a feature column`);
    return v;
  });
}
