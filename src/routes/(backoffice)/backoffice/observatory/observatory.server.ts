import type { RequestEvent } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { DomainError, isDomainError } from '#server/errors.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import { observatoryViewerOf } from '#server/domain/observatory/observatory.context.ts';
import { computeObservatorySections } from '#server/domain/observatory/observatory-report.service.ts';
import { isWithheldSection, type WithheldSection } from '#server/domain/observatory/disclosure.rules.ts';
import { observatoryTooFewHouseholds } from '#server/domain/observatory/observatory.errors.ts';
import {
	type ObservatorySectionData,
	type ObservatorySectionName
} from '#server/domain/observatory/observatory.service.ts';
import type { ObservatoryViewer } from '#server/domain/observatory/observatory.types.ts';
import { filtersFromSearchParams } from '#server/domain/observatory/observatory.schemas.ts';
import type { ObservatoryPeriod } from '#server/domain/observatory/observatory.rules.ts';
import { ValidationError, type FieldIssue } from '#server/validation.ts';

/**
 * A figure in a chart's text (title, description): "< k" when the minimum cell size hides it
 * (NaN), "–" when there is none.
 */
export function chartText(value: number | null | undefined, minCellSize: number | null): string {
	if (value === null || value === undefined) return '–';
	if (Number.isNaN(value)) return minCellSize ? `< ${minCellSize}` : '–';
	return String(value);
}

/** The reader of the observatory pages: signed-in staff or committee member (others get 403). */
export function requireObservatoryViewer(event: Pick<RequestEvent, 'locals' | 'url'>): ObservatoryViewer {
	const actor = requireActor(event);
	try {
		return observatoryViewerOf(actor);
	} catch (err) {
		throwHttpError(err);
	}
}

export type ObservatorySectionPage<N extends ObservatorySectionName> = {
	/** The section's figures; null when the filters are invalid (then `issues` says why). */
	section: ObservatorySectionData<N> | null;
	issues: FieldIssue[];
	period: ObservatoryPeriod | null;
	isFiltered: boolean;
	viewerKind: ObservatoryViewer['kind'];
	isAdmin: boolean;
	/**
	 * The programme's minimum cell size k when the reader is not staff (figures of fewer than k
	 * households are hidden: NaN, shown "< k"); null for staff, who read exact figures.
	 */
	minCellSize: number | null;
	/** Set when the filters select fewer than k households: the page shows no figure at all. */
	withheld: { minCellSize: number } | null;
};

/**
 * What every section page loads: the reader, the filters of the query string, and the section's
 * figures. Invalid filters do not fail the page: the filter form shows the errors by field.
 */
export async function loadObservatorySection<N extends ObservatorySectionName>(
	event: Pick<RequestEvent, 'locals' | 'url'>,
	section: N
): Promise<ObservatorySectionPage<N>> {
	const viewer = requireObservatoryViewer(event);
	const base = { viewerKind: viewer.kind, isAdmin: viewer.isAdmin, withheld: null };
	try {
		// Through the observatory's cache: the same reader kind and filters on the same day are
		// computed once until a write changes what the observatory reads.
		const { context, sections } = await computeObservatorySections(
			{ viewer, input: filtersFromSearchParams(event.url.searchParams), sections: [section] },
			{ db: getApp().database.readDb, cache: getApp().observatoryCache }
		);
		const data = sections[section] as ObservatorySectionData<N> | WithheldSection;
		if (isWithheldSection(data))
			throw observatoryTooFewHouseholds({ programmeId: viewer.programmeId, minCellSize: data.minCellSize });
		return {
			...base,
			section: data,
			issues: [],
			period: context.period,
			isFiltered: context.isFiltered,
			minCellSize: viewer.kind === 'staff' ? null : context.minCellSize
		};
	} catch (err) {
		if (err instanceof ValidationError)
			return {
				...base,
				section: null,
				issues: err.issues,
				period: null,
				isFiltered: true,
				minCellSize: null
			};
		if (isDomainError(err, 'observatory.too_few_households')) {
			const minCellSize = Number(err.details.minCellSize);
			return {
				...base,
				section: null,
				issues: [],
				period: null,
				isFiltered: true,
				minCellSize,
				withheld: { minCellSize }
			};
		}
		if (err instanceof DomainError) throwHttpError(err);
		throw err;
	}
}
