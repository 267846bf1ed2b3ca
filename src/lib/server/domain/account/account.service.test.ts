import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { createAuth, type ResetPasswordMailRequest } from '../../auth/auth.ts';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { mailMessagesTable } from '../../db/schema/index.ts';

import { createProgramme } from '../programme/programme.service.ts';
import { createVillage } from '../village/village.service.ts';
import {
	checkSignInUnlock,
	createUser,
	findActorBySession,
	requestPasswordReset,
	resetPassword,
	signIn,
	signOut,
	unlockSignIn
} from './account.service.ts';
import type { CreateUserInput } from './account.schemas.ts';
import { ValidationError } from '../../validation.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { createTestOrganisation, createTestProgramme, insertTestCommunes } from '../../testing/factories.ts';

const config = parseConfig({
	NODE_ENV: 'test',
	SOHO_SIGNIN_MAX_ATTEMPTS: '3',
	SOHO_LIMIT_PASSWORD_RESETS_PER_HOUR: '20',
	SOHO_AUTH_SECRET: 'x'.repeat(40)
});

/** Turns the Set-Cookie headers of a response into the Cookie header of the next request. */
function cookieHeader(headers: Headers): Headers {
	const cookies = headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.join('; ');
	return new Headers({ cookie: cookies });
}

