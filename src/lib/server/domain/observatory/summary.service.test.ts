import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { observatoryViewerOf } from './observatory.context.ts';
import { seedObservatoryProgramme, type TestHousehold } from './observatory.test-utils.ts';
import { getObservatorySummary } from './summary.service.ts';
import type { SummaryFinding } from './summary.rules.ts';

const NOW = new Date('2026-11-26T09:00:00Z');

/**
 * Eight households installed in 2024–2025 (six freelancers, two founders; one left in 2026) and
 * four contacts that did not come: with k = 5, the two founders are a small cell.
 */
const HOUSEHOLDS: TestHousehold[] = [
	...Array.from({ length: 8 }, (_, i) => ({
		contact: `202${3 + (i % 2)}-0${1 + (i % 5)}-10`,
		stages: { qualified: `202${3 + (i % 2)}-0${2 + (i % 5)}-10` },
		installedOn: `202${4 + (i % 2)}-0${3 + (i % 5)}-01`,
		commune: '32013',
		partners: 1,
		children: i % 3,
		status: i < 6 ? ('freelancer' as const) : ('founder' as const),
		birthYear: 1980 + i,
		...(i === 7 ? { leftOn: '2026-03-01' } : {})
	})),
	...Array.from({ length: 4 }, (_, i) => ({ contact: `2025-0${1 + i}-15`, status: 'artist' as const }))
];

const keys = (findings: SummaryFinding[]) => findings.map((f) => f.key);

describeEachDb('observatory: summary', (ctx) => {
	test('staff read every finding the data allow; a committee member never one on fewer than k households', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const input = { from: '2023', to: '2026' };
		const staff = await getObservatorySummary(
			{ viewer: observatoryViewerOf(actors.advisor), input },
			{ db: ctx.db, now: NOW }
		);
		expect(staff.minCellSize).toBeNull();
		// No household has given a sign of life since it came: nothing to say yet about who stays.
		expect(keys(staff.findings)).toEqual(['installations', 'conversion', 'profile', 'impact']);
		const installations = staff.findings[0];
		// Installations: 4 in 2024, 4 in 2025 (2026 is still running): steady; 8 households are too few to be sure.
		expect(installations.message).toBe('observatory_summary_installations_persons_stable');
		expect(installations.params).toMatchObject({ households: 8, last: 4, previous: 4 });
		expect(installations.certainty).toEqual({ level: 'to_confirm', households: 8 });
		const profile = staff.findings.find((f) => f.key === 'profile')!;
		expect(profile.message).toBe('observatory_summary_profile_majority');
		expect(profile.params.share).toBe(75);

		const committee = await getObservatorySummary(
			{ viewer: observatoryViewerOf(actors.committee), input },
			{ db: ctx.db, now: NOW }
		);
		expect(committee.minCellSize).toBe(5);
		// The two founders are hidden, and with them the freelancers (8 − 6 would give them back).
		expect(keys(committee.findings)).not.toContain('profile');
		expect(committee.findings.length).toBeGreaterThan(0);
		for (const finding of committee.findings) {
			expect(finding.certainty.households, finding.key).toBeGreaterThanOrEqual(5);
			for (const value of Object.values(finding.params))
				if (typeof value === 'number') expect(value, finding.key).not.toBeNaN();
			for (const bar of finding.chart.bars) expect(bar.value, finding.key).not.toBeNaN();
		}
	});

	test('a committee member whose filters select fewer than k households gets the summary withheld', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS, { minCellSize: 10 });
		const committee = await getObservatorySummary(
			{ viewer: observatoryViewerOf(actors.committee), input: { status: 'founder' } },
			{ db: ctx.db, now: NOW }
		);
		expect(committee).toMatchObject({ findings: [], withheld: { minCellSize: 10 } });
		// Without filters (12 households ≥ k = 10), the 8 installations are still fewer than k: no finding on them.
		const unfiltered = await getObservatorySummary(
			{ viewer: observatoryViewerOf(actors.committee) },
			{ db: ctx.db, now: NOW }
		);
		expect(unfiltered.withheld).toBeNull();
		expect(keys(unfiltered.findings)).not.toContain('installations');
		for (const finding of unfiltered.findings)
			expect(finding.certainty.households, finding.key).toBeGreaterThanOrEqual(10);
		// Staff read the same programme's 8 installations.
		const staff = await getObservatorySummary(
			{ viewer: observatoryViewerOf(actors.admin) },
			{ db: ctx.db, now: NOW }
		);
		expect(keys(staff.findings)).toContain('installations');
	});
});
