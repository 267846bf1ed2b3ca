import * as v from 'valibot';
import { ORGANISATION_KINDS } from '../../db/schema/index.ts';

export const organisationIdSchema = v.pipe(v.string(), v.regex(/^org_[a-z0-9]+$/, 'organisation.not_found'));
const programmeIdSchema = v.pipe(v.string(), v.regex(/^prg_[a-z0-9]+$/, 'programme.not_found'));

/** An absolute http(s) address with a host. */
function isWebAddress(value: string): boolean {
	if (!URL.canParse(value)) return false;
	const url = new URL(value);
	return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
}

const organisationFields = {
	name: v.pipe(
		v.string('organisation.invalid_name'),
		v.trim(),
		v.minLength(2, 'organisation.invalid_name'),
		v.maxLength(160, 'organisation.invalid_name')
	),
	kind: v.picklist(ORGANISATION_KINDS, 'organisation.invalid_kind'),
	email: v.optional(
		v.nullable(
			v.pipe(
				v.string(),
				v.trim(),
				v.toLowerCase(),
				v.email('organisation.invalid_email'),
				v.maxLength(254, 'organisation.invalid_email')
			)
		)
	),
	phone: v.optional(
		v.nullable(v.pipe(v.string(), v.trim(), v.regex(/^[+0-9 ().-]{6,25}$/, 'organisation.invalid_phone')))
	),
	/** The organisation's site: an http(s) address. */
	website: v.optional(
		v.nullable(
			v.pipe(
				v.string(),
				v.trim(),
				v.check(isWebAddress, 'organisation.invalid_website'),
				v.maxLength(500, 'organisation.invalid_website')
			)
		)
	)
};

export const createOrganisationSchema = v.object({
	programmeId: programmeIdSchema,
	...organisationFields,
	isDemo: v.optional(v.boolean(), false)
});
export type CreateOrganisationInput = v.InferInput<typeof createOrganisationSchema>;

export const updateOrganisationSchema = v.partial(v.object(organisationFields));
export type UpdateOrganisationInput = v.InferInput<typeof updateOrganisationSchema>;
