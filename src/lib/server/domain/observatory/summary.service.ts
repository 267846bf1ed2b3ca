import type { Db } from '../../db/index.ts';
import type { ObservatoryCache, ObservatoryHead } from './observatory-cache.ts';
import { computeObservatorySections } from './observatory-report.service.ts';
import type { ObservatoryFiltersInput } from './observatory.schemas.ts';
import type { ObservatoryViewer } from './observatory.types.ts';
import { isWithheldSection } from './disclosure.rules.ts';
import { computeSummaryFindings, type SummaryFinding, type SummarySections } from './summary.rules.ts';

/** The sections the summary's findings are drawn from. */
export const SUMMARY_SECTIONS = [
	'flows',
	'funnel',
	'profiles',
	'durability',
	'integration',
	'impact'
] as const;

export type ObservatorySummary = {
	context: ObservatoryHead;
	findings: SummaryFinding[];
	/** The reader's k when not staff (figures of fewer than k households are hidden); null for staff. */
	minCellSize: number | null;
	/** Every section was withheld (the filters select fewer than k households): no finding at all. */
	withheld: { minCellSize: number } | null;
};

/**
 * The observatory's summary for its reader: the key findings of the period, computed from the
 * sections as this reader gets them (computeObservatorySections: same registry, same small-cell
 * rules, same cache as the section pages), so a committee member's summary rests only on the
 * figures they may read.
 */
export async function getObservatorySummary(
	{ viewer, input }: { viewer: ObservatoryViewer; input?: ObservatoryFiltersInput },
	{ db, now = new Date(), cache = null }: { db: Db; now?: Date; cache?: ObservatoryCache | null }
): Promise<ObservatorySummary> {
	const { context, sections } = await computeObservatorySections(
		{ viewer, input, sections: SUMMARY_SECTIONS },
		{ db, now, cache }
	);
	const minCellSize = viewer.kind === 'staff' ? null : context.minCellSize;
	const withheld = Object.values(sections).find(isWithheldSection);
	if (withheld && Object.values(sections).every(isWithheldSection))
		return { context, findings: [], minCellSize, withheld: { minCellSize: withheld.minCellSize } };
	const findings = computeSummaryFindings(sections as SummarySections, { minCellSize, now });
	return { context, findings, minCellSize, withheld: null };
}
