import { formText } from '#server/http/errors.ts';

/**
 * A role with its scope as posted by the invite and role forms: `village` checkboxes
 * (village ids), each with its `function_<villageId>` select, and an `organisationId`.
 */
export function roleScopeInput(data: FormData) {
	const villageIds = data.getAll('village').filter((value): value is string => typeof value === 'string');
	const role = formText(data, 'role');
	return {
		role: role as 'admin',
		villages:
			role === 'committee'
				? villageIds.map((villageId) => ({
						villageId,
						committeeRole: (formText(data, `function_${villageId}`) || 'volunteer') as 'volunteer'
					}))
				: [],
		organisationId: role === 'partner' ? formText(data, 'organisationId') : ''
	};
}
