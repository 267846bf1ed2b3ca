import type { PersonStatus } from '../../db/schema/index.ts';

/*
 * k-anonymity of the research extract. Each installed household that consented to research is
 * one record; its quasi-identifiers (what someone could learn elsewhere and link: where it lives,
 * the candidate's age and status, the household's size, the year it settled and how long it
 * stayed) are generalised
 * along fixed hierarchies, the same level for every record (global recoding), Datafly-style:
 * while more than `suppressionLimit` records sit in equivalence classes smaller than k, the
 * attribute with the most distinct values goes one level up; the records still in classes smaller
 * than k are then suppressed. Every class of the extract therefore holds at least k records.
 * (k-anonymity alone does not prevent learning an attribute shared by a whole class — l-diversity
 * is not guaranteed; the outcome columns are coarse on purpose.)
 */

export const QUASI_IDENTIFIERS = [
	'geography',
	'age',
	'status',
	'householdSize',
	'installationYear',
	'yearsInTerritory'
] as const;
export type QuasiIdentifier = (typeof QUASI_IDENTIFIERS)[number];

/** The levels of each hierarchy, from the most precise to everything merged ('*'). */
export const GENERALISATION_LEVELS = {
	geography: ['commune', 'canton', 'arrondissement', 'departement', 'any'],
	age: ['age', 'band_10', 'band_20', 'any'],
	status: ['status', 'group', 'any'],
	householdSize: ['size', 'cap_4', 'cap_3', 'cap_2', 'any'],
	installationYear: ['year', 'period_5', 'any'],
	yearsInTerritory: ['years', 'band_2', 'band_5', 'any']
} as const satisfies Record<QuasiIdentifier, readonly string[]>;

export type GeneralisationLevels = { [Q in QuasiIdentifier]: (typeof GENERALISATION_LEVELS)[Q][number] };

/** What the extract knows of one household before generalisation. */
export type ResearchRecord = {
	communeCode: string | null;
	cantonCode: string | null;
	arrondissementCode: string | null;
	departementCode: string | null;
	/** Age of the candidate in the year of installation. */
	age: number | null;
	status: PersonStatus | null;
	householdSize: number;
	installationYear: number;
	/**
	 * Whole years from installation to departure (or to today): a quasi-identifier too — with
	 * the year of installation it would otherwise undo that year's generalisation.
	 */
	yearsInTerritory: number;
};

export const ANY = '*';
export const UNKNOWN = 'unknown';

/** Teleworking employees; the self-employed (freelancers, founders, buyers); everyone else. */
const STATUS_GROUPS: Record<PersonStatus, string> = {
	employee_teleworking: 'employee',
	freelancer: 'self_employed',
	founder: 'self_employed',
	business_buyer: 'self_employed',
	artist: 'other',
	other: 'other'
};

const band = (age: number, width: number) => {
	const low = Math.floor(age / width) * width;
	return `${low}-${low + width - 1}`;
};

/**
 * The value of one quasi-identifier at a level (0 = as recorded). Missing values stay "unknown"
 * until the attribute is merged ('*'). A missing canton or arrondissement falls back to the next
 * known level up, prefixed so that codes of different levels never collide.
 */
export function generalise(record: ResearchRecord, attribute: QuasiIdentifier, level: number): string {
	const top = GENERALISATION_LEVELS[attribute].length - 1;
	if (level >= top) return ANY;
	switch (attribute) {
		case 'geography': {
			const chain = [
				record.communeCode ? `commune ${record.communeCode}` : null,
				record.cantonCode ? `canton ${record.cantonCode}` : null,
				record.arrondissementCode ? `arrondissement ${record.arrondissementCode}` : null,
				record.departementCode ? `departement ${record.departementCode}` : null
			];
			for (let at = level; at < chain.length; at++) if (chain[at]) return chain[at] as string;
			return UNKNOWN;
		}
		case 'age': {
			if (record.age === null) return UNKNOWN;
			if (level === 0) return String(record.age);
			return band(record.age, level === 1 ? 10 : 20);
		}
		case 'status': {
			if (record.status === null) return UNKNOWN;
			return level === 0 ? record.status : STATUS_GROUPS[record.status];
		}
		case 'householdSize': {
			const cap = [Infinity, 4, 3, 2][level];
			return record.householdSize >= cap ? `${cap}+` : String(record.householdSize);
		}
		case 'installationYear': {
			if (level === 0) return String(record.installationYear);
			const low = Math.floor(record.installationYear / 5) * 5;
			return `${low}-${low + 4}`;
		}
		case 'yearsInTerritory': {
			if (level === 0) return String(record.yearsInTerritory);
			return band(record.yearsInTerritory, level === 1 ? 2 : 5);
		}
	}
}

