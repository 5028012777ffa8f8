import { z } from 'zod';
import { photoUploadSchema, storedAttachmentSchema } from '../../shared/attachments/index.js';
import {
  assignableInspectorSchema,
  assignInputSchema,
  dashboardSchema,
  attachmentViewSchema,
  caseDetailSchema,
  caseEventSchema,
  caseIdParamSchema,
  caseListEntrySchema,
  caseListQuerySchema,
  claimInputSchema,
  inspectionInputSchema,
  inspectionViewSchema,
  transitionInputSchema,
  provincialReportResultSchema,
  transitionResultSchema,
} from '../../shared/casework/index.js';
import { transitionItem } from '../../shared/decisions/index.js';
import { trackingNoParamSchema } from '../../shared/complaints/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import { idSchema } from '../../shared/validation/index.js';
import { defineRoute, domainRouter, jsonBody, jsonResponse } from '../http/index.js';
import { currentStaff, requireStaff } from '../staff/index.js';
import { assignCase, claimNextCase, getCase, listAssignableInspectors, listCaseEvents, listCases, releaseCase } from './cases.js';
import { getDashboard } from './dashboard.js';
import { recordInspection } from './record-inspection.js';
import { recordProvincialReport } from './provincial-report.js';
import { addCasePhoto, listCasePhotos, readCasePhoto } from './case-photos.js';

const common = { tags: ['casework'], access: 'staff' as const };
const caseErrors = ['not_found'] as const;

export const listCasesRoute = defineRoute({
  ...common,
  operationId: 'listCases',
  method: 'get',
  path: '/cases',
  summary: 'Cases in your jurisdiction, most urgent first (reporter contact masked)',
  request: { query: caseListQuerySchema },
  responses: { 200: jsonResponse(z.array(caseListEntrySchema), 'Cases') },
});

export const claimCaseRoute = defineRoute({
  ...common,
  operationId: 'claimNextCase',
  method: 'post',
  path: '/cases/claim',
  summary: 'Claim the most urgent unclaimed case in your jurisdiction and queues',
  request: jsonBody(claimInputSchema, false),
  responses: { 200: jsonResponse(caseDetailSchema, 'The claimed case'), 204: { description: 'Nothing to claim' } },
});

export const getCaseRoute = defineRoute({
  ...common,
  operationId: 'getCase',
  method: 'get',
  path: '/cases/{id}',
  summary: 'A case with its items, inspections and events',
  request: { params: caseIdParamSchema },
  responses: { 200: jsonResponse(caseDetailSchema, 'The case') },
  errors: caseErrors,
});

export const listCaseEventsRoute = defineRoute({
  ...common,
  operationId: 'listCaseEvents',
  method: 'get',
  path: '/cases/{id}/events',
  summary: 'Audit trail of a case and its items',
  request: { params: caseIdParamSchema },
  responses: { 200: jsonResponse(z.array(caseEventSchema), 'Events') },
  errors: caseErrors,
});

export const releaseCaseRoute = defineRoute({
  ...common,
  operationId: 'releaseCase',
  method: 'post',
  path: '/cases/{id}/release',
  summary: 'Put a claimed case back in the queue',
  request: { params: caseIdParamSchema },
  responses: { 204: { description: 'Released' } },
  errors: [...caseErrors, 'conflict'],
});

export const assignCaseRoute = defineRoute({
  ...common,
  operationId: 'assignCase',
  method: 'post',
  path: '/cases/{id}/assign',
  summary: 'Reassign a case to an inspector (regulators)',
  request: { params: caseIdParamSchema, ...jsonBody(assignInputSchema) },
  responses: { 204: { description: 'Assigned' } },
  errors: [...caseErrors, 'conflict'],
});

export const recordInspectionRoute = defineRoute({
  ...common,
  operationId: 'recordInspection',
  method: 'post',
  path: '/cases/{id}/inspections',
  summary: 'Record an on-site inspection: scale verification, CCC check or product hazard check',
  request: { params: caseIdParamSchema, ...jsonBody(inspectionInputSchema) },
  responses: { 201: jsonResponse(inspectionViewSchema, 'Recorded, with the computed verdict') },
  errors: [...caseErrors, 'conflict'],
});

export const transitionItemRoute = defineRoute({
  ...common,
  operationId: 'transitionItem',
  method: 'post',
  path: '/complaints/{trackingNo}/transitions',
  summary: 'Decide on an item: accept, reject, transfer, pause/resume, close; file or not file a report; extend verification',
  request: { params: trackingNoParamSchema, ...jsonBody(transitionInputSchema) },
  responses: { 200: jsonResponse(transitionResultSchema, 'The item after the decision') },
  errors: ['not_found', 'conflict'],
});

export const recordProvincialReportRoute = defineRoute({
  ...common,
  operationId: 'recordProvincialReport',
  method: 'post',
  path: '/complaints/{trackingNo}/provincial-report',
  summary: 'Record that a death or serious injury in this item was reported to the provincial bureau (due within 2 working days)',
  request: { params: trackingNoParamSchema },
  responses: { 200: jsonResponse(provincialReportResultSchema, 'Recorded') },
  errors: ['not_found', 'conflict'],
});

export const addCasePhotoRoute = defineRoute({
  ...common,
  operationId: 'addCasePhoto',
  method: 'post',
  path: '/cases/{id}/attachments',
  summary: 'Add a photo to an item of a case',
  request: { params: caseIdParamSchema, body: { required: true, content: { 'multipart/form-data': { schema: photoUploadSchema } } } },
  responses: { 201: jsonResponse(storedAttachmentSchema, 'Stored') },
  errors: [...caseErrors, 'conflict'],
});

