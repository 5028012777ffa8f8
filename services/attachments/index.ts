/** Photo attachments on items and on sampling tasks: checking, storing, listing and reading them. */
export {
  addAttachment,
  addSamplingTaskAttachment,
  caseAttachmentView,
  cleanImage,
  listCaseAttachments,
  listSamplingTaskAttachments,
  readCaseAttachment,
  readSamplingTaskAttachment,
} from './attachments.js';
