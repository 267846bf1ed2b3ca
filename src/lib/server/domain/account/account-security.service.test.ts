import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { createAuth } from '../../auth/auth.ts';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { sessionsTable, twoFactorsTable } from '../../db/schema/index.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { createTestProgramme } from '../../testing/factories.ts';
import { changePersonRole, deactivatePerson } from '../people/people.service.ts';
import { updateTwoFactorRequirement } from '../programme-settings/programme-settings.service.ts';
import {
	confirmTwoFactorEnrolment,
	disableTwoFactor,
	endMyOtherSessions,
	endMySession,
	findPendingSignIn,
	getTwoFactorStatus,
	listMySessions,
	MAX_TWO_FACTOR_FAILURES,
	resetTwoFactorOfUser,
	startTwoFactorEnrolment,
	verifySecondFactor
} from './account-security.service.ts';
import { createUser, findActorBySession, signIn } from './account.service.ts';
import { totpCode, totpStep } from './account-two-factor.rules.ts';

const config = parseConfig({
	NODE_ENV: 'test',
	SOHO_AUTH_SECRET: 'x'.repeat(40),
	SOHO_SESSION_IDLE_MINUTES: '120'
});
const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;

/** Turns the Set-Cookie headers of a response into the Cookie header of the next request. */
function cookieHeader(headers: Headers): Headers {
	const cookies = headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.join('; ');
	return new Headers({ cookie: cookies });
}

