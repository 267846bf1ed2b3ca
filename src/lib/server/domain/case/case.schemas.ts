import * as v from 'valibot';
import {
	ACTIVITY_KINDS,
	HOUSEHOLD_ROLES,
	ACTIVITY_VISIBILITIES,
	CASE_SOURCES,
	CASE_TIMELINES,
	CONNECTION_LEVELS,
	HOUSING_KINDS,
	PERSON_STATUSES,
	PIPELINE_MILESTONES,
	YES_NO_UNSURE
} from '../../db/schema/index.ts';

/*
 * Form-friendly schemas: numbers may arrive as strings, checkboxes as 'on' or missing.
 * Every message is a `case.*` error code, shown per field (`error_case_*`).
 */

export const caseIdSchema = v.pipe(v.string(), v.regex(/^cas_[a-z0-9]{8,64}$/, 'case.not_found'));
export const personIdSchema = v.pipe(v.string(), v.regex(/^per_[a-z0-9]{8,64}$/, 'case.person_not_found'));
export const taskIdSchema = v.pipe(v.string(), v.regex(/^tsk_[a-z0-9]{8,64}$/, 'case.task_not_found'));
export const userIdSchema = v.pipe(v.string(), v.regex(/^usr_[a-z0-9]{8,64}$/, 'case.invalid_advisor'));

/** A checkbox: true, 'on', 'true', '1' or 'yes' is checked; anything else (or missing) is not. */
const checkbox = v.pipe(
	v.optional(v.union([v.boolean(), v.string()]), false),
	v.transform((value) => value === true || ['on', 'true', '1', 'yes'].includes(String(value).toLowerCase()))
);

/** An empty string from a form field means "not given". */
const emptyToUndefined = (value: unknown) =>
	typeof value === 'string' && value.trim() === '' ? undefined : value;

/** An optional field where an empty string counts as missing. */
const blankable = <TSchema extends v.GenericSchema>(schema: TSchema) =>
	v.optional(v.pipe(v.unknown(), v.transform(emptyToUndefined), v.optional(schema)));

/** A required field where an empty string or a missing key fails with the schema's own code. */
const required = <TSchema extends v.GenericSchema>(schema: TSchema) =>
	v.optional(v.pipe(v.unknown(), v.transform(emptyToUndefined), schema), '');

const optionalText = (max: number, code: string) =>
	blankable(v.pipe(v.string(code), v.trim(), v.maxLength(max, code)));

const requiredText = (max: number, requiredCode: string, tooLongCode: string) =>
	v.pipe(
		v.optional(v.string(requiredCode), ''),
		v.trim(),
		v.nonEmpty(requiredCode),
		v.maxLength(max, tooLongCode)
	);

/** A whole number given as a number or digits, within [min, max]. */
const wholeNumber = (min: number, max: number, code: string) =>
	v.pipe(
		v.union(
			[v.number(code), v.pipe(v.string(code), v.trim(), v.regex(/^\d+$/, code), v.transform(Number))],
			code
		),
		v.integer(code),
		v.minValue(min, code),
		v.maxValue(max, code)
	);

const optionalNumber = (min: number, max: number, code: string) => blankable(wholeNumber(min, max, code));

const optionalPicklist = <const T extends readonly string[]>(options: T, code: string) =>
	blankable(v.picklist(options, code));

export const caseEmailSchema = v.pipe(
	v.string('case.invalid_email'),
	v.trim(),
	v.toLowerCase(),
	v.maxLength(254, 'case.invalid_email'),
	v.email('case.invalid_email')
);

/**
 * Phone numbers are stored normalised so duplicates match: French numbers typed
 * 06 12 34 56 78 become +33612345678; international ones keep their + and digits.
 */
export function normalisePhone(raw: string): string | null {
	const compact = raw.replace(/[\s.\-()/]/g, '');
	if (/^0\d{9}$/.test(compact)) return `+33${compact.slice(1)}`;
	if (/^00\d{8,15}$/.test(compact)) return `+${compact.slice(2)}`;
	if (/^\+\d{8,15}$/.test(compact)) return compact;
	return null;
}

export const casePhoneSchema = v.pipe(
	v.string('case.invalid_phone'),
	v.trim(),
	v.transform((value) => normalisePhone(value) ?? ''),
	v.nonEmpty('case.invalid_phone')
);