describeEachDb('accounts', (ctx) => {
	const setup = async () => {
		const mails: ResetPasswordMailRequest[] = [];
		const auth = createAuth({
			db: ctx.db,
			config,
			sendResetPasswordMail: async (request) => {
				mails.push(request);
			}
		});
		const programme = await createTestProgramme(ctx.db);
		const other = await createTestProgramme(ctx.db, { slug: 'lot', name: 'Lot', departements: ['46'] });
		const { user } = await createUser(
			{
				input: {
					email: ' Anna@Example.org ',
					name: 'Anna Conseil',
					role: 'advisor',
					programmeId: programme.id,
					password: 'correct horse battery'
				}
			},
			{ db: ctx.db }
		);
		return { auth, mails, programme, other, user };
	};

	test('a staff member signs in with email and password, and the session cookie identifies them', async () => {
		const { auth, user } = await setup();
		expect(user.email).toBe('anna@example.org');
		const { actor, headers } = await signIn(
			{ input: { email: 'anna@example.org', password: 'correct horse battery' }, ipAddress: '10.0.0.1' },
			{ db: ctx.db, auth, config }
		);
		expect(actor).toMatchObject({ role: 'advisor', email: 'anna@example.org' });
		const session = await findActorBySession(
			{ requestHeaders: cookieHeader(headers) },
			{ auth, db: ctx.db, config }
		);
		expect(session.actor?.userId).toBe(user.id);

		const out = await signOut({ requestHeaders: cookieHeader(headers) }, { auth });
		expect(out.headers.getSetCookie().length).toBeGreaterThan(0);
		const after = await findActorBySession(
			{ requestHeaders: cookieHeader(headers) },
			{ auth, db: ctx.db, config }
		);
		expect(after.actor).toBeNull();
	});

	test('a wrong password is refused without saying whether the account exists', async () => {
		const { auth } = await setup();
		await expectDomainError(
			signIn(
				{ input: { email: 'anna@example.org', password: 'wrong password' }, ipAddress: null },
				{ db: ctx.db, auth, config }
			),
			'account.invalid_credentials'
		);
		await expectDomainError(
			signIn(
				{ input: { email: 'nobody@example.org', password: 'whatever it is' }, ipAddress: null },
				{ db: ctx.db, auth, config }
			),
			'account.invalid_credentials'
		);
	});

	test('after too many failures from one address even the right password is refused there until the lock ends', async () => {
		const { auth } = await setup();
		for (let i = 0; i < 3; i++) {
			await expectDomainError(
				signIn(
					{ input: { email: 'anna@example.org', password: 'guess ' + i }, ipAddress: '10.0.0.2' },
					{ db: ctx.db, auth, config }
				),
				'account.invalid_credentials'
			);
		}
		await expectDomainError(
			signIn(
				{ input: { email: 'anna@example.org', password: 'correct horse battery' }, ipAddress: '10.0.0.2' },
				{ db: ctx.db, auth, config }
			),
			'account.too_many_attempts'
		);
		const later = new Date(Date.now() + (config.signInWindowMinutes + 1) * 60_000);
		const { actor } = await signIn(
			{ input: { email: 'anna@example.org', password: 'correct horse battery' }, ipAddress: '10.0.0.2' },
			{ db: ctx.db, auth, config, now: later }
		);
		expect(actor?.email).toBe('anna@example.org');
	});

	test('each failure after a lock ends doubles the next lock', async () => {
		const { auth } = await setup();
		const t0 = Date.now();
		const at = (minutes: number) => new Date(t0 + minutes * 60_000);
		const attempt = (password: string, minutes: number) =>
			signIn(
				{ input: { email: 'anna@example.org', password }, ipAddress: '10.0.0.8' },
				{ db: ctx.db, auth, config, now: at(minutes) }
			);
		for (let i = 0; i < 3; i++)
			await expectDomainError(attempt('guess ' + i, 0), 'account.invalid_credentials');
		const first = await expectDomainError(attempt('guess', 1), 'account.too_many_attempts');
		expect(first.details).toEqual({ retryAfterMinutes: config.signInWindowMinutes - 1 });
		// The lock ended: one more guess, then twice as long.
		const end = config.signInWindowMinutes + 1;
		await expectDomainError(attempt('guess 4', end), 'account.invalid_credentials');
		const second = await expectDomainError(attempt('guess 5', end), 'account.too_many_attempts');
		expect(second.details).toEqual({ retryAfterMinutes: 2 * config.signInWindowMinutes });
		const { actor } = await attempt('correct horse battery', end + 2 * config.signInWindowMinutes + 1);
		expect(actor?.email).toBe('anna@example.org');
	});

	test('30 simultaneous wrong passwords: at most the limit are checked, the others are refused', async () => {
		const { auth } = await setup();
		const results = await Promise.allSettled(
			Array.from({ length: 30 }, (_, i) =>
				signIn(
					{ input: { email: 'anna@example.org', password: 'guess number ' + i }, ipAddress: '10.9.9.9' },
					{ db: ctx.db, auth, config }
				)
			)
		);
		const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'ok'));
		expect(codes.filter((c) => c === 'account.invalid_credentials')).toHaveLength(config.signInMaxAttempts);
		expect(codes.filter((c) => c === 'account.too_many_attempts')).toHaveLength(
			30 - config.signInMaxAttempts
		);
	});

	test('a burst of wrong guesses then the right password does not sign in, but the owner elsewhere still does', async () => {
		const { auth } = await setup();
		const guesses = await Promise.allSettled(
			Array.from({ length: 10 }, (_, i) =>
				signIn(
					{ input: { email: 'anna@example.org', password: 'burst guess ' + i }, ipAddress: '198.51.100.7' },
					{ db: ctx.db, auth, config }
				)
			)
		);
		expect(guesses.every((r) => r.status === 'rejected')).toBe(true);
		await expectDomainError(
			signIn(
				{
					input: { email: 'anna@example.org', password: 'correct horse battery' },
					ipAddress: '198.51.100.7'
				},
				{ db: ctx.db, auth, config }
			),
			'account.too_many_attempts'
		);
		// The attacker's address is locked, not the account: the owner at home signs in.
		const { actor } = await signIn(
			{ input: { email: 'anna@example.org', password: 'correct horse battery' }, ipAddress: '192.0.2.10' },
			{ db: ctx.db, auth, config }
		);
		expect(actor?.email).toBe('anna@example.org');
	});

	test('one address guessing many accounts is stopped after four times the limit', async () => {
		const { auth } = await setup();
		for (let i = 0; i < config.signInMaxAttempts * 4; i++) {
			await expectDomainError(
				signIn(
					{ input: { email: `someone${i}@example.org`, password: 'wrong password' }, ipAddress: '10.7.7.7' },
					{ db: ctx.db, auth, config }
				),
				'account.invalid_credentials'
			);
		}
		await expectDomainError(
			signIn(
				{ input: { email: 'anna@example.org', password: 'correct horse battery' }, ipAddress: '10.7.7.7' },
				{ db: ctx.db, auth, config }
			),
			'account.too_many_attempts'
		);
	});

	test('a lock mails the owner one unlock link, which lifts it once', async () => {
		const { auth } = await setup();
		const attempt = (password: string) =>
			signIn(
				{ input: { email: 'anna@example.org', password }, ipAddress: '10.0.0.5' },
				{ db: ctx.db, auth, config }
			);
		for (let i = 0; i < 3; i++) await expectDomainError(attempt('guess ' + i), 'account.invalid_credentials');
		for (let i = 0; i < 3; i++) await expectDomainError(attempt('guess ' + i), 'account.too_many_attempts');
		const mails = await ctx.db
			.select()
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.kind, 'account.signin_unlock'));
		expect(mails).toHaveLength(1);
		expect(mails[0].toAddress).toBe('anna@example.org');
		const token = /\/unlock\/([A-Za-z0-9_-]+)/.exec(mails[0].textBody)?.[1] ?? '';
		expect(token).not.toBe('');

		expect(await checkSignInUnlock({ token }, { db: ctx.db })).toEqual({ isUsable: true });
		await unlockSignIn({ token }, { db: ctx.db });
		const { actor } = await attempt('correct horse battery');
		expect(actor?.email).toBe('anna@example.org');
		expect(await checkSignInUnlock({ token }, { db: ctx.db })).toEqual({ isUsable: false });
		await expectDomainError(unlockSignIn({ token }, { db: ctx.db }), 'account.invalid_unlock_token');
		await expectDomainError(
			unlockSignIn({ token: 'forged' }, { db: ctx.db }),
			'account.invalid_unlock_token'
		);
	});

	test('many reset requests for one account send one link; one address is limited across accounts', async () => {
		const { auth, mails } = await setup();
		await Promise.all(
			Array.from({ length: 20 }, () =>
				requestPasswordReset(
					{ input: { email: 'anna@example.org' }, clientAddress: '203.0.113.50' },
					{ auth, db: ctx.db, config }
				)
			)
		);
		expect(mails).toHaveLength(1);
		// The 20 requests used the address's allowance (SOHO_LIMIT_PASSWORD_RESETS_PER_HOUR = 20).
		await expectDomainError(
			requestPasswordReset(
				{ input: { email: 'other@example.org' }, clientAddress: '203.0.113.50' },
				{ auth, db: ctx.db, config }
			),
			'rate_limit.exceeded'
		);
		// An hour later the account may ask again.
		const later = new Date(Date.now() + 61 * 60_000);
		await requestPasswordReset(
			{ input: { email: 'anna@example.org' }, clientAddress: '203.0.113.51' },
			{ auth, db: ctx.db, config, now: later }
		);
		expect(mails).toHaveLength(2);
	});

	test('a password is reset through the emailed token, once', async () => {
		const { auth, mails, user } = await setup();
		await requestPasswordReset({ input: { email: 'anna@example.org' } }, { auth, db: ctx.db, config });
		await requestPasswordReset({ input: { email: 'unknown@example.org' } }, { auth, db: ctx.db, config });
		expect(mails).toHaveLength(1);
		expect(mails[0].user.id).toBe(user.id);
		const token = mails[0].token;

		await expectDomainError(
			resetPassword(
				{ input: { token, password: 'a brand new secret', confirmation: 'another one!!' } },
				{ auth }
			),
			'account.password_mismatch'
		);
		await resetPassword(
			{ input: { token, password: 'a brand new secret', confirmation: 'a brand new secret' } },
			{ auth }
		);
		await expectDomainError(
			resetPassword(
				{ input: { token, password: 'yet another secret', confirmation: 'yet another secret' } },
				{ auth }
			),
			'account.invalid_reset_token'
		);
		await expectDomainError(
			signIn(
				{ input: { email: 'anna@example.org', password: 'correct horse battery' }, ipAddress: null },
				{ db: ctx.db, auth, config }
			),
			'account.invalid_credentials'
		);
		const { actor } = await signIn(
			{ input: { email: 'anna@example.org', password: 'a brand new secret' }, ipAddress: null },
			{ db: ctx.db, auth, config }
		);
		expect(actor?.userId).toBe(user.id);
	});

	test('bad account input names each field, and nothing is created', async () => {
		const { programme } = await setup();
		const error = await expectDomainError(
			createUser(
				{
					input: {
						email: 'not-an-email',
						name: '',
						role: 'boss' as never,
						programmeId: programme.id,
						password: 'short'
					}
				},
				{ db: ctx.db }
			),
			'validation.invalid_input'
		);
		const fields = (error as ValidationError).issues.map((i) => `${i.field}:${i.code}`);
		expect(fields).toEqual(
			expect.arrayContaining([
				'email:account.invalid_email',
				'name:account.name_required',
				'role:account.invalid_role',
				'password:account.password_too_short'
			])
		);
		await expectDomainError(
			createUser(
				{ input: { email: 'anna@example.org', name: 'Anna bis', role: 'member', programmeId: programme.id } },
				{ db: ctx.db }
			),
			'account.email_taken'
		);
		await expectDomainError(
			createUser(
				{ input: { email: 'x@example.org', name: 'X', role: 'member', programmeId: 'prg_doesnotexist' } },
				{ db: ctx.db }
			),
			'programme.not_found'
		);
	});

	test('an admin creates accounts only in their own programme', async () => {
		const { programme, other } = await setup();
		const { user: admin } = await createUser(
			{
				input: {
					email: 'admin@example.org',
					name: 'Admin',
					role: 'admin',
					programmeId: programme.id,
					password: 'admin password 1'
				}
			},
			{ db: ctx.db }
		);
		const actor = {
			userId: admin.id,
			name: admin.name,
			email: admin.email,
			role: 'admin' as const,
			programmeId: programme.id,
			organisationId: null,
			locale: 'fr' as const,
			isDemo: false
		};
		const { user } = await createUser(
			{
				actor,
				input: { email: 'cand@example.org', name: 'Cand', role: 'candidate', programmeId: programme.id }
			},
			{ db: ctx.db }
		);
		expect(user.programmeId).toBe(programme.id);
		await expectDomainError(
			createUser(
				{ actor, input: { email: 'lot@example.org', name: 'Lot', role: 'advisor', programmeId: other.id } },
				{ db: ctx.db }
			),
			'account.forbidden'
		);
		await expectDomainError(
			createUser(
				{
					actor: { ...actor, role: 'advisor' },
					input: { email: 'a2@example.org', name: 'A2', role: 'admin', programmeId: programme.id }
				},
				{ db: ctx.db }
			),
			'account.forbidden'
		);
	});

	test('an operator gives a partner or a committee member only an organisation or a village of their programme', async () => {
		const { programme } = await setup();
		await insertTestCommunes(ctx.db);
		const { programme: neighbour } = await createProgramme(
			{ input: { slug: 'gers-sud', name: 'Gers sud', departements: ['32'] } },
			{ db: ctx.db }
		);
		const agency = await createTestOrganisation(ctx.db, {
			programmeId: programme.id,
			name: 'Agence',
			kind: 'estate_agent'
		});
		const foreignAgency = await createTestOrganisation(ctx.db, {
			programmeId: neighbour.id,
			name: 'Agence du sud',
			kind: 'estate_agent'
		});
		const { village: simorre } = await createVillage(
			{ input: { programmeId: programme.id, communeCode: '32433' } },
			{ db: ctx.db }
		);
		const { village: foreignSamatan } = await createVillage(
			{ input: { programmeId: neighbour.id, communeCode: '32410' } },
			{ db: ctx.db }
		);
		const create = (email: string, scope: Omit<CreateUserInput, 'email' | 'name' | 'programmeId'>) =>
			createUser(
				{ input: { email, name: email.split('@')[0], programmeId: programme.id, ...scope } },
				{ db: ctx.db }
			);

		const { user: partner } = await create('agent@example.org', {
			role: 'partner',
			organisationId: agency.id
		});
		expect(partner.organisationId).toBe(agency.id);
		const { villages } = await create('maire@example.org', {
			role: 'committee',
			villages: [{ village: simorre.id, committeeRole: 'mayor' }]
		});
		expect(villages).toEqual([{ villageId: simorre.id, slug: simorre.slug, committeeRole: 'mayor' }]);
		// Another programme's organisation and village do not exist here, by id or by name.
		await expectDomainError(
			create('sud@example.org', { role: 'partner', organisationId: foreignAgency.id }),
			'account.unknown_organisation'
		);
		await expectDomainError(
			create('sud@example.org', { role: 'partner', organisation: 'Agence du sud' }),
			'account.unknown_organisation'
		);
		await expectDomainError(
			create('sud@example.org', { role: 'committee', villages: [{ village: foreignSamatan.id }] }),
			'village.not_found'
		);
		await expectDomainError(
			create('sud@example.org', { role: 'committee', villages: [{ village: foreignSamatan.slug }] }),
			'village.not_found'
		);
	});
});