describeEachDb('sessions and two-factor authentication', (ctx) => {
	const setup = async () => {
		const auth = createAuth({ db: ctx.db, config, sendResetPasswordMail: async () => {} });
		const programme = await createTestProgramme(ctx.db);
		const make = async (email: string, role: 'admin' | 'advisor' | 'committee') => {
			const { user } = await createUser(
				{ input: { email, name: email.split('@')[0], role, programmeId: programme.id, password: PASSWORD } },
				{ db: ctx.db }
			);
			return user;
		};
		const admin = await make('admin@gers.example', 'admin');
		const advisor = await make('anna@gers.example', 'advisor');
		const deps = { db: ctx.db, auth, config };
		const signInAs = async (email: string, browserHeaders?: Headers, userAgent = 'Firefox') => {
			const result = await signIn(
				{ input: { email, password: PASSWORD }, ipAddress: '10.0.0.1', userAgent, browserHeaders },
				deps
			);
			// Everyone here holds one membership: signing in gives their actor.
			return { ...result, actor: result.actor!, cookie: cookieHeader(result.headers) };
		};
		const actorOf = async (cookie: Headers, now?: Date) =>
			(await findActorBySession({ requestHeaders: cookie, now }, deps)).actor;
		const tokenOf = async (cookie: Headers) =>
			(await findActorBySession({ requestHeaders: cookie }, deps)).sessionToken!;
		return { auth, programme, admin, advisor, deps, signInAs, actorOf, tokenOf };
	};

	/** Enrols the user with a code computed from the stored secret; returns the secret and recovery codes. */
	const enrol = async (actor: Parameters<typeof startTwoFactorEnrolment>[0]['actor'], now: Date) => {
		const { secret } = await startTwoFactorEnrolment({ actor }, { db: ctx.db });
		const { recoveryCodes } = await confirmTwoFactorEnrolment(
			{ actor, input: { code: totpCode(secret, totpStep(now)) }, now },
			{ db: ctx.db }
		);
		return { secret, recoveryCodes };
	};

	test('signing in opens a new session and ends the one the browser presented', async () => {
		const { signInAs, actorOf } = await setup();
		const first = await signInAs('anna@gers.example');
		expect(await actorOf(first.cookie)).not.toBeNull();
		const second = await signInAs('anna@gers.example', first.cookie);
		expect(second.cookie.get('cookie')).not.toBe(first.cookie.get('cookie'));
		expect(await actorOf(second.cookie)).not.toBeNull();
		// The cookie held before signing in no longer opens anything.
		expect(await actorOf(first.cookie)).toBeNull();
		expect(await ctx.db.select().from(sessionsTable)).toHaveLength(1);
	});

	test('a change of role, or a deactivation, ends every session of the person', async () => {
		const { signInAs, actorOf } = await setup();
		const { actor: admin } = await signInAs('admin@gers.example');
		const laptop = await signInAs('anna@gers.example');
		const phone = await signInAs('anna@gers.example', undefined, 'Phone');
		await changePersonRole(
			{ actor: admin, input: { userId: laptop.actor.userId, role: 'admin' } },
			{ db: ctx.db }
		);
		expect(await actorOf(laptop.cookie)).toBeNull();
		expect(await actorOf(phone.cookie)).toBeNull();

		const again = await signInAs('anna@gers.example');
		expect((await actorOf(again.cookie))?.role).toBe('admin');
		await deactivatePerson({ actor: admin, userId: again.actor.userId }, { db: ctx.db });
		expect(await actorOf(again.cookie)).toBeNull();
	});

	test('a session unused for longer than the idle limit ends; an active one is kept and touched at most once a minute', async () => {
		const { signInAs, actorOf } = await setup();
		const { cookie, actor } = await signInAs('anna@gers.example');
		const [opened] = await ctx.db.select().from(sessionsTable);
		const t0 = opened.lastActiveAt.getTime();

		// Within a minute the last activity is not rewritten.
		expect(await actorOf(cookie, new Date(t0 + 30_000))).not.toBeNull();
		expect((await ctx.db.select().from(sessionsTable))[0].lastActiveAt.getTime()).toBe(t0);
		// After 100 minutes of use the activity moves on, so 200 minutes after opening it is still open.
		expect(await actorOf(cookie, new Date(t0 + 100 * MINUTE))).not.toBeNull();
		expect((await ctx.db.select().from(sessionsTable))[0].lastActiveAt.getTime()).toBe(t0 + 100 * MINUTE);
		expect((await actorOf(cookie, new Date(t0 + 200 * MINUTE)))?.userId).toBe(actor.userId);
		// 121 minutes without a request: the session ends and is deleted.
		expect(await actorOf(cookie, new Date(t0 + 321 * MINUTE))).toBeNull();
		expect(await ctx.db.select().from(sessionsTable)).toEqual([]);
	});

	test('a person lists and ends their own sessions only', async () => {
		const { signInAs, tokenOf, actorOf, deps } = await setup();
		const laptop = await signInAs('anna@gers.example', undefined, 'Laptop');
		const phone = await signInAs('anna@gers.example', undefined, 'Phone');
		const tablet = await signInAs('anna@gers.example', undefined, 'Tablet');
		const admin = await signInAs('admin@gers.example');
		const current = await tokenOf(laptop.cookie);

		const { sessions } = await listMySessions({ actor: laptop.actor, currentSessionToken: current }, deps);
		expect(sessions.map((s) => s.userAgent).sort()).toEqual(['Laptop', 'Phone', 'Tablet']);
		expect(sessions.filter((s) => s.isCurrent).map((s) => s.userAgent)).toEqual(['Laptop']);
		expect(sessions[0]).toMatchObject({ ipAddress: '10.0.0.1' });
		expect(JSON.stringify(sessions)).not.toContain(current);

		// The admin cannot end Anna's session through their own account.
		const phoneId = sessions.find((s) => s.userAgent === 'Phone')!.id;
		await expectDomainError(
			endMySession({ actor: admin.actor, sessionId: phoneId }, deps),
			'account.session_not_found'
		);
		expect(await actorOf(phone.cookie)).not.toBeNull();

		await endMySession({ actor: laptop.actor, sessionId: phoneId }, deps);
		expect(await actorOf(phone.cookie)).toBeNull();
		expect(await actorOf(tablet.cookie)).not.toBeNull();

		expect(await endMyOtherSessions({ actor: laptop.actor, currentSessionToken: current }, deps)).toEqual({
			ended: 1
		});
		expect(await actorOf(tablet.cookie)).toBeNull();
		expect(await actorOf(laptop.cookie)).not.toBeNull();
		expect(await actorOf(admin.cookie)).not.toBeNull();
	});

	test('an enrolled person gets a session that grants nothing until a current TOTP code is given, once', async () => {
		const { signInAs, actorOf, deps } = await setup();
		const { actor } = await signInAs('anna@gers.example');
		const now = new Date();
		const { secret } = await enrol(actor, now);
		expect(await getTwoFactorStatus({ actor }, deps)).toMatchObject({
			isEnabled: true,
			recoveryCodesLeft: 10
		});

		const pending = await signInAs('anna@gers.example');
		expect(pending.isTwoFactorPending).toBe(true);
		expect(await actorOf(pending.cookie)).toBeNull();
		expect(await findPendingSignIn({ requestHeaders: pending.cookie }, deps)).toEqual({
			userId: actor.userId
		});

		// The code used to confirm the enrolment (same step) is refused: no replay.
		const later = new Date(now.getTime() + 30_000);
		await expectDomainError(
			verifySecondFactor(
				{ requestHeaders: pending.cookie, input: { code: totpCode(secret, totpStep(now)) }, now },
				deps
			),
			'account.two_factor_invalid_code'
		);
		await expectDomainError(
			verifySecondFactor({ requestHeaders: pending.cookie, input: { code: '000000' }, now: later }, deps),
			'account.two_factor_invalid_code'
		);
		const code = totpCode(secret, totpStep(later));
		await verifySecondFactor({ requestHeaders: pending.cookie, input: { code }, now: later }, deps);
		expect((await actorOf(pending.cookie))?.userId).toBe(actor.userId);

		// The same code cannot open another sign-in.
		const replay = await signInAs('anna@gers.example');
		await expectDomainError(
			verifySecondFactor({ requestHeaders: replay.cookie, input: { code }, now: later }, deps),
			'account.two_factor_invalid_code'
		);
		expect(await actorOf(replay.cookie)).toBeNull();
	});

	test('a recovery code opens one sign-in only', async () => {
		const { signInAs, actorOf, deps } = await setup();
		const { actor } = await signInAs('anna@gers.example');
		const { recoveryCodes } = await enrol(actor, new Date());
		expect(recoveryCodes).toHaveLength(10);
		expect(new Set(recoveryCodes).size).toBe(10);
		const [stored] = await ctx.db.select().from(twoFactorsTable);
		expect(JSON.stringify(stored.recoveryCodeHashes)).not.toContain(recoveryCodes[0]);

		const first = await signInAs('anna@gers.example');
		const result = await verifySecondFactor(
			{ requestHeaders: first.cookie, input: { code: recoveryCodes[0].toUpperCase() } },
			deps
		);
		expect(result.usedRecoveryCode).toBe(true);
		expect(await actorOf(first.cookie)).not.toBeNull();
		expect((await getTwoFactorStatus({ actor }, deps)).recoveryCodesLeft).toBe(9);

		const second = await signInAs('anna@gers.example');
		await expectDomainError(
			verifySecondFactor({ requestHeaders: second.cookie, input: { code: recoveryCodes[0] } }, deps),
			'account.two_factor_invalid_code'
		);
		expect(await actorOf(second.cookie)).toBeNull();
	});

	test('too many wrong codes end the pending sign-in', async () => {
		const { signInAs, actorOf, deps } = await setup();
		const { actor } = await signInAs('anna@gers.example');
		const { secret } = await enrol(actor, new Date(Date.now() - 5 * MINUTE));
		const pending = await signInAs('anna@gers.example');
		for (let i = 1; i < MAX_TWO_FACTOR_FAILURES; i++) {
			await expectDomainError(
				verifySecondFactor({ requestHeaders: pending.cookie, input: { code: '123456' } }, deps),
				'account.two_factor_invalid_code'
			);
		}
		await expectDomainError(
			verifySecondFactor({ requestHeaders: pending.cookie, input: { code: '123456' } }, deps),
			'account.two_factor_too_many_attempts'
		);
		await expectDomainError(
			verifySecondFactor(
				{ requestHeaders: pending.cookie, input: { code: totpCode(secret, totpStep(new Date())) } },
				deps
			),
			'account.two_factor_not_pending'
		);
		expect(await actorOf(pending.cookie)).toBeNull();
	});

	test('staff of a programme requiring two-factor are held until they enrol; it cannot then be turned off', async () => {
		const { signInAs, deps } = await setup();
		const admin = await signInAs('admin@gers.example');
		await updateTwoFactorRequirement({ actor: admin.actor, input: { isTwoFactorRequired: true } }, deps);
		const due = await findActorBySession({ requestHeaders: admin.cookie }, deps);
		expect(due.actor?.role).toBe('admin');
		expect(due.mustEnrolTwoFactor).toBe(true);

		// Confirming needs the authenticator's code, not any code.
		await startTwoFactorEnrolment({ actor: admin.actor }, deps);
		await expectDomainError(
			confirmTwoFactorEnrolment({ actor: admin.actor, input: { code: '000000' } }, deps),
			'account.two_factor_invalid_code'
		);
		await enrol(admin.actor, new Date());
		expect((await findActorBySession({ requestHeaders: admin.cookie }, deps)).mustEnrolTwoFactor).toBe(false);
		await expectDomainError(
			disableTwoFactor({ actor: admin.actor, input: { password: PASSWORD } }, deps),
			'account.two_factor_required'
		);

		await updateTwoFactorRequirement({ actor: admin.actor, input: { isTwoFactorRequired: false } }, deps);
		await expectDomainError(
			disableTwoFactor({ actor: admin.actor, input: { password: 'not the password' } }, deps),
			'account.wrong_password'
		);
		await disableTwoFactor({ actor: admin.actor, input: { password: PASSWORD } }, deps);
		expect((await getTwoFactorStatus({ actor: admin.actor }, deps)).isEnabled).toBe(false);
		expect(
			await ctx.db.select().from(twoFactorsTable).where(eq(twoFactorsTable.userId, admin.actor.userId))
		).toEqual([]);
	});

	test('only an admin sets the requirement; it holds admins and advisors, not committee members', async () => {
		const { signInAs, deps, programme } = await setup();
		const admin = await signInAs('admin@gers.example');
		await createUser(
			{
				input: {
					email: 'maire@gers.example',
					name: 'Maire',
					role: 'committee',
					programmeId: programme.id,
					password: PASSWORD
				}
			},
			{ db: ctx.db }
		);
		const advisor = await signInAs('anna@gers.example');
		await expectDomainError(
			updateTwoFactorRequirement({ actor: advisor.actor, input: { isTwoFactorRequired: true } }, deps),
			'programme_settings.forbidden'
		);
		expect((await findActorBySession({ requestHeaders: advisor.cookie }, deps)).mustEnrolTwoFactor).toBe(
			false
		);
		await updateTwoFactorRequirement({ actor: admin.actor, input: { isTwoFactorRequired: true } }, deps);
		const committee = await signInAs('maire@gers.example');
		expect((await findActorBySession({ requestHeaders: advisor.cookie }, deps)).mustEnrolTwoFactor).toBe(
			true
		);
		expect((await findActorBySession({ requestHeaders: committee.cookie }, deps)).mustEnrolTwoFactor).toBe(
			false
		);
	});

	test('an operator removes the second factor of a locked-out person, whose sessions end', async () => {
		const { signInAs, actorOf, deps } = await setup();
		const { actor, cookie } = await signInAs('anna@gers.example');
		await enrol(actor, new Date());
		await expectDomainError(
			resetTwoFactorOfUser({ email: 'nobody@gers.example' }, deps),
			'account.unknown_email'
		);
		expect(await resetTwoFactorOfUser({ email: ' Anna@Gers.example' }, deps)).toEqual({
			userId: actor.userId,
			hadTwoFactor: true
		});
		expect(await actorOf(cookie)).toBeNull();
		const again = await signInAs('anna@gers.example');
		expect(again.isTwoFactorPending).toBe(false);
		expect(await actorOf(again.cookie)).not.toBeNull();
	});
});
