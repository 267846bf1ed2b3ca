import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { eventsTable } from '../../db/schema/index.ts';
import { createVillage } from '../village/village.service.ts';
import { createWorkspace } from '../workspace/workspace.service.ts';
import { eventDemoSeedStep } from './event.seed.ts';
import { createTestProgrammes } from '../../testing/factories.ts';

describeEachDb('events demo seed', (ctx) => {
	test('the demo agenda holds 12 upcoming events within 3 months and 20 past ones, all demo', async () => {
		const { programme } = await createTestProgrammes(ctx.db);
		const { village: simorre } = await createVillage(
			{ input: { programmeId: programme.id, communeCode: '32433' } },
			{ db: ctx.db }
		);
		for (const [kind, name, communeCode] of [
			['tiers_lieu', 'Tiers-lieu de Simorre', '32433'],
			['coworking', 'Hub d’Auch', '32013'],
			['fablab', 'Fablab d’Auch', '32013']
		] as const) {
			await createWorkspace(
				{ input: { programmeId: programme.id, communeCode, kind, name } },
				{ db: ctx.db }
			);
		}
		const lines: string[] = [];
		await eventDemoSeedStep.run({
			db: ctx.db,
			programme,
			config: {} as never,
			log: (line) => lines.push(line)
		});
		const events = await ctx.db.select().from(eventsTable);
		const now = Date.now();
		const upcoming = events.filter((e) => e.startsAt.getTime() > now);
		expect(upcoming).toHaveLength(12);
		expect(events).toHaveLength(32);
		expect(Math.max(...upcoming.map((e) => e.startsAt.getTime())) - now).toBeLessThan(95 * 86_400_000);
		expect(events.every((e) => e.isDemo && e.status === 'published' && e.endsAt > e.startsAt)).toBe(true);
		expect(events.some((e) => e.kind === 'information_meeting' && e.communeCode === '32013')).toBe(true);
		expect(events.filter((e) => e.workspaceId !== null).length).toBeGreaterThan(5);
		// The breakfasts at Simorre's tiers-lieu are the village's; the others are the programme's.
		const simorreEvents = events.filter((e) => e.villageId === simorre.id);
		expect(simorreEvents.length).toBeGreaterThan(0);
		expect(events.filter((e) => e.villageId !== null && e.villageId !== simorre.id)).toEqual([]);
		expect(lines).toEqual(['Events: 12 upcoming, 20 past.']);
	});
});
