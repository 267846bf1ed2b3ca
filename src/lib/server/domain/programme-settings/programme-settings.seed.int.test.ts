import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { accountsDemoSeedStep } from '../account/account.seed.ts';
import { isLegalNoticeFilled, getPublicSettings } from './programme-settings.service.ts';
import { programmeSettingsDemoSeedStep } from './programme-settings.seed.ts';
import { createProgramme } from '../programme/programme.service.ts';

describeEachDb('programme settings demo seed', (ctx) => {
	test('the demo admin writes fictitious legal and privacy notices through the settings service', async () => {
		const { programme } = await createProgramme(
			{ input: { slug: 'gers', name: 'Gers', departements: ['32'], isDemo: true } },
			{ db: ctx.db }
		);
		const seedContext = { db: ctx.db, programme, config: {} as never, log: () => {} };
		await expect(programmeSettingsDemoSeedStep.run(seedContext)).rejects.toThrow(/demo admin/);
		await accountsDemoSeedStep.run(seedContext);
		await programmeSettingsDemoSeedStep.run(seedContext);

		expect(await isLegalNoticeFilled({ programmeId: programme.id }, { db: ctx.db })).toBe(true);
		const { legal, privacy } = await getPublicSettings(
			{ programmeId: programme.id, locale: 'fr' },
			{ db: ctx.db }
		);
		expect(legal.publisher).toMatch(/fictive.*démonstration/);
		expect(Object.values(legal).every((value) => /fictif|fictive|démo/.test(value))).toBe(true);
		expect(privacy.dpoContact).toContain('fictive');
	});
});
