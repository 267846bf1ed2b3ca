import type { ObservatoryCase } from './observatory.types.ts';
import {
	AGE_BANDS,
	ageBand,
	HOUSEHOLD_KINDS,
	householdKind,
	inPeriod,
	installationDate,
	originOf,
	pcsGroup,
	yearOfDate,
	type ObservatoryPeriod
} from './observatory.rules.ts';
import { PERSON_STATUSES } from '../../db/schema/index.ts';

export const PROFILE_DIMENSIONS = [
	'status',
	'sector',
	'pcs_group',
	'age_band',
	'origin',
	'household_kind'
] as const;
export type ProfileDimension = (typeof PROFILE_DIMENSIONS)[number];

/** One value of a dimension: counts and shares among contacts and among installations of the period. */
export type ProfileRow = {
	value: string;
	contacts: number;
	contactsShare: number | null;
	installations: number;
	installationsShare: number | null;
};

export type ProfileTable = {
	dimension: ProfileDimension;
	rows: ProfileRow[];
	/** Households for which the value is not recorded (not included in the shares). */
	unknownContacts: number;
	unknownInstallations: number;
};

export type Profiles = {
	period: ObservatoryPeriod;
	contacts: number;
	installations: number;
	tables: ProfileTable[];
	/** Households from abroad among installations (share of those whose origin is known). */
	fromAbroad: { count: number; known: number };
};

/**
 * Who the households are, among the contacts of the period and among the installations of the
 * period: the candidate's status, sector, socio-professional group (PCS, first digit), age band
 * at first contact, origin (region for France, country otherwise) and the household's
 * composition. Shares are of the households whose value is known; unknowns are counted apart.
 */
export function computeProfiles({
	cases,
	period
}: {
	cases: readonly ObservatoryCase[];
	period: ObservatoryPeriod;
}): Profiles {
	const contacts = cases.filter((kase) => inPeriod(yearOfDate(kase.contactAt), period));
	const installations = cases.filter((kase) => {
		const installed = installationDate(kase);
		return installed !== null && inPeriod(yearOfDate(installed), period);
	});
	const valueOf: Record<ProfileDimension, (kase: ObservatoryCase) => string | null> = {
		status: (kase) => kase.candidate?.status ?? null,
		sector: (kase) => kase.candidate?.sector?.trim() || null,
		pcs_group: (kase) => pcsGroup(kase.candidate?.pcs ?? null),
		age_band: (kase) => ageBand(kase.candidate?.birthYear ?? null, yearOfDate(kase.contactAt)),
		origin: (kase) => {
			const origin = originOf(kase.candidate);
			if (!origin) return null;
			return origin.kind === 'abroad' ? origin.label : origin.label || 'FR';
		},
		household_kind: (kase) => householdKind(kase)
	};
	const order: Partial<Record<ProfileDimension, readonly string[]>> = {
		status: PERSON_STATUSES,
		age_band: AGE_BANDS,
		household_kind: HOUSEHOLD_KINDS,
		pcs_group: ['1', '2', '3', '4', '5', '6', '7', '8']
	};
	const tables = PROFILE_DIMENSIONS.map((dimension): ProfileTable => {
		const count = (list: readonly ObservatoryCase[]) => {
			const counts = new Map<string, number>();
			let unknown = 0;
			for (const kase of list) {
				const value = valueOf[dimension](kase);
				if (value === null) unknown++;
				else counts.set(value, (counts.get(value) ?? 0) + 1);
			}
			return { counts, unknown, known: list.length - unknown };
		};
		const c = count(contacts);
		const i = count(installations);
		const values = new Set([...c.counts.keys(), ...i.counts.keys()]);
		const fixed = order[dimension];
		const rows = [...values].map((value) => ({
			value,
			contacts: c.counts.get(value) ?? 0,
			contactsShare: c.known ? (c.counts.get(value) ?? 0) / c.known : null,
			installations: i.counts.get(value) ?? 0,
			installationsShare: i.known ? (i.counts.get(value) ?? 0) / i.known : null
		}));
		rows.sort((a, b) =>
			fixed
				? fixed.indexOf(a.value) - fixed.indexOf(b.value)
				: b.installations - a.installations || b.contacts - a.contacts || a.value.localeCompare(b.value)
		);
		return { dimension, rows, unknownContacts: c.unknown, unknownInstallations: i.unknown };
	});
	const origins = installations.map((kase) => originOf(kase.candidate)).filter((o) => o !== null);
	return {
		period,
		contacts: contacts.length,
		installations: installations.length,
		tables,
		fromAbroad: { count: origins.filter((o) => o.kind === 'abroad').length, known: origins.length }
	};
}
