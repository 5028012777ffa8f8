import type { MessageCatalogue } from '../translate.js';

/** 你点我检 sampling: the zh-CN line of every sampling error message (campaigns, nominations, voting, tasks). */
export const samplingErrorMessagesZh: MessageCatalogue = {
  // campaigns and phases
  'categories must not repeat': '类别不能重复',
  'nothing to change': '没有要修改的内容',
  'must be after nominationOpensAt': '须晚于提名开始时间',
  'must not be before nominationClosesAt': '不能早于提名截止时间',
  'must be after votingOpensAt': '须晚于投票开始时间',
  'not a division within your jurisdiction': '不是您辖区内的行政区划',
  'only a draft campaign can be changed': '只能修改草稿状态的活动',
  'the campaign changed meanwhile; reload it': '活动已被他人更新，请刷新后重试',
  'the selection job moves the campaign to sampling once the tasks and their draws exist': '抽取完成、任务生成后由系统转入抽样阶段',
  '{n} result(s) are not final yet': '尚有 {n} 项检验结果未确定',
  'the results are published once every result is final': '所有检验结果确定后才能公布',
  'the seed is revealed when the selection has been made': '完成抽取后才公开随机种子',
  'the inspector roster is too small for {n} task(s): each needs at least {needed} eligible inspectors':
    '检查人员名录不足，{n} 个任务无法抽取：每个任务至少需要 {needed} 名符合条件的检查人员',
  // nominations and moderation
  'this campaign is not taking nominations now': '该活动现在不接受提名',
  'must be a county-level district within the campaign’s jurisdiction ({code})': '须为本活动辖区（{code}）内的县级行政区划',
  'one of the campaign’s categories: {values}': '须为本活动的类别之一：{values}',
  'needed to send you the results': '需要填写邮箱才能把结果发给您',
  'no such nomination': '没有这个提名',
  'nominations are moderated only while nominating and voting': '只能在提名和投票阶段审核提名',
  'a {status} nomination cannot be {decision}d': '该提名当前状态（{status}）下不能执行此操作',
  'must be another approved nomination of the same campaign': '须为同一活动中另一个已通过的提名',
  // voters and votes
  'the 6-digit code from the email': '请填写邮件中的 6 位验证码',
  'too many codes for this address; try again later': '该邮箱获取验证码次数过多，请稍后再试',
  'no code is waiting for this address; request one': '该邮箱没有待验证的验证码，请先获取验证码',
  'the code has expired; request a new one': '验证码已过期，请重新获取',
  'too many wrong codes; request a new one': '验证码错误次数过多，请重新获取',
  'wrong code': '验证码错误',
  'this code has just been used; request a new one': '该验证码刚刚已被使用，请重新获取',
  'invalid voter token': '投票凭证无效',
  'the voter token has expired; verify again': '投票凭证已过期，请重新验证邮箱',
  'this voter token is for another campaign': '该投票凭证属于其他活动',
  'this campaign is not taking votes now': '该活动现在不接受投票',
  'the nomination was merged meanwhile; vote again': '该提名已被合并，请重新投票',
  'you have already voted for this nomination': '您已为该提名投过票',
  'each voter has {n} vote(s) in this campaign': '本活动每位投票人共有 {n} 票，已用完',
  // conflicts of interest
  'inspectors declare their own conflicts of interest': '检查人员只能申报本人的利益冲突',
  'not an inspector of your jurisdiction': '不是您辖区的检查人员',
  'name the inspector the declaration is for': '请指明申报所针对的检查人员',
  'name either the merchant or a nomination of it, not both': '请指明经营者或其提名，二者只选其一',
  'this conflict of interest is already declared': '该利益冲突已申报',
  'already withdrawn': '已撤回',
  // tasks
  'only the inspectors drawn for this task may record it': '只有抽中该任务的检查人员可以登记',
  'the result is already final': '检验结果已确定',
  'not possible while the task is {status}': '任务当前状态（{status}）下不能进行此操作',
  'the lab results are not recorded yet': '尚未登记检验结果',
  'must not be before the result was issued': '不能早于检验结果发出之日',
  'objections had to be received by {day}': '异议须在 {day} 前收到',
  'the re-test is made by another laboratory than the first': '复检须由初检以外的另一家检验机构进行',
};
