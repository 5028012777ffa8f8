import { DEMO_PASSWORD } from '../../shared/staff/index.js';
import type { ComplaintInput } from '../../shared/complaints/index.js';
import type { RecallInput } from '../../shared/recalls/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { NominationInput } from '../../shared/sampling/index.js';
import { usccCheckCharacter } from '../../shared/identifiers/index.js';
import { submitComplaint } from '../complaints/index.js';
import { createRecall, publishRecall } from '../recalls/index.js';
import { createCampaign, moderateNomination, nominate, transitionCampaign } from '../sampling/index.js';
import { authenticate, login, logout } from '../staff/index.js';

export const DEMO_CAMPAIGN_TITLE = '2026年冬季“你点我检”：儿童用品与电动自行车';
const DEMO_REGULATOR = 'regulator.xinxiang@demo.local';
const DAY = 86_400_000;

/**
 * What a person trying the demo should find besides the staff accounts: three complaints in the inspectors' queue, a
 * 你点我检 campaign open for nominations with two approved ones, and a published recall. Everything goes through the
 * same use cases as the API (so the workers route the complaints, and the recall's fan-out runs), signed in as the
 * demo regulator. Runs once: a database that already has the demo campaign is left alone.
 */
export async function seedDemoContent(ctx: ServiceContext): Promise<boolean> {
  const seeded = await ctx.db.selectFrom('sampling_campaigns').select('id').where('title', '=', DEMO_CAMPAIGN_TITLE).executeTakeFirst();
  if (seeded) return false;

  for (const input of demoComplaints) await submitComplaint(ctx, { input });

  const { token } = await login(ctx, { email: DEMO_REGULATOR, password: DEMO_PASSWORD });
  const staff = await authenticate(ctx, { token });
  try {
    const now = Date.now();
    const campaign = await createCampaign(ctx, {
      staff,
      language: 'zh-CN',
      input: {
        title: DEMO_CAMPAIGN_TITLE,
        description: '由市民提名并投票选出本季抽检的商品。市场监管局按消费者身份购买样品，送有资质的检验机构检验，结果向社会公布。',
        jurisdictionCode: '410700',
        categories: ['child_product', 'ebike'],
        nominationOpensAt: new Date(now).toISOString(),
        nominationClosesAt: new Date(now + 14 * DAY).toISOString(),
        votingOpensAt: new Date(now + 14 * DAY).toISOString(),
        votingClosesAt: new Date(now + 28 * DAY).toISOString(),
        quota: 5,
        votesPerVoter: 3,
      },
    });
    await transitionCampaign(ctx, { staff, campaignId: campaign.id, to: 'nominating', language: 'zh-CN' });
    for (const input of demoNominations) {
      const { id } = await nominate(ctx, { campaignId: campaign.id, input });
      await moderateNomination(ctx, { staff, nominationId: id, decision: { decision: 'approve' } });
    }

    const { recallNo } = await createRecall(ctx, { staff, input: demoRecall(new Date(now).toISOString().slice(0, 10)) });
    await publishRecall(ctx, { staff, recallNo });
  } finally {
    await logout(ctx, { staff });
  }
  return true;
}

const demoComplaints: ComplaintInput[] = [
  {
    kind: 'complaint',
    category: 'scale',
    title: '水果摊电子秤少秤',
    description: '用 iPhone 15（171 克）放在摊主的秤上，显示 188.5 克。买了 2 斤苹果，回家复称只有 1.8 斤。',
    merchant: { name: '张记水果摊', address: '红旗区平原路农贸市场 12 号摊位', districtCode: '410702' },
    evidence: { referenceMassG: 171, displayedMassG: 188.5, scaleMaxG: 15_000, scaleIntervalG: 5 },
    reporter: { email: 'consumer1@demo.local', language: 'zh-CN' },
  },
  {
    kind: 'report',
    category: 'ebike',
    title: '电动自行车无 3C 标志仍在销售',
    description: '店内多辆电动自行车车身没有 CCC 标志，店员说可以改装提速到每小时 50 公里。',
    merchant: { name: '飞驰电动车行', address: '解放区民主路 88 号', districtCode: '410802' },
    product: { name: '电动自行车', brand: '飞驰', model: 'FC-9' },
    evidence: { hasCccMark: false, issues: ['no_ccc', 'speed_over_25'], observedTopSpeedKmh: 48 },
    reporter: { language: 'zh-CN' },
  },
  {
    kind: 'complaint',
    category: 'child_product',
    title: '儿童磁力积木磁铁脱落',
    description: '孩子玩了两天，积木里的小磁铁就掉出来了，直径不到 5 毫米，担心被误吞。',
    merchant: { name: '乐乐母婴店', address: '红旗区新中大道 6 号', districtCode: '410702' },
    product: { name: '磁力积木', brand: '乐童', model: 'MB-36' },
    harm: { injury: 'none', childInvolved: true },
    evidence: { productType: 'toy', hazards: ['magnet_ingestion', 'small_parts'], ageRange: '3-6 岁' },
    reporter: { email: 'consumer2@demo.local', language: 'zh-CN' },
  },
];

const demoNominations: NominationInput[] = [
  {
    productName: '儿童电动牙刷',
    brand: '小白熊',
    category: 'child_product',
    merchant: { name: '新乡百货大楼', address: '红旗区人民路 1 号', districtCode: '410702' },
    reason: '刷头容易脱落，想知道电池仓是否防水、小零件是否牢固。',
  },
  {
    productName: '电动自行车锂电池',
    brand: '绿驰',
    model: '48V20Ah',
    category: 'ebike',
    merchant: { name: '绿驰电动车专卖店', address: '牧野区牧野大道 200 号', districtCode: '410711' },
    reason: '小区里充电起火的新闻很多，想知道这款电池过充保护是否合格。',
  },
];

/** A complete voluntary recall of 乐童 LT-100 / LT-200 strollers, batches 20260901 and 20260915, starting on the day given. */
export const demoRecall = (startsOn: string): RecallInput => ({
  type: 'voluntary',
  title: '乐童牌儿童推车刹车失灵召回',
  category: 'child_product',
  manufacturer: { name: '乐童玩具有限公司', uscc: '91410702MA44XW3R1' + usccCheckCharacter('91410702MA44XW3R1') },
  brand: '乐童',
  productName: '儿童推车',
  models: ['LT-100', 'LT-200'],
  batches: ['20260901', '20260915'],
  productionFrom: '2026-06-01',
  productionTo: '2026-09-15',
  unitsAffected: 1200,
  salesChannels: ['线下母婴店', '电商平台'],
  hazard: '后轮刹车装置可能失灵，推车在坡道上溜车，存在摔伤儿童的风险。',
  injuriesReported: '收到 2 起儿童轻微擦伤报告。',
  remedy: 'repair',
  remedyInstructions: '立即停止使用，联系生产者免费更换刹车组件。',
  consumerContact: '400-800-1234（工作日 9:00-17:00）',
  startsOn,
});
