/** The words of defect signals, recalls and recall alerts, each list in one place. */

/** 主动召回 (the producer's own) or 责令召回 (ordered by the regulator). */
export const recallTypes = ['voluntary', 'ordered'] as const;
export type RecallType = (typeof recallTypes)[number];

export const recallStatuses = ['draft', 'published', 'completed', 'closed'] as const;
export type RecallStatus = (typeof recallStatuses)[number];

/** Statuses the public sees; a draft does not exist for them. */
export const publicRecallStatuses = ['published', 'completed', 'closed'] as const satisfies readonly RecallStatus[];

/** Where a regulator may move a published recall (publishing has its own operation). */
export const recallTransitionTargets = ['completed', 'closed'] as const satisfies readonly RecallStatus[];
export type RecallTransitionTarget = (typeof recallTransitionTargets)[number];

export const remedies = ['repair', 'replace', 'refund', 'warning'] as const;
export type Remedy = (typeof remedies)[number];

/** The audit trail of a recall. */
export const recallEventActions = ['created', 'updated', 'published', 'progress_reported', 'completed', 'closed'] as const;
export type RecallEventAction = (typeof recallEventActions)[number];

/** The producer's reports the regulator waits for, each escalated when overdue. */
export const recallReports = ['progress_report', 'summary'] as const;
export type RecallReport = (typeof recallReports)[number];

/** Who a recall notice goes to: a consumer who reported the product, an alert subscriber, a merchant that sells it. */
export const recipientKinds = ['consumer', 'subscriber', 'merchant'] as const;
export type RecipientKind = (typeof recipientKinds)[number];

/**
 * A notice's life: queued until sent, failed when it never can be, cancelled when its subscriber left before it went
 * out, included when the consumer's acknowledgement of a new complaint already carried the recall.
 */
export const noticeStatuses = ['queued', 'sent', 'failed', 'cancelled', 'included'] as const;
export type NoticeStatus = (typeof noticeStatuses)[number];

/** The fan-out walks consumers' items (and their merchants) first, then subscribers. */
export const fanOutPhases = ['consumers', 'subscribers', 'done'] as const;
export type FanOutPhase = (typeof fanOutPhases)[number];

/** 缺陷线索: a cluster of hazardous complaints about one manufacturer or one brand and model. */
export const signalStatuses = ['open', 'investigating', 'dismissed', 'recalled'] as const;
export type SignalStatus = (typeof signalStatuses)[number];

/** Signals still waiting for a decision: new evidence updates them instead of opening another. */
export const activeSignalStatuses = ['open', 'investigating'] as const satisfies readonly SignalStatus[];

/** Where a regulator may move a signal; `recalled` follows from publishing a recall started from it. */
export const signalTransitionTargets = ['investigating', 'dismissed'] as const satisfies readonly SignalStatus[];
export type SignalTransitionTarget = (typeof signalTransitionTargets)[number];

export const signalSubjects = ['manufacturer', 'product'] as const;
export type SignalSubject = (typeof signalSubjects)[number];

export const subscriptionStatuses = ['pending', 'confirmed', 'unsubscribed'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];
