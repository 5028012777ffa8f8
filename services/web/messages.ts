import type { Language, Localized } from '../../shared/i18n/index.js';

/**
 * The pages' message catalogue. Each area keeps its strings beside its pages (complaints/messages.ts, ...) and
 * registers them with defineMessages; a key missing in one language fails the type check.
 */
export type Messages<K extends string> = Record<K, Localized>;

export const defineMessages = <K extends string>(m: Messages<K>) => m;

/** A translator bound to one language: t('key', { n: 3 }) fills {n}. */
export function translator<K extends string>(messages: Messages<K>, lang: Language) {
  return (key: K, params: Record<string, string | number> = {}) =>
    messages[key][lang].replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Strings every page shares: the frame, the language switch, common actions and form feedback. */
export const commonMessages = defineMessages({
  'site.name': { 'zh-CN': '市场监管投诉举报', en: 'Consumer complaints' },
  'site.bureau': { 'zh-CN': '市场监督管理局', en: 'Market Supervision Bureau' },
  'nav.home': { 'zh-CN': '首页', en: 'Home' },
  'nav.report': { 'zh-CN': '我要投诉举报', en: 'Report' },
  'nav.track': { 'zh-CN': '查询进度', en: 'Track' },
  'nav.recalls': { 'zh-CN': '召回信息', en: 'Recalls' },
  'nav.sampling': { 'zh-CN': '你点我检', en: 'You pick, we test' },
  'nav.staff': { 'zh-CN': '工作人员', en: 'Staff' },
  'nav.queue': { 'zh-CN': '案件队列', en: 'Case queue' },
  'nav.dashboard': { 'zh-CN': '监管看板', en: 'Dashboard' },
  'nav.signals': { 'zh-CN': '缺陷线索', en: 'Defect signals' },
  'nav.recallRecords': { 'zh-CN': '召回管理', en: 'Recalls' },
  'nav.admin': { 'zh-CN': '账号管理', en: 'Accounts' },
  'nav.queues': { 'zh-CN': '任务队列', en: 'Job queues' },
  'nav.logout': { 'zh-CN': '退出登录', en: 'Sign out' },
  'nav.menu': { 'zh-CN': '主导航', en: 'Main navigation' },
  'lang.switch': { 'zh-CN': 'English', en: '中文' },
  'lang.switchLabel': { 'zh-CN': 'Switch to English', en: '切换到中文' },
  skip: { 'zh-CN': '跳到正文', en: 'Skip to content' },
  'footer.hotline': { 'zh-CN': '全国消费者投诉举报热线 12315', en: 'National consumer hotline 12315' },
  'footer.docs': { 'zh-CN': '开放接口', en: 'API' },
  'form.required': { 'zh-CN': '必填', en: 'required' },
  'form.optional': { 'zh-CN': '选填', en: 'optional' },
  'form.errors': { 'zh-CN': '请修改以下 {n} 处后再提交：', en: 'Please correct {n} thing(s) before submitting:' },
  'form.submit': { 'zh-CN': '提交', en: 'Submit' },
  'form.save': { 'zh-CN': '保存', en: 'Save' },
  'form.search': { 'zh-CN': '搜索', en: 'Search' },
  'form.yes': { 'zh-CN': '是', en: 'Yes' },
  'form.no': { 'zh-CN': '否', en: 'No' },
  'form.unknown': { 'zh-CN': '不确定', en: 'Not sure' },
  'form.choose': { 'zh-CN': '请选择', en: 'Choose' },
  'error.title': { 'zh-CN': '出错了', en: 'Something went wrong' },
  'error.notFound': { 'zh-CN': '页面不存在', en: 'Page not found' },
  'error.back': { 'zh-CN': '返回首页', en: 'Back to the home page' },
  'error.csrf': {
    'zh-CN': '页面已过期或来源不明，请刷新后重新提交。',
    en: 'This form has expired or did not come from this site. Reload the page and submit again.',
  },
  'error.rateLimited': { 'zh-CN': '操作过于频繁，请 {s} 秒后再试。', en: 'Too many attempts; try again in {s} seconds.' },
  'error.unavailable': { 'zh-CN': '服务暂时不可用，请稍后重试。', en: 'The service is temporarily unavailable; please retry.' },
  'date.overdue': { 'zh-CN': '已超期 {n} 天', en: '{n} day(s) overdue' },
  'date.dueToday': { 'zh-CN': '今天到期', en: 'due today' },
  'date.dueIn': { 'zh-CN': '还剩 {n} 天', en: '{n} day(s) left' },
});

export type CommonKey = keyof typeof commonMessages;
