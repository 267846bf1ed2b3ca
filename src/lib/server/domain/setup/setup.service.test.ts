import { count, eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { communesTable, programmesTable, setupCodesTable, usersTable } from '../../db/schema/index.ts';

import { ValidationError } from '../../validation.ts';
import { createUser } from '../account/account.service.ts';

import {
	completeSetup,
	getSetupStatus,
	openSetup,
	SETUP_THROTTLE,
	verifySetupCode
} from './setup.service.ts';
import { errorOf, expectDomainError } from '../../testing/expectations.ts';
import { createTestProgramme } from '../../testing/factories.ts';

const input = (code: string) => ({
	code,
	programme: {
		slug: 'soho-solo',
		name: 'SOHO Solo Gers',
		shortName: 'SOHO Solo',
		departements: ['32'],
		metropoleCode: '31555',
		languages: ['fr', 'en'],
		contactEmail: 'contact@soho.example'
	},
	admin: {
		name: 'Claire Admin',
		email: 'claire@soho.example',
		password: 'a-long-password',
		locale: 'fr' as const
	}
});

describeEachDb('first-run setup with the code printed in the terminal', (ctx) => {
	const counts = async () => ({
		programmes: (await ctx.db.select({ n: count() }).from(programmesTable))[0].n,
		users: (await ctx.db.select({ n: count() }).from(usersTable))[0].n,
		communes: (await ctx.db.select({ n: count() }).from(communesTable))[0].n
	});

	test('while no admin exists each start makes a new code; only its hash is stored', async () => {
		const { code } = await openSetup({}, { db: ctx.db });
		expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
		const [stored] = await ctx.db.select().from(setupCodesTable);
		expect(stored.codeHash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(stored)).not.toContain(code!.replace(/-/g, ''));
		expect(await getSetupStatus({}, { db: ctx.db })).toEqual({ isOpen: true });

		const { code: next } = await openSetup({}, { db: ctx.db });
		expect(next).not.toBe(code);
		// The previous start's code no longer works; the new one does, typed loosely.
		await expectDomainError(
			verifySetupCode({ code, ipAddress: '10.0.0.1' }, { db: ctx.db }),
			'setup.invalid_code'
		);
		expect(
			await verifySetupCode(
				{ code: ` ${next!.toLowerCase().replace(/-/g, ' ')} `, ipAddress: '10.0.0.1' },
				{ db: ctx.db }
			)
		).toEqual({ status: 'valid' });
	});

	test('an instance with an admin (the demo, or soho user create) has no setup', async () => {
		const programme = await createTestProgramme(ctx.db);
		await createUser(
			{ input: { email: 'a@gers.example', name: 'A', role: 'admin', programmeId: programme.id } },
			{ db: ctx.db }
		);
		expect(await openSetup({}, { db: ctx.db })).toEqual({ code: null });
		expect(await getSetupStatus({}, { db: ctx.db })).toEqual({ isOpen: false });
		await expectDomainError(
			verifySetupCode({ code: 'ABCD', ipAddress: null }, { db: ctx.db }),
			'setup.closed'
		);
	});

	test('without the code, or with a wrong one, nothing is created', async () => {
		const { code } = await openSetup({}, { db: ctx.db });
		await expectDomainError(
			completeSetup({ input: input(''), ipAddress: '10.0.0.2' }, { db: ctx.db }),
			'setup.invalid_code'
		);
		await expectDomainError(
			completeSetup({ input: input('AAAA-BBBB-CCCC-DDDD'), ipAddress: '10.0.0.2' }, { db: ctx.db }),
			'setup.invalid_code'
		);
		expect(await counts()).toEqual({ programmes: 0, users: 0, communes: 0 });
		expect((await ctx.db.select().from(setupCodesTable))[0].failures).toBe(2);
		expect(code).not.toBeNull();
	});

	test('wrong codes are throttled per address, even before the right one', async () => {
		const { code } = await openSetup({}, { db: ctx.db });
		for (let i = 0; i < SETUP_THROTTLE.perIp; i++) {
			await expectDomainError(
				verifySetupCode({ code: 'WRONG', ipAddress: '10.0.0.3' }, { db: ctx.db }),
				'setup.invalid_code'
			);
		}
		await expectDomainError(
			verifySetupCode({ code, ipAddress: '10.0.0.3' }, { db: ctx.db }),
			'setup.too_many_attempts'
		);
		// Another address still gets in with the right code.
		expect(await verifySetupCode({ code, ipAddress: '10.0.0.4' }, { db: ctx.db })).toEqual({
			status: 'valid'
		});
	});

	test('bad input names the field and writes nothing; the code still works afterwards', async () => {
		const { code } = await openSetup({}, { db: ctx.db });
		const bad = input(code!);
		const invalid = await errorOf(
			completeSetup(
				{ input: { ...bad, admin: { ...bad.admin, email: 'nope', password: 'short' } }, ipAddress: null },
				{ db: ctx.db }
			)
		);
		expect((invalid as ValidationError).issues).toEqual([
			{ field: 'admin.email', code: 'account.invalid_email' },
			{ field: 'admin.password', code: 'account.password_too_short' }
		]);
		await expectDomainError(
			completeSetup(
				{ input: { ...bad, programme: { ...bad.programme, departements: ['32', '99'] } }, ipAddress: null },
				{ db: ctx.db }
			),
			'territory.unknown_departement'
		);
		await expectDomainError(
			completeSetup(
				{ input: { ...bad, programme: { ...bad.programme, metropoleCode: '99999' } }, ipAddress: null },
				{ db: ctx.db }
			),
			'programme.unknown_metropole'
		);
		expect(await counts()).toEqual({ programmes: 0, users: 0, communes: 0 });
		expect(await getSetupStatus({}, { db: ctx.db })).toEqual({ isOpen: true });
	});

	test('the right code creates the programme, its territory and its admin, then closes the setup for good', async () => {
		const { code } = await openSetup({}, { db: ctx.db });
		const { programme, user } = await completeSetup(
			{ input: input(code!), ipAddress: '10.0.0.5' },
			{ db: ctx.db }
		);
		expect(programme).toMatchObject({ slug: 'soho-solo', shortName: 'SOHO Solo', metropoleCode: '31555' });
		expect(user).toMatchObject({ email: 'claire@soho.example', role: 'admin', programmeId: programme.id });
		const { communes } = await counts();
		expect(communes).toBeGreaterThan(400);
		const [stored] = await ctx.db.select().from(setupCodesTable).where(eq(setupCodesTable.id, 'instance'));
		expect(stored.usedAt).not.toBeNull();
		expect(await getSetupStatus({}, { db: ctx.db })).toEqual({ isOpen: false });
		await expectDomainError(
			completeSetup({ input: input(code!), ipAddress: '10.0.0.5' }, { db: ctx.db }),
			'setup.closed'
		);
		// A restart makes no new code once an admin exists.
		expect(await openSetup({}, { db: ctx.db })).toEqual({ code: null });
		expect((await counts()).programmes).toBe(1);
	});
});
