import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	ambassadorPairingsTable,
	casesTable,
	memberProfilesTable,
	personsTable
} from '../../db/schema/index.ts';

import { memberDemoSeedStep } from './member.seed.ts';
import { searchDirectory } from './member.service.ts';
import { createTestProgramme, insertTestUsers, insertTestCommunes } from '../../testing/factories.ts';

describeEachDb('member demo data', (ctx) => {
	test('the demo has synthetic members, most listed, ambassadors and pairings; the demo member account is listed', async () => {
		const db = ctx.db;
		const programme = await createTestProgramme(db);
		await insertTestCommunes(db, [
			{ code: '32208', name: 'Lectoure', departementCode: '32', centroidLat: 43.934, centroidLon: 0.622 }
		]);
		await insertTestUsers(db, {
			name: 'Sofie de Vries (démo)',
			email: 'member@demo.soho.example',
			role: 'member',
			programmeId: programme.id,
			isDemo: true
		});
		for (let i = 1; i <= 50; i++) {
			const [kase] = await db
				.insert(casesTable)
				.values({
					programmeId: programme.id,
					reference: `GERS-2026-${String(i).padStart(4, '0')}`,
					source: 'phone',
					stage: i <= 45 ? 'installed' : 'qualified',
					installedCommuneCode: i <= 45 ? '32208' : null,
					isDemo: true
				})
				.returning();
			await db.insert(personsTable).values({
				programmeId: programme.id,
				caseId: kase.id,
				householdRole: 'candidate',
				firstName: `Prénom${i}`,
				lastName: 'Démo',
				email: `solo${i}@example.org`,
				languages: i % 2 ? ['nl', 'fr'] : ['fr'],
				isDemo: true
			});
		}
		const lines: string[] = [];
		await memberDemoSeedStep.run({
			db,
			config: parseConfig({ NODE_ENV: 'test' }),
			programme,
			log: (l) => lines.push(l)
		});
		const profiles = await db.select().from(memberProfilesTable);
		expect(profiles).toHaveLength(41);
		expect(profiles.every((p) => p.isDemo)).toBe(true);
		const listed = profiles.filter((p) => p.isListed);
		expect(listed.length).toBeGreaterThan(30);
		expect(listed.length).toBeLessThan(41);
		expect(profiles.filter((p) => p.isAmbassador).length).toBeGreaterThanOrEqual(4);
		expect((await db.select().from(ambassadorPairingsTable)).length).toBeGreaterThanOrEqual(2);
		const { profiles: found } = await searchDirectory(
			{ actor: null, programmeId: programme.id, input: { q: 'Dutch translator near Lectoure' } },
			{ db }
		);
		expect(found.map((p) => p.displayName)).toContain('Sofie de Vries (démo)');
		const unlisted = profiles.filter((p) => !p.isListed).map((p) => p.id);
		const { profiles: all } = await searchDirectory(
			{ actor: null, programmeId: programme.id, input: { q: '' } },
			{ db }
		);
		expect(all.some((p) => unlisted.includes(p.id))).toBe(false);
		expect(lines[0]).toMatch(/^Members: 41 synthetic profiles/);
	});
});