const optionalEmail = blankable(caseEmailSchema);
const optionalPhone = blankable(casePhoneSchema);

export const MAX_CHILD_AGE = 25;

export const childSchema = v.object({
	age: wholeNumber(0, MAX_CHILD_AGE, 'case.invalid_child_age'),
	firstName: optionalText(80, 'case.first_name_too_long')
});

export const caseNeedsSchema = v.object({
	housingKind: optionalPicklist(HOUSING_KINDS, 'case.invalid_housing_kind'),
	maxRent: optionalNumber(0, 100_000, 'case.invalid_budget'),
	maxPrice: optionalNumber(0, 100_000_000, 'case.invalid_budget'),
	minConnection: optionalPicklist(CONNECTION_LEVELS, 'case.invalid_connection_level'),
	schools: checkbox,
	childcare: checkbox,
	maxDistanceToStationKm: optionalNumber(0, 500, 'case.invalid_distance')
});

/**
 * The household and project fields shared by the public application and by a case an
 * advisor enters (a phone call); each entry point adds its own requirements.
 */
const householdEntries = {
	firstName: requiredText(80, 'case.first_name_required', 'case.first_name_too_long'),
	lastName: requiredText(80, 'case.last_name_required', 'case.last_name_too_long'),
	phone: optionalPhone,
	birthYear: optionalNumber(1900, 2100, 'case.invalid_birth_year'),
	/** Adults in the household, the candidate included. */
	adultsCount: v.optional(
		v.pipe(
			v.unknown(),
			v.transform((value) => emptyToUndefined(value) ?? 1),
			wholeNumber(1, 8, 'case.invalid_adults_count')
		),
		1
	),
	hasPartner: checkbox,
	partnerFirstName: optionalText(80, 'case.first_name_too_long'),
	partnerProfession: optionalText(120, 'case.profession_too_long'),
	/** The partner looks for a job locally (the programme refers them to the employment service). */
	partnerNeedsJob: checkbox,
	children: v.optional(v.array(childSchema, 'case.invalid_child_age'), []),
	profession: optionalText(120, 'case.profession_too_long'),
	status: optionalPicklist(PERSON_STATUSES, 'case.invalid_status'),
	/** With status `other`: the status in the person's words (domain/vocabulary maps it). */
	statusOther: optionalText(120, 'case.status_other_too_long'),
	/** A key of PERSON_SECTORS; a text (older clients, an offer's sector) is read as a sector's words. */
	sector: optionalText(120, 'case.sector_too_long'),
	/** With sector `other`: the sector in the person's words (domain/vocabulary maps it). */
	sectorOther: optionalText(120, 'case.sector_too_long'),
	originCountry: blankable(
		v.pipe(
			v.string('case.invalid_country'),
			v.trim(),
			v.toUpperCase(),
			v.regex(/^[A-Z]{2}$/, 'case.invalid_country')
		)
	),
	/** A key of ORIGIN_AREAS; a text (a region, département, city or country) is read as an origin's words. */
	originArea: optionalText(120, 'case.origin_too_long'),
	/** With origin area `other`: the origin in the person's words (domain/vocabulary maps it). */
	originAreaOther: optionalText(120, 'case.origin_too_long'),
	languages: v.optional(
		v.array(
			v.pipe(
				v.string('case.invalid_language'),
				v.trim(),
				v.toLowerCase(),
				v.regex(/^[a-z]{2,3}$/, 'case.invalid_language')
			)
		),
		[]
	),
	wishedArea: optionalText(500, 'case.wished_area_too_long'),
	/** Slugs or ids of partner villages of the programme. */
	villages: v.optional(
		v.array(
			v.pipe(v.string('case.unknown_village'), v.trim(), v.nonEmpty('case.unknown_village')),
			'case.unknown_village'
		),
		[]
	),
	howHeard: optionalText(200, 'case.how_heard_too_long'),
	needs: v.optional(caseNeedsSchema, {})
};

