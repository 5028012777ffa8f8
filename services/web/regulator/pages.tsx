import { Hono } from 'hono';
import { shanghaiDate } from '../../../shared/calendar/index.js';
import { categoryLabels, itemCategories } from '../../../shared/complaints/index.js';
import { labelOf } from '../../../shared/i18n/index.js';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import { getDashboard } from '../../casework/index.js';
import { Countdown, PriorityBadge } from '../components.js';
import { renderPage } from '../layout.js';
import { defineMessages, translator } from '../messages.js';
import { pageStaff, requireStaffPage } from '../session.js';
import type { WebEnv } from '../types.js';

const m = defineMessages({
  title: { 'zh-CN': '监管看板', en: 'Dashboard' },
  open: { 'zh-CN': '办理中的事项', en: 'Open items' },
  overdue: { 'zh-CN': '已超期', en: 'Overdue now' },
  week: { 'zh-CN': '本周收到', en: 'Received this week' },
  unclaimed: { 'zh-CN': '未领取的案件', en: 'Unclaimed cases' },
  byWeek: { 'zh-CN': '各周收到的投诉举报（按类别）', en: 'Items received per week, by category' },
  compliance: { 'zh-CN': '各区县按时作出决定的比例（近 90 天）', en: 'Decisions within the legal time limit, by county (last 90 days)' },
  county: { 'zh-CN': '区县', en: 'County' },
  decided: { 'zh-CN': '已决定', en: 'Decided' },
  onTime: { 'zh-CN': '按时', en: 'On time' },
  rate: { 'zh-CN': '按时率', en: 'On-time rate' },
  openOverdue: { 'zh-CN': '当前超期', en: 'Overdue now' },
  escalations: { 'zh-CN': '督办中的案件', en: 'Escalated cases' },
  noEscalations: { 'zh-CN': '没有督办中的案件。', en: 'No escalated cases.' },
  merchant: { 'zh-CN': '商家', en: 'Merchant' },
  due: { 'zh-CN': '期限', en: 'Due' },
  assignee: { 'zh-CN': '承办人', en: 'Assignee' },
  topMerchants: { 'zh-CN': '被投诉举报最多的商家（近 90 天）', en: 'Merchants complained of most (last 90 days)' },
  items: { 'zh-CN': '事项数', en: 'Items' },
  openItems: { 'zh-CN': '未办结', en: 'Open' },
  weekOf: { 'zh-CN': '周起始日', en: 'Week of' },
  table: { 'zh-CN': '查看数据表', en: 'Show the numbers' },
  noData: { 'zh-CN': '暂无数据。', en: 'No data yet.' },
});