export const listCasePhotosRoute = defineRoute({
  ...common,
  operationId: 'listCasePhotos',
  method: 'get',
  path: '/cases/{id}/attachments',
  summary: 'Photos on a case',
  request: { params: caseIdParamSchema },
  responses: { 200: jsonResponse(z.array(attachmentViewSchema), 'Photos') },
  errors: caseErrors,
});

export const getCasePhotoRoute = defineRoute({
  ...common,
  operationId: 'getCasePhoto',
  method: 'get',
  path: '/cases/{id}/attachments/{attachmentId}',
  summary: 'Download a photo',
  request: { params: caseIdParamSchema.extend({ attachmentId: idSchema }) },
  responses: {
    200: {
      description: 'The image',
      content: {
        'image/jpeg': { schema: z.string().meta({ format: 'binary' }) },
        'image/png': { schema: z.string().meta({ format: 'binary' }) },
      },
    },
  },
  errors: caseErrors,
});

export const dashboardRoute = defineRoute({
  ...common,
  operationId: 'getDashboard',
  method: 'get',
  path: '/dashboard',
  summary: 'Your jurisdiction at a glance: items by week, deadline compliance, escalations, top merchants (regulators)',
  responses: { 200: jsonResponse(dashboardSchema, 'The dashboard') },
});

export const assignableInspectorsRoute = defineRoute({
  ...common,
  operationId: 'listAssignableInspectors',
  method: 'get',
  path: '/cases/{id}/assignable-inspectors',
  summary: 'Inspectors who could take this case (regulators)',
  request: { params: caseIdParamSchema },
  responses: { 200: jsonResponse(z.array(assignableInspectorSchema), 'Inspectors') },
  errors: caseErrors,
});

export function caseworkRoutes(ctx: ServiceContext) {
  const app = domainRouter();
  const casework = requireStaff(ctx, 'inspector', 'regulator');
  app.use('/cases', casework);
  app.use('/cases/*', casework);
  app.use('/complaints/:trackingNo/transitions', casework);
  app.use('/complaints/:trackingNo/provincial-report', casework);
  app.use('/cases/:id/assign', requireStaff(ctx, 'regulator'));
  app.use('/cases/:id/assignable-inspectors', requireStaff(ctx, 'regulator'));
  app.use('/dashboard', requireStaff(ctx, 'regulator'));

  app.openapi(dashboardRoute, async (c) => c.json(await getDashboard(ctx, { staff: currentStaff(c) }), 200));
  app.openapi(assignableInspectorsRoute, async (c) =>
    c.json(await listAssignableInspectors(ctx, { staff: currentStaff(c), caseId: c.req.valid('param').id }), 200),
  );

  app.openapi(listCasesRoute, async (c) => c.json(await listCases(ctx, { staff: currentStaff(c), query: c.req.valid('query') }), 200));

  app.openapi(claimCaseRoute, async (c) => {
    const staff = currentStaff(c);
    const id = await claimNextCase(ctx, { staff, queue: c.req.valid('json')?.queue });
    if (id === undefined) return c.body(null, 204);
    return c.json(await getCase(ctx, { staff, caseId: id }), 200);
  });

  app.openapi(getCaseRoute, async (c) => c.json(await getCase(ctx, { staff: currentStaff(c), caseId: c.req.valid('param').id }), 200));
  app.openapi(listCaseEventsRoute, async (c) =>
    c.json(await listCaseEvents(ctx, { staff: currentStaff(c), caseId: c.req.valid('param').id }), 200),
  );

  app.openapi(releaseCaseRoute, async (c) => {
    await releaseCase(ctx, { staff: currentStaff(c), caseId: c.req.valid('param').id });
    return c.body(null, 204);
  });

  app.openapi(assignCaseRoute, async (c) => {
    await assignCase(ctx, { staff: currentStaff(c), caseId: c.req.valid('param').id, inspectorId: c.req.valid('json').inspectorId });
    return c.body(null, 204);
  });

  app.openapi(recordInspectionRoute, async (c) =>
    c.json(await recordInspection(ctx, { staff: currentStaff(c), caseId: c.req.valid('param').id, inspection: c.req.valid('json') }), 201),
  );

  app.openapi(transitionItemRoute, async (c) =>
    c.json(
      await transitionItem(ctx, {
        staff: currentStaff(c),
        trackingNo: c.req.valid('param').trackingNo,
        transition: c.req.valid('json'),
        language: c.get('language'),
      }),
      200,
    ),
  );

  app.openapi(recordProvincialReportRoute, async (c) =>
    c.json(await recordProvincialReport(ctx, { staff: currentStaff(c), trackingNo: c.req.valid('param').trackingNo }), 200),
  );

  app.openapi(addCasePhotoRoute, async (c) => {
    const { file, trackingNo } = c.req.valid('form');
    const bytes = new Uint8Array(await file.arrayBuffer());
    return c.json(await addCasePhoto(ctx, { staff: currentStaff(c), caseId: c.req.valid('param').id, trackingNo, bytes }), 201);
  });

  app.openapi(listCasePhotosRoute, async (c) =>
    c.json(await listCasePhotos(ctx, { staff: currentStaff(c), caseId: c.req.valid('param').id }), 200),
  );

  app.openapi(getCasePhotoRoute, async (c) => {
    const { id, attachmentId } = c.req.valid('param');
    const file = await readCasePhoto(ctx, { staff: currentStaff(c), caseId: id, attachmentId });
    return c.body(new Uint8Array(file.bytes), 200, {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="photo-${attachmentId}.${file.contentType === 'image/png' ? 'png' : 'jpg'}"`,
      'x-content-type-options': 'nosniff',
    });
  });
  return app;
}
