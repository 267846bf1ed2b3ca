import { groupedBars } from '#server/charts/palette.ts';
import { formatPercent } from '$lib/domain/observatory/observatory-format.ts';
import { createTranslator, translate } from '$lib/i18n/index.ts';
import { observatoryOriginLabel, vocabularyLabel } from '$lib/components/backoffice/CaseFormat.ts';
import type { Locale } from '$lib/i18n/core.ts';
import type { PageServerLoad } from './$types';
import { loadObservatorySection } from '../observatory.server.ts';

/** The label of a profile value, translated where the value is a code (as on the page's tables). */
function profileValueLabel(locale: Locale, dimension: string, value: string): string {
	const known = (key: string) => {
		const text = translate(locale, key);
		return text === key ? value : text;
	};
	switch (dimension) {
		case 'status':
			return known(`case_status_${value}`);
		case 'pcs_group':
		case 'age_band':
		case 'household_kind':
			return known(`observatory_profiles_${dimension}_${value}`);
		case 'origin':
			// A country code, France without a region, or a key of the origins' vocabulary.
			return observatoryOriginLabel(createTranslator(locale), locale, value);
		case 'sector':
			// A key of the sectors' vocabulary (domain/vocabulary), as on the page's table.
			return vocabularyLabel(createTranslator(locale), 'sector', value);
		default:
			return value;
	}
}

/**
 * Who the households are: status, sector, socio-professional group, age, origin, household. Each
 * table gets a chart of the shares among contacts and among installations, side by side.
 */
export const load: PageServerLoad = async (event) => {
	const page = await loadObservatorySection(event, 'profiles');
	const profiles = page.section;
	if (!profiles) return { ...page, charts: {} as Record<string, { svg: string; title: string }> };
	const locale = event.locals.locale;
	const contacts = translate(locale, 'observatory_profiles_contacts');
	const installations = translate(locale, 'observatory_profiles_installations');
	const percent = (value: number) => formatPercent(locale, value);
	const charts: Record<string, { svg: string; title: string }> = {};
	for (const table of profiles.tables) {
		const rows = table.rows.filter(
			(row) => Number.isFinite(row.contactsShare ?? NaN) || Number.isFinite(row.installationsShare ?? NaN)
		);
		if (rows.length === 0) continue;
		const labels = rows.map((row) => profileValueLabel(locale, table.dimension, row.value));
		const title = translate(locale, 'observatory_profiles_chart_title', {
			dimension: translate(locale, `observatory_def_${table.dimension}_name`)
		});
		charts[table.dimension] = {
			title,
			svg: groupedBars({
				labels,
				series: [contacts, installations],
				rows: rows.flatMap((row, i) => [
					{ label: labels[i], series: contacts, value: row.contactsShare ?? NaN },
					{ label: labels[i], series: installations, value: row.installationsShare ?? NaN }
				]),
				title,
				format: percent,
				percent: true,
				tickFormat: percent
			})
		};
	}
	return { ...page, charts };
};
