import type { Organisation, OrganisationKind } from '#server/db/schema/index.ts';
import type { UpdateOrganisationInput } from '#server/domain/organisation/organisation.schemas.ts';
import { nullableTextOf, textOf } from '../villages/listing-forms.server.ts';

/** The organisation form's fields → the service input (create and edit share them). */
export function organisationInput(data: FormData) {
	return {
		name: textOf(data, 'name'),
		kind: textOf(data, 'kind') as OrganisationKind,
		email: nullableTextOf(data, 'email'),
		phone: nullableTextOf(data, 'phone'),
		website: nullableTextOf(data, 'website')
	} satisfies UpdateOrganisationInput;
}

/** A saved organisation as the form's text values. */
export function organisationValues(organisation: Organisation): Record<string, string> {
	return {
		name: organisation.name,
		kind: organisation.kind,
		email: organisation.email ?? '',
		phone: organisation.phone ?? '',
		website: organisation.website ?? ''
	};
}
