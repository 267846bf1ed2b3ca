import * as v from 'valibot';
import { exportableSections } from '#server/domain/observatory/exports.service.ts';
import {
	filtersFromSearchParams,
	filtersToSearchParams,
	observatoryFiltersSchema
} from '#server/domain/observatory/observatory.schemas.ts';
import { DEFAULT_K } from '#server/domain/observatory/research-extract.service.ts';
import { toFieldIssues } from '#server/validation.ts';
import type { PageServerLoad } from './$types';
import { requireObservatoryViewer } from '../observatory.server.ts';

/**
 * The downloads: each section as CSV or XLSX, installations as GeoJSON, and (admins) the research
 * extract, all with the filters of the form above. A refused download comes back here with
 * `problem` (an error code) and its parameters (`p_<name>`).
 */
export const load: PageServerLoad = (event) => {
	const viewer = requireObservatoryViewer(event);
	const params = event.url.searchParams;
	const checked = v.safeParse(observatoryFiltersSchema, filtersFromSearchParams(params));
	const problemParams: Record<string, string> = {};
	for (const [key, value] of params) if (key.startsWith('p_')) problemParams[key.slice(2)] = value;
	return {
		sections: exportableSections(),
		query: checked.success ? filtersToSearchParams(checked.output).toString() : '',
		issues: checked.success ? [] : toFieldIssues(checked.issues),
		isAdmin: viewer.isAdmin,
		problem: params.get('problem'),
		problemParams,
		problemIsResearch: params.get('research') === '1',
		k: params.get('k') ?? String(DEFAULT_K),
		defaultK: DEFAULT_K
	};
};
