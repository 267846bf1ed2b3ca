import { randomBytes, randomInt } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import * as v from 'valibot';
import type { Db } from '../../db/index.ts';
import { communesTable } from '../../db/schema/index.ts';
import { translate, type Locale } from '../../../i18n/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import {
	researchExtractAllSuppressed,
	researchExtractForbidden,
	researchExtractNoConsent
} from './exports.errors.ts';
import { writeFrenchCsv, writeWorkbook, type ExportCell, type ExportPreamble } from './exports.rules.ts';
import {
	assertFormat,
	booleansOf,
	EXPORT_MIME,
	fileStem,
	preambleOf,
	type ExportFile
} from './exports.service.ts';
import type { ObservatoryCase } from './observatory.types.ts';
import { dayToDate, inPeriod, installationDate, yearOfDate } from './observatory.rules.ts';
import type { ObservatoryFiltersInput } from './observatory.schemas.ts';
import { loadObservatory } from './observatory.context.ts';
import type { ObservatoryViewer } from './observatory.types.ts';
import {
	anonymise,
	QUASI_IDENTIFIERS,
	type AnonymisationReport,
	type ResearchRecord
} from './research-extract.rules.ts';

const log = createLogger({ namespace: 'observatory:research-extract' });

export const DEFAULT_K = 5;

/** k: a whole number from 2 to 100 (1 would publish the records as recorded: not offered). */
export const researchExtractSchema = v.object({
	k: v.optional(
		v.pipe(
			v.union([v.string(), v.number()], 'observatory_exports.invalid_k'),
			v.transform((value) =>
				typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN
			),
			v.number('observatory_exports.invalid_k'),
			v.integer('observatory_exports.invalid_k'),
			v.minValue(2, 'observatory_exports.invalid_k'),
			v.maxValue(100, 'observatory_exports.invalid_k')
		),
		DEFAULT_K
	),
	format: v.optional(v.picklist(['csv', 'xlsx'], 'observatory_exports.invalid_format'), 'csv')
});

/** One consenting household with what the extract publishes besides its quasi-identifiers. */
type HouseholdRecord = ResearchRecord & {
	stillPresent: boolean;
	businessCreated: boolean;
	businessActive: boolean;
	wouldMoveWithoutProgramme: string | null;
	source: string;
};

/** Whole months from one calendar day to another. */
function monthsBetween(from: Date, to: Date): number {
	const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
	return Math.max(0, to.getUTCDate() < from.getUTCDate() ? months - 1 : months);
}

function recordOf(
	kase: ObservatoryCase,
	installed: Date,
	commune:
		{ cantonCode: string | null; arrondissementCode: string | null; departementCode: string } | undefined,
	today: Date
): HouseholdRecord {
	const left = kase.leftOn ? dayToDate(kase.leftOn) : null;
	const stillPresent = !left || left.getTime() > today.getTime();
	const installationYear = yearOfDate(installed);
	const birthYear = kase.candidate?.birthYear ?? null;
	const age = birthYear === null ? null : installationYear - birthYear;
	return {
		communeCode: kase.installedCommuneCode,
		cantonCode: commune?.cantonCode ?? null,
		arrondissementCode: commune?.arrondissementCode ?? null,
		departementCode: commune?.departementCode ?? kase.installedCommuneCode?.slice(0, 2) ?? null,
		age: age !== null && age >= 0 && age <= 120 ? age : null,
		status: kase.candidate?.status ?? null,
		householdSize: kase.householdSize,
		installationYear,
		yearsInTerritory: Math.floor(monthsBetween(installed, stillPresent ? today : (left as Date)) / 12),
		stillPresent,
		businessCreated: kase.businessCreatedOn !== null,
		businessActive:
			kase.businessCreatedOn !== null &&
			(kase.businessClosedOn === null || dayToDate(kase.businessClosedOn).getTime() > today.getTime()),
		wouldMoveWithoutProgramme: kase.wouldMoveWithoutProgramme,
		source: kase.source
	};
}

const snake = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** The extract's columns: a pseudonym, the generalised quasi-identifiers, then the outcomes. */
export const RESEARCH_COLUMNS = [
	'pseudonym',
	'geography',
	'age',
	'status',
	'household_size',
	'installation_year',
	'years_in_territory',
	'still_present',
	'business_created',
	'business_active',
	'would_move_without_programme',
	'source'
] as const;

/** Random pseudonyms, unique in the file and new at every export (extracts cannot be linked). */
function pseudonyms(count: number): string[] {
	const ids = new Set<string>();
	while (ids.size < count) ids.add(`H${randomBytes(5).toString('hex')}`);
	return [...ids];
}