export const applicationSchema = v.pipe(
	v.object({
		...householdEntries,
		email: v.pipe(
			v.optional(v.string('case.email_required'), ''),
			v.trim(),
			v.nonEmpty('case.email_required'),
			caseEmailSchema
		),
		timeline: required(v.picklist(CASE_TIMELINES, 'case.invalid_timeline')),
		wouldMoveWithoutProgramme: required(v.picklist(YES_NO_UNSURE, 'case.invalid_would_move')),
		consentContact: v.pipe(
			checkbox,
			v.check((value) => value, 'case.consent_contact_required')
		),
		consentShareWithCommittees: checkbox,
		consentShareWithPartners: checkbox,
		consentResearch: checkbox
	}),
	// A partner is one of the adults: "2 adults" at least when there is a partner.
	v.forward(
		v.partialCheck(
			[['adultsCount'], ['hasPartner']],
			(data) => data.adultsCount >= (data.hasPartner ? 2 : 1),
			'case.invalid_adults_count'
		),
		['adultsCount']
	)
);
export type ApplicationInput = v.InferInput<typeof applicationSchema>;
export type ApplicationData = v.InferOutput<typeof applicationSchema>;

/** A case an advisor opens (a phone call, a fair): contact details and consents may come later. */
export const createCaseSchema = v.pipe(
	v.object({
		...householdEntries,
		email: optionalEmail,
		source: v.optional(v.picklist(CASE_SOURCES, 'case.invalid_source'), 'phone'),
		timeline: optionalPicklist(CASE_TIMELINES, 'case.invalid_timeline'),
		wouldMoveWithoutProgramme: optionalPicklist(YES_NO_UNSURE, 'case.invalid_would_move'),
		consentContact: checkbox,
		consentShareWithCommittees: checkbox,
		consentShareWithPartners: checkbox,
		consentResearch: checkbox,
		/** Defaults to the advisor entering the case. */
		advisorId: v.optional(v.nullable(userIdSchema)),
		/** What was said on the phone, kept on the timeline as the first call. */
		note: optionalText(10_000, 'case.body_too_long')
	}),
	// A partner is one of the adults: "2 adults" at least when there is a partner.
	v.forward(
		v.partialCheck(
			[['adultsCount'], ['hasPartner']],
			(data) => data.adultsCount >= (data.hasPartner ? 2 : 1),
			'case.invalid_adults_count'
		),
		['adultsCount']
	)
);
export type CreateCaseInput = v.InferInput<typeof createCaseSchema>;
export type CreateCaseData = v.InferOutput<typeof createCaseSchema>;

/** A calendar date YYYY-MM-DD that exists (no 30 February). */
const isoDate = (code: string) =>
	v.pipe(
		v.string(code),
		v.trim(),
		v.check((value) => {
			if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
			const date = new Date(`${value}T00:00:00Z`);
			return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
		}, code)
	);
const optionalIsoDate = (code: string) => blankable(isoDate(code));

export const moveCaseSchema = v.object({
	stage: v.pipe(v.string('case.unknown_stage'), v.trim(), v.nonEmpty('case.unknown_stage')),
	reason: optionalText(2000, 'case.reason_too_long'),
	installedCommuneCode: blankable(
		v.pipe(
			v.string('case.unknown_commune'),
			v.trim(),
			v.regex(/^(\d{5}|2[AB]\d{3})$/, 'case.unknown_commune')
		)
	),
	installedOn: optionalIsoDate('case.invalid_date'),
	leftOn: optionalIsoDate('case.invalid_date')
});
export type MoveCaseInput = v.InferInput<typeof moveCaseSchema>;

/** Kinds people write; the others ('stage_change', 'application', 'membership', 'ambassador') are written by the system only. */
const SYSTEM_ACTIVITY_KINDS: readonly string[] = [
	'stage_change',
	'application',
	'membership',
	'ambassador',
	// Written through the candidate-space messages (a mail goes to the other side).
	'message'
];
export const MANUAL_ACTIVITY_KINDS = ACTIVITY_KINDS.filter(
	(kind) => !SYSTEM_ACTIVITY_KINDS.includes(kind)
) as readonly string[] as readonly (
	'note' | 'call' | 'email' | 'meeting' | 'visit' | 'referral' | 'document'
)[];

