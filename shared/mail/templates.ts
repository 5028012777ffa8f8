import type { z } from 'zod';
import type { Language } from '../i18n/index.js';
import type { EmailSecrets, EmailTemplateDefinition, RenderedEmail } from './render.js';
import { deadlineOverdue, deadlineWarning } from './templates/casework.js';
import { complaintReceived, statusChanged } from './templates/complaints.js';
import { samplingResultNotice, samplingResultsPublished, samplingVoterCode } from './templates/sampling.js';
import { alertConfirmation, defectSignal, recallNotice, recallReportOverdue } from './templates/recalls.js';

/** Every email template by name. Adding one: a definition in templates/<domain>.ts and a line here. */
export const emailTemplates = {
  complaint_received: complaintReceived,
  status_changed: statusChanged,
  deadline_warning: deadlineWarning,
  deadline_overdue: deadlineOverdue,
  sampling_voter_code: samplingVoterCode,
  sampling_result_notice: samplingResultNotice,
  sampling_results_published: samplingResultsPublished,
  recall_notice: recallNotice,
  alert_confirmation: alertConfirmation,
  defect_signal: defectSignal,
  recall_report_overdue: recallReportOverdue,
} as const;

export type EmailTemplate = keyof typeof emailTemplates;
export type TemplateParams<T extends EmailTemplate> = z.input<(typeof emailTemplates)[T]['params']>;

export const isEmailTemplate = (name: string): name is EmailTemplate => Object.hasOwn(emailTemplates, name);

/** Whether the template's notification rows forget their address once sent. */
export const erasesRecipient = (template: string) =>
  isEmailTemplate(template) && (emailTemplates[template] as EmailTemplateDefinition<z.ZodType>).eraseRecipientWhenSent === true;

/** What an erased address reads as. */
export const ERASED_RECIPIENT = '(erased)';

/** Renders stored params; a template name or params that do not match the template throw (the job is not retried). */
export function renderEmail(template: string, lang: Language, params: unknown, secrets: EmailSecrets = {}): RenderedEmail {
  if (!isEmailTemplate(template)) throw new Error(`unknown email template ${template}`);
  const def = emailTemplates[template] as EmailTemplateDefinition<z.ZodType>;
  return def.render(lang, def.params.parse(params), secrets);
}