/** Fisher–Yates with a cryptographic generator: the rows' order says nothing of the files' order. */
function shuffled<T>(items: T[]): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = randomInt(i + 1);
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

/**
 * The pseudonymised research extract (admins only): one row per installed household of the
 * selection (filters, installation in the period) that agreed to research, without name, e-mail,
 * phone or date — a random pseudonym new at every export, years and months only — and with its
 * quasi-identifiers generalised until every class holds at least k households (the rest
 * suppressed). The file and the returned report say which level each attribute was published at
 * and how many households were suppressed.
 */
export async function exportResearchExtract(
	{
		viewer,
		input = {},
		filters = {},
		locale
	}: {
		viewer: ObservatoryViewer;
		input?: { k?: string | number; format?: string };
		filters?: ObservatoryFiltersInput;
		locale: Locale;
	},
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<ExportFile & { report: AnonymisationReport }> {
	if (viewer.kind !== 'staff' || !viewer.isAdmin)
		throw researchExtractForbidden({ programmeId: viewer.programmeId, kind: viewer.kind });
	if (input.format !== undefined) assertFormat(input.format);
	const { k, format } = parseInput(researchExtractSchema, input);
	const context = await loadObservatory({ viewer, input: filters }, { db, now });
	const today = dayToDate(now.toISOString().slice(0, 10));
	const selected = context.cases.flatMap((kase) => {
		const installed = installationDate(kase);
		if (!kase.researchConsent || !installed || !inPeriod(yearOfDate(installed), context.period)) return [];
		return [{ kase, installed }];
	});
	if (selected.length === 0) throw researchExtractNoConsent({ programmeId: viewer.programmeId });
	const codes = [
		...new Set(selected.flatMap(({ kase }) => (kase.installedCommuneCode ? [kase.installedCommuneCode] : [])))
	];
	const communes = codes.length
		? await db
				.select({
					code: communesTable.code,
					cantonCode: communesTable.cantonCode,
					arrondissementCode: communesTable.arrondissementCode,
					departementCode: communesTable.departementCode
				})
				.from(communesTable)
				.where(inArray(communesTable.code, codes))
		: [];
	const byCode = new Map(communes.map((commune) => [commune.code, commune]));
	const records = selected.map(({ kase, installed }) =>
		recordOf(
			kase,
			installed,
			kase.installedCommuneCode ? byCode.get(kase.installedCommuneCode) : undefined,
			today
		)
	);
	const { rows, report } = anonymise(records, { k });
	if (report.allSuppressed) throw researchExtractAllSuppressed({ k, households: records.length });

	const ids = pseudonyms(rows.length);
	const cells: ExportCell[][] = shuffled(rows).map((row, index) => [
		ids[index],
		...QUASI_IDENTIFIERS.map((q) => row.values[q]),
		row.record.stillPresent,
		row.record.businessCreated,
		row.record.businessActive,
		row.record.wouldMoveWithoutProgramme,
		row.record.source
	]);
	const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
	const preamble: ExportPreamble = [
		...preambleOf(context, locale, t('observatory_exports_research_title')),
		[t('observatory_exports_research_k'), String(k)],
		...QUASI_IDENTIFIERS.map((q): [string, string] => [
			t('observatory_exports_research_level', { attribute: t(`observatory_exports_col_${snake(q)}`) }),
			t(`observatory_exports_level_${report.levels[q]}`)
		]),
		[t('observatory_exports_research_households'), String(report.records)],
		[t('observatory_exports_research_kept'), String(report.kept)],
		[t('observatory_exports_research_suppressed'), String(report.suppressed)],
		[t('observatory_exports_research_note_label'), t('observatory_exports_research_note')]
	];
	const table = {
		name: t('observatory_exports_research_sheet'),
		columns: [...RESEARCH_COLUMNS],
		rows: cells
	};
	const booleans = booleansOf(locale);
	const body =
		format === 'csv'
			? writeFrenchCsv({ preamble, tables: [table], booleans, titled: false })
			: await writeWorkbook({
					preamble,
					preambleSheet: t('observatory_exports_about_sheet'),
					tables: [table],
					booleans
				});
	log.info(
		{
			programmeId: viewer.programmeId,
			k,
			kept: report.kept,
			suppressed: report.suppressed,
			userId: viewer.userId
		},
		'Research extract exported'
	);
	return {
		fileName: `${fileStem(context, `recherche-k${k}`)}.${format}`,
		contentType: EXPORT_MIME[format],
		body,
		report
	};
}