export const addActivitySchema = v.object({
	kind: v.picklist(MANUAL_ACTIVITY_KINDS, 'case.invalid_activity_kind'),
	/** A date, an ISO timestamp or a datetime-local value; defaults to now. */
	occurredAt: v.optional(
		v.pipe(
			v.unknown(),
			v.transform((value) => emptyToUndefined(value) ?? new Date()),
			v.union(
				[
					v.date('case.invalid_date'),
					v.pipe(
						v.string('case.invalid_date'),
						v.transform((s) => new Date(s))
					)
				],
				'case.invalid_date'
			),
			v.check((date) => !Number.isNaN(date.getTime()), 'case.invalid_date')
		),
		''
	),
	summary: requiredText(200, 'case.summary_required', 'case.summary_too_long'),
	body: optionalText(20_000, 'case.body_too_long'),
	visibility: v.optional(v.picklist(ACTIVITY_VISIBILITIES, 'case.invalid_visibility'), 'staff'),
	/** Housing or premises proposed at a visit or meeting: an offer of the programme (a committee: of its village). */
	offerId: blankable(
		v.pipe(v.string('case.unknown_offer'), v.trim(), v.regex(/^off_[a-z0-9]{8,64}$/, 'case.unknown_offer'))
	)
});
export type AddActivityInput = v.InferInput<typeof addActivitySchema>;

export const createTaskSchema = v.object({
	caseId: v.optional(v.nullable(caseIdSchema)),
	title: requiredText(200, 'case.task_title_required', 'case.task_title_too_long'),
	dueOn: optionalIsoDate('case.invalid_date'),
	assigneeId: v.optional(v.nullable(userIdSchema))
});
export type CreateTaskInput = v.InferInput<typeof createTaskSchema>;

export const CASE_LIST_SORTS = ['recent', 'oldest'] as const;

export const listCasesSchema = v.object({
	filters: v.optional(
		v.object({
			stages: v.optional(v.array(v.string()), []),
			advisorId: v.optional(v.string()),
			source: v.optional(v.picklist(CASE_SOURCES, 'case.invalid_source')),
			villageId: v.optional(v.string()),
			q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200)))
		}),
		{}
	),
	limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500)), 50),
	offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
	/** Last change, newest first (default) or oldest first. */
	sort: v.optional(v.picklist(CASE_LIST_SORTS), 'recent')
});
export type ListCasesInput = v.InferInput<typeof listCasesSchema>;

export const STAGE_KEY_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

export const pipelineConfigSchema = v.object({
	stages: v.array(v.string('case.invalid_pipeline'), 'case.invalid_pipeline'),
	labels: v.optional(
		v.record(
			v.string(),
			v.object({
				fr: v.optional(v.pipe(v.string(), v.maxLength(60))),
				en: v.optional(v.pipe(v.string(), v.maxLength(60)))
			})
		)
	),
	milestones: v.optional(v.record(v.string(), v.picklist(PIPELINE_MILESTONES)))
});

/* ------------------------------------------------------------------ editing */

/**
 * A SIRET: 14 digits whose Luhn sum is a multiple of 10 (La Poste's establishments,
 * SIREN 356000000, use the sum of the digits modulo 5 instead).
 */
