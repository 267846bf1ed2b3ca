import * as v from 'valibot';
import { EVENT_KINDS } from '../../db/schema/index.ts';
import { inseeCodeSchema } from '../programme/programme.schemas.ts';

export const eventIdSchema = v.pipe(v.string(), v.regex(/^evt_[a-z0-9]+$/, 'event.not_found'));
const programmeIdSchema = v.pipe(v.string(), v.regex(/^prg_[a-z0-9]+$/, 'programme.not_found'));
const villageIdSchema = v.pipe(v.string(), v.regex(/^vil_[a-z0-9]+$/, 'event.invalid_village'));
const workspaceIdSchema = v.pipe(v.string(), v.regex(/^wsp_[a-z0-9]+$/, 'event.invalid_workspace'));

/** A Date, or an ISO 8601 string with its offset (`2025-06-12T08:30:00+02:00`, as forms send it). */
export const eventDateSchema = v.pipe(
	v.union([v.date(), v.string()], 'event.invalid_dates'),
	v.transform((value) => (value instanceof Date ? value : new Date(value))),
	v.date('event.invalid_dates')
);

const text = (max: number, code: string) => v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(max, code)));

const eventFields = {
	kind: v.picklist(EVENT_KINDS, 'event.invalid_kind'),
	titleFr: v.pipe(
		v.string('event.invalid_title'),
		v.trim(),
		v.minLength(3, 'event.invalid_title'),
		v.maxLength(160, 'event.invalid_title')
	),
	titleEn: v.optional(
		v.nullable(
			v.pipe(
				v.string(),
				v.trim(),
				v.minLength(3, 'event.invalid_title'),
				v.maxLength(160, 'event.invalid_title')
			)
		)
	),
	descriptionFr: v.optional(text(20_000, 'event.description_too_long')),
	descriptionEn: v.optional(text(20_000, 'event.description_too_long')),
	startsAt: eventDateSchema,
	endsAt: eventDateSchema,
	workspaceId: v.optional(v.nullable(workspaceIdSchema)),
	/** The partner village the event belongs to; its committee may then edit it. */
	villageId: v.optional(v.nullable(villageIdSchema)),
	address: v.optional(text(300, 'event.invalid_address')),
	communeCode: v.optional(v.nullable(inseeCodeSchema)),
	capacity: v.optional(
		v.nullable(
			v.pipe(
				v.number('event.invalid_capacity'),
				v.integer('event.invalid_capacity'),
				v.minValue(1, 'event.invalid_capacity'),
				v.maxValue(100_000, 'event.invalid_capacity')
			)
		)
	)
};

const isOnlineSchema = v.boolean('event.invalid_online');
/** Cancelling goes through `cancelEvent`, which keeps the event public and marked. */
const editableStatusSchema = v.picklist(['draft', 'published'], 'event.invalid_status');

export const createEventSchema = v.object({
	programmeId: programmeIdSchema,
	...eventFields,
	isOnline: v.optional(isOnlineSchema, false),
	status: v.optional(editableStatusSchema, 'published'),
	isDemo: v.optional(v.boolean(), false)
});
export type CreateEventInput = v.InferInput<typeof createEventSchema>;

export const updateEventSchema = v.partial(
	v.object({ ...eventFields, isOnline: isOnlineSchema, status: editableStatusSchema })
);
export type UpdateEventInput = v.InferInput<typeof updateEventSchema>;

/** A copy of an event on a new date: the end defaults to the new start plus the original duration. */
export const duplicateEventSchema = v.object({
	startsAt: eventDateSchema,
	endsAt: v.optional(v.nullable(eventDateSchema))
});
export type DuplicateEventInput = v.InferInput<typeof duplicateEventSchema>;

const localeSchema = v.optional(v.picklist(['fr', 'en'], 'event.invalid_locale'), 'fr');
const kindsSchema = v.optional(v.array(v.picklist(EVENT_KINDS, 'event.invalid_kind')), []);

export const listPublicEventsSchema = v.object({
	programmeId: programmeIdSchema,
	/** Events still running at this instant or later (defaults to now). */
	from: v.optional(eventDateSchema),
	kinds: kindsSchema,
	locale: localeSchema,
	limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500)), 200)
});
export type ListPublicEventsInput = v.InferInput<typeof listPublicEventsSchema>;

export const listPastEventsSchema = v.object({
	programmeId: programmeIdSchema,
	/** Events over before this instant (defaults to now). */
	before: v.optional(eventDateSchema),
	kinds: kindsSchema,
	locale: localeSchema,
	limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 12)
});
export type ListPastEventsInput = v.InferInput<typeof listPastEventsSchema>;
