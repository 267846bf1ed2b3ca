import { fail } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { comparisonChart, type ComparisonBar } from '#server/domain/observatory/comparison.charts.ts';
import {
	COMPARISON_INDICATORS,
	type ComparisonFigure,
	type ComparisonIndicator
} from '#server/domain/observatory/comparison.rules.ts';
import {
	COMPARISON_UNITS,
	getProgrammeComparison,
	type ProgrammeComparisonView
} from '#server/domain/observatory/comparison.service.ts';
import { updateComparisonOptIn } from '#server/domain/programme-settings/programme-comparison.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { STATUS, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import { DomainError } from '#server/errors.ts';
import { ValidationError, type FieldIssue } from '#server/validation.ts';
import { intlLocale, translate, type Locale, type MessageKey } from '$lib/i18n/index.ts';
import type { Actions, PageServerLoad } from './$types';

/** A figure as the page writes it: the value, its interval or quartiles, and "how sure". */
export type ComparisonCell = {
	state: ComparisonFigure['state'];
	text: string;
	detail: string | null;
	certainty: string | null;
	certaintyLevel: string | null;
};

function formatters(locale: Locale) {
	const tag = intlLocale(locale);
	const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
	const integer = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
	const euros = new Intl.NumberFormat(tag, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
	return (indicator: ComparisonIndicator, value: number): string => {
		switch (COMPARISON_UNITS[indicator]) {
			case 'share':
				return percent.format(value);
			case 'days':
				return translate(locale, 'observatory_comparison_days', { days: integer.format(value) });
			case 'euros':
				return euros.format(value / 100);
			default:
				return integer.format(value);
		}
	};
}

function cellOf(
	locale: Locale,
	indicator: ComparisonIndicator,
	figure: ComparisonFigure,
	k: number
): ComparisonCell {
	const t = (key: string, params?: Record<string, string | number>) =>
		translate(locale, key as MessageKey, params);
	const format = formatters(locale);
	if (figure.state !== 'shown' || figure.value === null)
		return {
			state: figure.state,
			text:
				figure.state === 'withheld'
					? t('observatory_comparison_state_withheld', { k })
					: t(`observatory_comparison_state_${figure.state === 'shown' ? 'not_observable' : figure.state}`),
			detail: null,
			certainty: null,
			certaintyLevel: null
		};
	const bounds =
		figure.lower !== null && figure.upper !== null
			? t(
					indicator === 'time_to_installation'
						? 'observatory_comparison_quartiles'
						: 'observatory_comparison_interval',
					{ lower: format(indicator, figure.lower), upper: format(indicator, figure.upper) }
				)
			: null;
	return {
		state: 'shown',
		text: format(indicator, figure.value),
		detail: bounds,
		certainty: figure.certainty ? t(`observatory_comparison_certainty_${figure.certainty}`) : null,
		certaintyLevel: figure.certainty
	};
}

/** The table (programmes as columns) and one chart per indicator. */
function present(view: ProgrammeComparisonView, locale: Locale) {
	const t = (key: string, params?: Record<string, string | number>) =>
		translate(locale, key as MessageKey, params);
	const format = formatters(locale);
	const programmes = view.programmes.map((programme) => ({
		id: programme.id,
		name: programme.name,
		isOwn: programme.isOwn,
		isDemo: programme.isDemo,
		budgetYears: programme.comparison.budgetYears,
		cells: Object.fromEntries(
			COMPARISON_INDICATORS.map((indicator) => [
				indicator,
				cellOf(locale, indicator, programme.comparison.figures[indicator], programme.comparison.minCellSize)
			])
		) as Record<ComparisonIndicator, ComparisonCell>
	}));
	const charts = COMPARISON_INDICATORS.map((indicator) => {
		const title = t('observatory_comparison_chart_title', {
			indicator: t(`observatory_comparison_ind_${indicator}`)
		});
		const bars: ComparisonBar[] = view.programmes.map((programme, i) => {
			const figure = programme.comparison.figures[indicator];
			const shown = figure.state === 'shown' && figure.value !== null;
			return {
				label: programme.name,
				value: shown ? figure.value : null,
				lower: shown ? figure.lower : null,
				upper: shown ? figure.upper : null,
				text: programmes[i].cells[indicator].text
			};
		});
		const percent = COMPARISON_UNITS[indicator] === 'share';
		return {
			indicator,
			title,
			svg: comparisonChart({
				bars,
				title,
				percent,
				tickFormat: (value: number) => format(indicator, value)
			})
		};
	});
	return { programmes, charts };
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const input = {
		from: url.searchParams.get('from')?.trim() || undefined,
		to: url.searchParams.get('to')?.trim() || undefined
	};
	const db = getApp().database.db;
	let issues: FieldIssue[] = [];
	let view: ProgrammeComparisonView;
	try {
		view = await getProgrammeComparison({ actor, input }, { db });
	} catch (err) {
		if (!(err instanceof ValidationError)) throwHttpError(err);
		issues = err.issues;
		view = await getProgrammeComparison({ actor }, { db });
	}
	const { programmes, charts } = present(view, locals.locale);
	return {
		isOptedIn: view.isOptedIn,
		canOptIn: view.canOptIn,
		period: view.period,
		periodInput: { from: input.from ?? '', to: input.to ?? '' },
		issues,
		programmes,
		charts,
		indicators: COMPARISON_INDICATORS,
		isOptedInNow: url.searchParams.get('notice') === 'opted_in'
	};
};

export const actions: Actions = {
	/** An admin opts the programme in from the page (opting out is in the settings). */
	optIn: async ({ locals, url }) => {
		const actor = requireActor({ locals, url });
		try {
			await updateComparisonOptIn({ actor, input: { isInComparison: 'on' } }, { db: getApp().database.db });
		} catch (err) {
			if (err instanceof DomainError) return fail(STATUS[err.kind], { code: err.code });
			throw err;
		}
		seeOther('/backoffice/observatory/comparison', { notice: 'opted_in' });
	}
};
