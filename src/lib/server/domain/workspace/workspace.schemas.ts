import * as v from 'valibot';
import { WORKSPACE_KINDS, WORKSPACE_PRICE_PERIODS } from '../../db/schema/index.ts';
import { inseeCodeSchema } from '../programme/programme.schemas.ts';

export const workspaceIdSchema = v.pipe(v.string(), v.regex(/^wsp_[a-z0-9]+$/, 'workspace.not_found'));
const organisationIdSchema = v.pipe(v.string(), v.regex(/^org_[a-z0-9]+$/, 'workspace.invalid_organisation'));

const text = (max: number, code: string) => v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(max, code)));

const pricesSchema = v.pipe(
	v.record(
		v.picklist(WORKSPACE_PRICE_PERIODS, 'workspace.invalid_price'),
		v.pipe(
			v.number(),
			v.minValue(0, 'workspace.invalid_price'),
			v.maxValue(100_000, 'workspace.invalid_price')
		)
	)
);

const workspaceFields = {
	organisationId: v.optional(v.nullable(organisationIdSchema)),
	communeCode: inseeCodeSchema,
	kind: v.picklist(WORKSPACE_KINDS, 'workspace.invalid_kind'),
	name: v.pipe(
		v.string(),
		v.trim(),
		v.minLength(2, 'workspace.invalid_name'),
		v.maxLength(120, 'workspace.invalid_name')
	),
	slug: v.optional(
		v.pipe(
			v.string(),
			v.trim(),
			v.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'workspace.invalid_slug'),
			v.maxLength(80, 'workspace.invalid_slug')
		)
	),
	address: v.optional(text(300, 'workspace.invalid_address')),
	lat: v.optional(
		v.nullable(
			v.pipe(
				v.number(),
				v.minValue(-90, 'workspace.invalid_position'),
				v.maxValue(90, 'workspace.invalid_position')
			)
		)
	),
	lon: v.optional(
		v.nullable(
			v.pipe(
				v.number(),
				v.minValue(-180, 'workspace.invalid_position'),
				v.maxValue(180, 'workspace.invalid_position')
			)
		)
	),
	capacity: v.optional(
		v.nullable(
			v.pipe(
				v.number(),
				v.integer('workspace.invalid_capacity'),
				v.minValue(0, 'workspace.invalid_capacity'),
				v.maxValue(10_000, 'workspace.invalid_capacity')
			)
		)
	),
	equipment: v.optional(
		v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120))), v.maxLength(50)),
		[]
	),
	connection: v.optional(text(120, 'workspace.invalid_connection')),
	prices: v.optional(pricesSchema, {}),
	openingHoursFr: v.optional(text(1000, 'workspace.invalid_opening_hours')),
	openingHoursEn: v.optional(text(1000, 'workspace.invalid_opening_hours')),
	descriptionFr: v.optional(text(20_000, 'workspace.description_too_long')),
	descriptionEn: v.optional(text(20_000, 'workspace.description_too_long')),
	contactEmail: v.optional(
		v.nullable(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('workspace.invalid_email')))
	),
	contactPhone: v.optional(
		v.nullable(v.pipe(v.string(), v.trim(), v.regex(/^[+0-9 ().-]{6,25}$/, 'workspace.invalid_phone')))
	),
	website: v.optional(
		v.nullable(
			v.pipe(
				v.string(),
				v.trim(),
				v.url('workspace.invalid_website'),
				v.regex(/^https?:\/\//i, 'workspace.invalid_website')
			)
		)
	)
};

export const createWorkspaceSchema = v.object({
	programmeId: v.pipe(v.string(), v.regex(/^prg_[a-z0-9]+$/, 'programme.not_found')),
	...workspaceFields,
	isDemo: v.optional(v.boolean(), false)
});
export type CreateWorkspaceInput = v.InferInput<typeof createWorkspaceSchema>;

export const updateWorkspaceSchema = v.partial(v.object(workspaceFields));
export type UpdateWorkspaceInput = v.InferInput<typeof updateWorkspaceSchema>;

export const listPublicWorkspacesSchema = v.object({
	programmeId: v.pipe(v.string(), v.regex(/^prg_[a-z0-9]+$/, 'programme.not_found')),
	filters: v.optional(
		v.object({
			kinds: v.optional(v.array(v.picklist(WORKSPACE_KINDS, 'workspace.invalid_kind')), []),
			communeCode: v.optional(inseeCodeSchema)
		}),
		{}
	),
	locale: v.optional(v.picklist(['fr', 'en'], 'workspace.invalid_locale'), 'fr')
});
export type ListPublicWorkspacesInput = v.InferInput<typeof listPublicWorkspacesSchema>;
