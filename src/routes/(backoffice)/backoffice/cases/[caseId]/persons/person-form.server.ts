import { formText } from '#server/http/errors.ts';

const NEEDS = ['job', 'jobSought', 'schoolLevel', 'childcare', 'doctor', 'transport'];
const FIELDS = [
	'householdRole',
	'firstName',
	'lastName',
	'email',
	'phone',
	'birthYear',
	'profession',
	'status',
	'sector',
	'pcs',
	'originCountry',
	'originArea',
	'languages'
];

/** The person form as service input: every field, unticked boxes as empty text. */
export function personInput(data: FormData) {
	return {
		...Object.fromEntries(FIELDS.map((name) => [name, formText(data, name)])),
		needs: Object.fromEntries(NEEDS.map((name) => [name, formText(data, `needs_${name}`)]))
	} as never;
}