export function isValidSiret(value: string): boolean {
	if (!/^\d{14}$/.test(value)) return false;
	if (value.startsWith('356000000')) {
		return [...value].reduce((sum, digit) => sum + Number(digit), 0) % 5 === 0;
	}
	let sum = 0;
	for (let i = 0; i < 14; i++) {
		let digit = Number(value[13 - i]);
		if (i % 2 === 1) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return sum % 10 === 0;
}

const communeCode = v.pipe(
	v.string('case.unknown_commune'),
	v.trim(),
	v.regex(/^(\d{5}|2[AB]\d{3})$/, 'case.unknown_commune')
);

/**
 * The case fields staff edit after creation. Every key is optional: a key left out is
 * not changed (the edit form sends them all, unchecked boxes as empty text).
 */
export const updateCaseSchema = v.object({
	source: v.optional(v.picklist(CASE_SOURCES, 'case.invalid_source')),
	wishedArea: optionalText(500, 'case.wished_area_too_long'),
	timeline: optionalPicklist(CASE_TIMELINES, 'case.invalid_timeline'),
	needs: v.optional(caseNeedsSchema),
	wouldMoveWithoutProgramme: optionalPicklist(YES_NO_UNSURE, 'case.invalid_would_move'),
	howHeard: optionalText(200, 'case.how_heard_too_long'),
	consentContact: v.optional(checkbox),
	consentShareWithCommittees: v.optional(checkbox),
	consentShareWithPartners: v.optional(checkbox),
	consentResearch: v.optional(checkbox),
	installedCommuneCode: blankable(communeCode),
	installedOn: optionalIsoDate('case.invalid_date'),
	businessSiret: blankable(
		v.pipe(
			v.string('case.invalid_siret'),
			v.transform((value) => value.replace(/[\s.]/g, '')),
			v.check(isValidSiret, 'case.invalid_siret')
		)
	),
	businessCreatedOn: optionalIsoDate('case.invalid_date'),
	businessClosedOn: optionalIsoDate('case.invalid_date'),
	leftOn: optionalIsoDate('case.invalid_date'),
	leftReason: optionalText(2000, 'case.reason_too_long'),
	abandonedReason: optionalText(2000, 'case.reason_too_long')
});
export type UpdateCaseInput = v.InferInput<typeof updateCaseSchema>;
export type UpdateCaseData = v.InferOutput<typeof updateCaseSchema>;

export const SCHOOL_LEVELS = ['childcare', 'nursery', 'primary', 'secondary', 'high_school', 'none'] as const;

/** Languages as a list or as typed in one field: "fr, en". */
const languagesField = v.pipe(
	v.optional(v.union([v.array(v.string('case.invalid_language')), v.string('case.invalid_language')]), []),
	v.transform((value) =>
		(Array.isArray(value) ? value : value.split(/[,;\s]+/)).map((item) => item.trim()).filter(Boolean)
	),
	v.array(
		v.pipe(v.string(), v.toLowerCase(), v.regex(/^[a-z]{2,3}$/, 'case.invalid_language')),
		'case.invalid_language'
	)
);

export const personNeedsSchema = v.object({
	job: checkbox,
	jobSought: optionalText(200, 'case.job_sought_too_long'),
	schoolLevel: optionalPicklist(SCHOOL_LEVELS, 'case.invalid_school_level'),
	childcare: checkbox,
	doctor: checkbox,
	transport: checkbox
});

/** A person of the household as staff enter or edit them. */
export const personSchema = v.object({
	householdRole: v.picklist(HOUSEHOLD_ROLES, 'case.invalid_household_role'),
	firstName: optionalText(80, 'case.first_name_too_long'),
	lastName: optionalText(80, 'case.last_name_too_long'),
	email: optionalEmail,
	phone: optionalPhone,
	birthYear: optionalNumber(1900, 2100, 'case.invalid_birth_year'),
	profession: optionalText(120, 'case.profession_too_long'),
	status: optionalPicklist(PERSON_STATUSES, 'case.invalid_status'),
	/** With status `other`: the status in the person's words (domain/vocabulary maps it). */
	statusOther: optionalText(120, 'case.status_other_too_long'),
	/** A key of PERSON_SECTORS; a text (older clients, an offer's sector) is read as a sector's words. */
	sector: optionalText(120, 'case.sector_too_long'),
	/** With sector `other`: the sector in the person's words (domain/vocabulary maps it). */
	sectorOther: optionalText(120, 'case.sector_too_long'),
	pcs: blankable(
		v.pipe(v.string('case.invalid_pcs'), v.trim(), v.regex(/^[0-9A-Za-z]{1,4}$/, 'case.invalid_pcs'))
	),
	originCountry: blankable(
		v.pipe(
			v.string('case.invalid_country'),
			v.trim(),
			v.toUpperCase(),
			v.regex(/^[A-Z]{2}$/, 'case.invalid_country')
		)
	),
	/** A key of ORIGIN_AREAS; a text (a region, département, city or country) is read as an origin's words. */
	originArea: optionalText(120, 'case.origin_too_long'),
	/** With origin area `other`: the origin in the person's words (domain/vocabulary maps it). */
	originAreaOther: optionalText(120, 'case.origin_too_long'),
	languages: languagesField,
	needs: v.optional(personNeedsSchema, {})
});
export type PersonInput = v.InferInput<typeof personSchema>;
export type PersonData = v.InferOutput<typeof personSchema>;

export const targetVillagesSchema = v.array(
	v.pipe(v.string('case.unknown_village'), v.trim(), v.nonEmpty('case.unknown_village')),
	'case.unknown_village'
);
