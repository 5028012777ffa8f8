import { recallErrorMessagesZh } from './messages/recalls.js';
import { samplingErrorMessagesZh } from './messages/sampling.js';
import type { MessageCatalogue } from './translate.js';

/**
 * Every message the API and the pages can show for an error, English template → zh-CN. Add a line with every new
 * DomainError message or schema refinement (sampling and recall messages live in ./messages/); tests/unit/error-messages.test.ts checks that thrown messages have one.
 */
const coreErrorMessagesZh: MessageCatalogue = {
  // the envelope
  'the request is invalid': '请求内容有误',
  'request body is not valid JSON': '请求内容不是有效的 JSON',
  'malformed JSON': 'JSON 格式错误',
  'unknown field': '不认识的字段',
  'bad Content-Length': 'Content-Length 无效',
  'request body is larger than {n} bytes': '请求内容超过 {n} 字节',
  'request body is larger than allowed': '请求内容过大',
  'send the body as application/json': '请以 application/json 格式提交',
  'send the photo as multipart/form-data': '请以 multipart/form-data 格式上传照片',
  'too many requests, please slow down': '请求过于频繁，请稍后再试',
  'the service is temporarily unavailable, please retry': '服务暂时不可用，请稍后重试',
  'unexpected error': '系统出现意外错误',
  'no such endpoint': '没有这个接口',
  'not ready': '服务尚未就绪',
  'complaint not found': '未找到该投诉举报',
  'case not found': '未找到该案件',
  'staff account not found': '未找到该工作人员账号',
  'attachment not found': '未找到该照片',
  '{what} not found': '未找到{what}',
  // sign-in and staff
  'sign in first': '请先登录',
  'invalid email or password': '邮箱或密码错误',
  'invalid or expired token': '登录凭证无效或已过期',
  'invalid token': '登录凭证无效',
  'session ended; sign in again': '会话已结束，请重新登录',
  'your role may not do this': '您的角色无权进行此操作',
  'your role may not make this decision': '您的角色无权作出此决定',
  'a staff account with this email exists': '该邮箱已有工作人员账号',
  'you cannot deactivate your own account': '不能停用自己的账号',
  'you cannot change your own role or jurisdiction': '不能更改自己的角色或辖区',
  'no such jurisdiction': '没有这个行政区划',
  'at least 12 characters': '至少 12 个字符',
  // complaints
  'this Idempotency-Key was used with a different request body': '该 Idempotency-Key 已用于不同的请求内容',
  'the first request with this key is still in progress': '使用该键的第一个请求仍在处理中',
  'must not be in the future': '不能晚于今天',
  'must be a day between {from} and a year from today': '日期须在 {from} 至一年后的今天之间',
  'must be a time between {from} and a year from now': '时间须在 {from} 至一年后的此刻之间',
  'contains characters that cannot be stored (NUL or an unpaired surrogate)': '含有无法保存的字符',
  'not a unified social credit code (18 characters, GB 32100)': '不是有效的统一社会信用代码（18 位，GB 32100）',
  'unified social credit code check character does not match (GB 32100)': '统一社会信用代码校验位不正确（GB 32100）',
  'CCC certificate number must have 16 digits (older certificates: 12)': 'CCC 证书编号应为 16 位数字（旧证书为 12 位）',
  'a 12-digit CCC certificate number is an old format; the inspector will verify it': '12 位 CCC 证书编号为旧格式，检查人员将予以核实',
  'not a mainland China mobile number': '不是有效的中国大陆手机号码',
  'a 6-digit GB/T 2260 code': '应为 6 位行政区划代码（GB/T 2260）',
  'reference mass is above the scale maximum': '参考质量超过了秤的最大称量',
  'reference mass is above 10000e of the scale': '参考质量超过了秤的 10000e',
  'issues must not repeat': '问题不能重复',
  'hazards must not repeat': '危害不能重复',
  // casework
  'the case is closed': '案件已办结',
  'the case is not claimed': '案件尚未被领取',
  'only the assignee or a regulator can release this case': '只有承办人或监管人员可以退回该案件',
  'the {queue} queue is not one of your specialties': '{queue} 队列不在您的专业范围内',
  'not an active inspector covering this case’s jurisdiction and queue': '不是负责该辖区和队列的在岗检查人员',
  'cannot move from {from} to {to}': '不能从 {from} 变为 {to}',
  'the item changed meanwhile; reload it': '该事项已被他人更新，请刷新后重试',
  'the verification period ended on {day} and can no longer be extended': '核查期限已于 {day} 届满，不能再延长',
  'mediation has not expired': '调解期限尚未届满',
  'mediation has not expired: it runs until {day}': '调解期限尚未届满，调解至 {day}',
  'mediation ended on {day}; it can only be closed': '调解期限已于 {day} 届满，只能办结',
  'this complaint has been decided and takes no more photos': '该事项已作出决定，不再接收照片',
  'no such item on this case': '该案件中没有这个事项',
  'not a county-level division': '不是县级行政区划',
  'the item is already there': '该事项已在此辖区',
  'the 6-digit code of the county to transfer to': '请填写转办目标县级行政区划的 6 位代码',
  'an extension needs the reason in the note': '延期须在说明中写明理由',
  'one of: {values}': '须为以下之一：{values}',
  'above 10000e of the scale': '超过秤的 10000e',
  'above the scale maximum': '超过秤的最大称量',
  // attachments
  'empty file': '文件为空',
  'damaged image': '图片已损坏',
  'an item holds at most {n} photos': '每个事项最多 {n} 张照片',
  'a photo may be at most {n} bytes': '每张照片不能超过 {n} 字节',
  'only JPEG and PNG photos are accepted (checked by content, not by name)': '仅接受 JPEG 和 PNG 照片（按文件内容识别）',
};

export const errorMessagesZh: MessageCatalogue = { ...coreErrorMessagesZh, ...samplingErrorMessagesZh, ...recallErrorMessagesZh };
