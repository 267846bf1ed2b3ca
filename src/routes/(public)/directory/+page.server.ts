import { getApp } from '#server/app.ts';
import { searchDirectory } from '#server/domain/member/member.service.ts';
import { LANGUAGE_NAMES } from '#server/domain/member/member.rules.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { listPublicVillages } from '#server/domain/village/village.service.ts';
import { isDomainError } from '#server/errors.ts';
import { ValidationError } from '#server/validation.ts';
import type { PageServerLoad } from './$types';

const RADIUS_OPTIONS = [5, 10, 15, 25, 50] as const;

/**
 * The public directory of members: only those who opted in, each with the fields the
 * viewer may see. A GET form, so searches work without JavaScript and can be shared.
 */
export const load: PageServerLoad = async ({ url, locals }) => {
	const db = getApp().database.db;
	const params = url.searchParams;
	const filters = {
		q: params.get('q') ?? '',
		language: params.get('language') ?? '',
		near: params.get('near') ?? '',
		km: params.get('km') ?? ''
	};
	const options = {
		languages: Object.keys(LANGUAGE_NAMES),
		radii: RADIUS_OPTIONS,
		communes: [] as { code: string; name: string }[]
	};
	const empty = {
		profiles: [],
		understood: { languages: [], near: null },
		filters,
		options,
		issues: {} as Record<string, string>
	};
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	if (!programme) return empty;
	const { villages } = await listPublicVillages({ programmeId: programme.id, locale: locals.locale }, { db });
	options.communes = villages
		.map((village) => ({ code: village.communeCode, name: village.name }))
		.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
	try {
		const result = await searchDirectory(
			{
				actor: locals.actor,
				programmeId: programme.id,
				input: { q: filters.q, language: filters.language, near: filters.near, radiusKm: filters.km }
			},
			{ db }
		);
		return {
			...result,
			filters,
			options,
			issues: {} as Record<string, string>,
			isMember: locals.actor?.programmeId === programme.id && locals.actor.role !== 'candidate'
		};
	} catch (error) {
		if (error instanceof ValidationError) {
			const issues: Record<string, string> = {};
			for (const issue of error.issues) issues[issue.field || 'q'] ??= issue.code;
			return { ...empty, issues };
		}
		if (isDomainError(error)) return empty;
		throw error;
	}
};