/** The regulator's dashboard: the same data as GET /api/v1/dashboard, as tables, drawn as charts by Chart.js. */
export function regulatorPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();
  app.use('/regulator', requireStaffPage('regulator'));
  app.get('/regulator', async (c) => {
    const lang = c.get('language');
    const t = translator(m, lang);
    const d = await getDashboard(ctx, { staff: pageStaff(c) });
    const today = shanghaiDate(new Date());
    const weeks = [...new Set(d.itemsByWeek.map((w) => w.week))].sort();
    const chartData = {
      weeks,
      series: itemCategories.map((cat) => ({
        label: labelOf(categoryLabels, cat, lang),
        data: weeks.map((w) => d.itemsByWeek.find((x) => x.week === w && x.category === cat)?.count ?? 0),
      })),
      compliance: d.compliance.map((r) => ({
        label: r.name,
        rate: r.decided ? Math.round((100 * r.decidedOnTime) / r.decided) : null,
        overdue: r.openOverdue,
      })),
      labels: { onTime: t('rate'), overdue: t('openOverdue') },
    };
    return renderPage(c, {
      title: t('title'),
      wide: true,
      scripts: ['/static/vendor/chart.umd.min.js', '/static/js/dashboard.js', '/static/js/countdown.js'],
      children: (
        <section>
          <h1>{t('title')}</h1>
          <div class="kpis">
            <div class="kpi">
              <span>{t('open')}</span>
              <strong>{d.totals.openItems}</strong>
            </div>
            <div class="kpi">
              <span>{t('overdue')}</span>
              <strong class={d.totals.overdueItems > 0 ? 'verdict-fail' : ''}>{d.totals.overdueItems}</strong>
            </div>
            <div class="kpi">
              <span>{t('week')}</span>
              <strong>{d.totals.receivedThisWeek}</strong>
            </div>
            <div class="kpi">
              <span>{t('unclaimed')}</span>
              <strong>{d.totals.unclaimedCases}</strong>
            </div>
          </div>
          {/* A data block, not a script: it is never executed, and `<` is escaped so the text cannot close the element. */}
          <script
            type="application/json"
            id="dashboard-data"
            dangerouslySetInnerHTML={{ __html: JSON.stringify(chartData).replace(/</g, '\\u003c') }}
          ></script>
          <div class="stats">
            <section class="panel" aria-labelledby="by-week">
              <h2 id="by-week">{t('byWeek')}</h2>
              <div class="chart-box">
                <canvas id="chart-weeks" role="img" aria-label={t('byWeek')}></canvas>
              </div>
              <details>
                <summary>{t('table')}</summary>
                <div class="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('weekOf')}</th>
                        {itemCategories.map((cat) => (
                          <th scope="col">{labelOf(categoryLabels, cat, lang)}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {weeks.map((w, i) => (
                        <tr>
                          <th scope="row">{w}</th>
                          {chartData.series.map((s) => (
                            <td>{s.data[i]}</td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </section>
            <section class="panel" aria-labelledby="compliance">
              <h2 id="compliance">{t('compliance')}</h2>
              <div class="chart-box">
                <canvas id="chart-compliance" role="img" aria-label={t('compliance')}></canvas>
              </div>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('county')}</th>
                      <th scope="col">{t('decided')}</th>
                      <th scope="col">{t('onTime')}</th>
                      <th scope="col">{t('rate')}</th>
                      <th scope="col">{t('openOverdue')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.compliance.map((r) => (
                      <tr>
                        <th scope="row">{`${r.name}（${r.jurisdictionCode}）`}</th>
                        <td>{r.decided}</td>
                        <td>{r.decidedOnTime}</td>
                        <td>{r.decided ? `${Math.round((100 * r.decidedOnTime) / r.decided)}%` : '—'}</td>
                        <td class={r.openOverdue > 0 ? 'verdict-fail' : ''}>{r.openOverdue}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          </div>
          <section aria-labelledby="escalations">
            <h2 id="escalations">{t('escalations')}</h2>
            {d.escalations.length === 0 ? (
              <p>{t('noEscalations')}</p>
            ) : (
              <div class="table-wrap">
                <table class="striped">
                  <thead>
                    <tr>
                      <th scope="col">P</th>
                      <th scope="col">{t('merchant')}</th>
                      <th scope="col">{t('county')}</th>
                      <th scope="col">{t('due')}</th>
                      <th scope="col">{t('assignee')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.escalations.map((e) => (
                      <tr>
                        <td>
                          <PriorityBadge priority={e.priority} />
                        </td>
                        <td>
                          <a href={`/staff/cases/${e.caseId}`}>{`#${e.caseId} ${e.merchantName}`}</a>
                        </td>
                        <td>{e.jurisdictionCode}</td>
                        <td>
                          <Countdown dueOn={e.dueOn} today={today} lang={lang} />
                        </td>
                        <td>{e.claimedBy ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section aria-labelledby="merchants">
            <h2 id="merchants">{t('topMerchants')}</h2>
            {d.topMerchants.length === 0 ? (
              <p>{t('noData')}</p>
            ) : (
              <div class="table-wrap">
                <table class="striped">
                  <thead>
                    <tr>
                      <th scope="col">{t('merchant')}</th>
                      <th scope="col">{t('county')}</th>
                      <th scope="col">{t('items')}</th>
                      <th scope="col">{t('openItems')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.topMerchants.map((r) => (
                      <tr>
                        <td>{r.merchantName}</td>
                        <td>{r.districtCode ?? '—'}</td>
                        <td>{r.items}</td>
                        <td>{r.openItems}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </section>
      ),
    });
  });
  return app;
}
