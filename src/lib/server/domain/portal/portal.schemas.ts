import * as v from 'valibot';

const programmeIdSchema = v.pipe(v.string(), v.regex(/^prg_[a-z0-9]+$/, 'programme.not_found'));

/** Longest query kept; anything longer is cut, not refused (a pasted sentence still searches). */
export const PORTAL_QUERY_MAX_LENGTH = 100;

export const searchPortalSchema = v.object({
	programmeId: programmeIdSchema,
	q: v.pipe(
		v.string(),
		v.transform((text) => text.slice(0, PORTAL_QUERY_MAX_LENGTH))
	),
	/** Results per section (villages, workspaces, offers). */
	limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50)), 20),
	locale: v.optional(v.picklist(['fr', 'en'], 'portal.invalid_locale'), 'fr')
});
export type SearchPortalInput = v.InferInput<typeof searchPortalSchema>;

export const portalKeyFiguresSchema = v.object({ programmeId: programmeIdSchema });
export type PortalKeyFiguresInput = v.InferInput<typeof portalKeyFiguresSchema>;