export type AnonymisedRecord<T> = {
	record: T;
	/** The generalised quasi-identifiers, as written in the extract. */
	values: Record<QuasiIdentifier, string>;
};

export type AnonymisationReport = {
	k: number;
	/** Records in, records kept, records suppressed. */
	records: number;
	kept: number;
	suppressed: number;
	/** The level used for each quasi-identifier. */
	levels: GeneralisationLevels;
	/** Number of equivalence classes in the extract and the smallest one (null when empty). */
	classes: number;
	smallestClass: number | null;
	/** True when no record could be kept (fewer than k records, even with everything merged). */
	allSuppressed: boolean;
};

const classKey = (values: Record<QuasiIdentifier, string>) =>
	QUASI_IDENTIFIERS.map((q) => values[q]).join('\u0000');

/**
 * Generalises then suppresses until every equivalence class (records sharing all generalised
 * quasi-identifiers) holds at least k records. `suppressionLimit` (default k, as in Datafly) is how
 * many records may be suppressed rather than generalising further. k = 1 returns the records as
 * recorded.
 */
export function anonymise<T extends ResearchRecord>(
	records: readonly T[],
	{ k, suppressionLimit = k }: { k: number; suppressionLimit?: number }
): { rows: AnonymisedRecord<T>[]; report: AnonymisationReport } {
	if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a whole number ≥ 1, got ${k}`);
	const levels: Record<QuasiIdentifier, number> = {
		geography: 0,
		age: 0,
		status: 0,
		householdSize: 0,
		installationYear: 0,
		yearsInTerritory: 0
	};
	const topOf = (q: QuasiIdentifier) => GENERALISATION_LEVELS[q].length - 1;
	const valuesAt = () =>
		records.map((record) => {
			const values = {} as Record<QuasiIdentifier, string>;
			for (const q of QUASI_IDENTIFIERS) values[q] = generalise(record, q, levels[q]);
			return values;
		});
	const sizesOf = (all: Record<QuasiIdentifier, string>[]) => {
		const sizes = new Map<string, number>();
		for (const values of all) {
			const key = classKey(values);
			sizes.set(key, (sizes.get(key) ?? 0) + 1);
		}
		return sizes;
	};

	let current = valuesAt();
	let sizes = sizesOf(current);
	for (;;) {
		const outliers = current.reduce((n, values) => n + ((sizes.get(classKey(values)) ?? 0) < k ? 1 : 0), 0);
		// Suppressing every record is never preferred to generalising further.
		if (outliers <= suppressionLimit && outliers < records.length) break;
		const candidates = QUASI_IDENTIFIERS.filter((q) => levels[q] < topOf(q));
		if (candidates.length === 0) break;
		// Datafly: the attribute with the most distinct values is generalised first (ties: list order).
		let best = candidates[0];
		let bestDistinct = -1;
		for (const q of candidates) {
			const distinct = new Set(current.map((values) => values[q])).size;
			if (distinct > bestDistinct) {
				best = q;
				bestDistinct = distinct;
			}
		}
		levels[best] += 1;
		current = valuesAt();
		sizes = sizesOf(current);
	}

	const rows: AnonymisedRecord<T>[] = [];
	for (let i = 0; i < records.length; i++) {
		if ((sizes.get(classKey(current[i])) ?? 0) >= k) rows.push({ record: records[i], values: current[i] });
	}
	const kept = sizesOf(rows.map((row) => row.values));
	const namedLevels = Object.fromEntries(
		QUASI_IDENTIFIERS.map((q) => [q, GENERALISATION_LEVELS[q][levels[q]]])
	) as GeneralisationLevels;
	return {
		rows,
		report: {
			k,
			records: records.length,
			kept: rows.length,
			suppressed: records.length - rows.length,
			levels: namedLevels,
			classes: kept.size,
			smallestClass: kept.size ? Math.min(...kept.values()) : null,
			allSuppressed: rows.length === 0 && records.length > 0
		}
	};
}
