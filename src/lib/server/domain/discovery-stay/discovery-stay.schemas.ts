import * as v from 'valibot';
import { STAY_HOST_KINDS, STAY_KINDS, STAY_NEXT_STEPS } from '../../db/schema/index.ts';

export const stayIdSchema = v.pipe(v.string(), v.regex(/^sty_[a-z0-9]+$/, 'discovery_stay.not_found'));
export const stayMeetingIdSchema = v.pipe(
	v.string(),
	v.regex(/^stm_[a-z0-9]+$/, 'discovery_stay.meeting_not_found')
);

const isoDay = (code: string) =>
	v.pipe(
		v.string(code),
		v.trim(),
		v.regex(/^\d{4}-\d{2}-\d{2}$/, code),
		v.check((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), code)
	);

/** A Date, or an ISO 8601 string with its offset (as the pages send it after reading the local time). */
const instant = (code: string) =>
	v.pipe(
		v.union([v.date(), v.string()], code),
		v.transform((value) => (value instanceof Date ? value : new Date(value))),
		v.date(code),
		v.check((value) => !Number.isNaN(value.getTime()), code)
	);

const optionalText = (max: number, code: string) =>
	v.optional(
		v.nullable(
			v.pipe(
				v.string(code),
				v.trim(),
				v.maxLength(max, code),
				v.transform((value) => (value === '' ? null : value))
			)
		),
		null
	);

const optionalId = (prefix: string, code: string) =>
	v.optional(
		v.nullable(
			v.pipe(
				v.string(code),
				v.trim(),
				v.transform((value) => (value === '' ? null : value)),
				v.nullable(v.pipe(v.string(), v.regex(new RegExp(`^${prefix}_[a-z0-9]+$`), code)))
			)
		),
		null
	);

const stayFields = {
	title: v.pipe(
		v.string('discovery_stay.invalid_title'),
		v.trim(),
		v.minLength(3, 'discovery_stay.invalid_title'),
		v.maxLength(160, 'discovery_stay.invalid_title')
	),
	startsOn: isoDay('discovery_stay.invalid_date'),
	endsOn: isoDay('discovery_stay.invalid_date'),
	lodging: optionalText(1000, 'discovery_stay.invalid_lodging'),
	lodgingOfferId: optionalId('off', 'discovery_stay.unknown_offer')
};

export const meetingSchema = v.pipe(
	v.object({
		startsAt: instant('discovery_stay.invalid_time'),
		endsAt: instant('discovery_stay.invalid_time'),
		place: v.pipe(
			v.string('discovery_stay.invalid_place'),
			v.trim(),
			v.minLength(2, 'discovery_stay.invalid_place'),
			v.maxLength(300, 'discovery_stay.invalid_place')
		),
		topic: optionalText(200, 'discovery_stay.invalid_topic'),
		hostKind: v.picklist(STAY_HOST_KINDS, 'discovery_stay.invalid_host_kind'),
		hostUserId: v.pipe(
			v.string('discovery_stay.unknown_host'),
			v.regex(/^usr_[a-z0-9]+$/, 'discovery_stay.unknown_host')
		),
		villageId: optionalId('vil', 'discovery_stay.unknown_village'),
		workspaceId: optionalId('wsp', 'discovery_stay.unknown_workspace')
	}),
	v.forward(
		v.check((input) => input.endsAt > input.startsAt, 'discovery_stay.ends_before_start'),
		['endsAt']
	)
);
export type MeetingInput = v.InferInput<typeof meetingSchema>;
export type Meeting = v.InferOutput<typeof meetingSchema>;

export const planStaySchema = v.pipe(
	v.object({
		kind: v.picklist(STAY_KINDS, 'discovery_stay.invalid_kind'),
		...stayFields,
		caseIds: v.pipe(
			v.array(v.pipe(v.string(), v.regex(/^cas_[a-z0-9]+$/, 'discovery_stay.unknown_case'))),
			v.minLength(1, 'discovery_stay.no_household'),
			v.maxLength(50, 'discovery_stay.too_many_households')
		),
		meetings: v.optional(v.array(meetingSchema), [])
	}),
	v.forward(
		v.check((input) => input.endsOn >= input.startsOn, 'discovery_stay.ends_before_start'),
		['endsOn']
	),
	v.forward(
		v.check(
			(input) => input.kind !== 'welcome_session' || input.endsOn === input.startsOn,
			'discovery_stay.session_one_day'
		),
		['endsOn']
	),
	v.forward(
		v.check((input) => input.kind !== 'stay' || input.caseIds.length === 1, 'discovery_stay.one_household'),
		['caseIds']
	)
);
export type PlanStayInput = v.InferInput<typeof planStaySchema>;

/** The stay's own fields (its households stay as planned); its meetings must stay within its days. */
export const updateStaySchema = v.pipe(
	v.object(stayFields),
	v.forward(
		v.check((input) => input.endsOn >= input.startsOn, 'discovery_stay.ends_before_start'),
		['endsOn']
	)
);
export type UpdateStayInput = v.InferInput<typeof updateStaySchema>;

export const respondSchema = v.picklist(['confirmed', 'declined'], 'discovery_stay.invalid_response');

export const outcomeSchema = v.object({
	wentWell: v.boolean('discovery_stay.invalid_answer'),
	stillInterested: v.boolean('discovery_stay.invalid_answer'),
	villagesConsidered: v.optional(
		v.pipe(
			v.array(
				v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100, 'discovery_stay.invalid_villages'))
			),
			v.maxLength(10, 'discovery_stay.invalid_villages')
		),
		[]
	),
	nextStep: v.picklist(STAY_NEXT_STEPS, 'discovery_stay.invalid_next_step'),
	comment: optionalText(2000, 'discovery_stay.invalid_comment')
});
export type OutcomeInput = v.InferInput<typeof outcomeSchema>;
