import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { createAuth } from '../../auth/auth.ts';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { casesTable, mailMessagesTable, membershipsTable, usersTable } from '../../db/schema/index.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { submitApplication } from '../case/case-intake.service.ts';
import { application, setupCaseProgrammes } from '../case/case.test-utils.ts';
import {
	checkSignInLink,
	getOwnPasswordStatus,
	requestSignInLink,
	setOwnPassword,
	signInWithLink,
	SIGN_IN_LINK_TTL_MINUTES
} from './account-sign-in-link.service.ts';
import { resumeProgramme, suspendProgramme } from '../programme/programme-instance.service.ts';
import { queuePasswordResetMail } from './account.mails.ts';
import { findActorBySession, requestPasswordReset, signIn } from './account.service.ts';

const config = parseConfig({
	NODE_ENV: 'test',
	SOHO_AUTH_SECRET: 'y'.repeat(40),
	ORIGIN: 'https://soho.example'
});

/** The Cookie header of the next request, from a response's Set-Cookie headers. */
function cookieHeader(headers: Headers): Headers {
	return new Headers({
		cookie: headers
			.getSetCookie()
			.map((line) => line.split(';')[0])
			.join('; ')
	});
}

/** The token of the last sign-in link mailed to `to` (the mail is the only place it exists). */
async function mailedToken(db: Parameters<typeof setupCaseProgrammes>[0], to: string): Promise<string> {
	const mails = await db.select().from(mailMessagesTable).where(eq(mailMessagesTable.toAddress, to));
	const links = mails.flatMap((mail) => [...mail.textBody.matchAll(/\/signin\/link\/([A-Za-z0-9_-]+)/g)]);
	const last = links.at(-1);
	if (!last) throw new Error(`no sign-in link mailed to ${to}`);
	return last[1];
}

describeEachDb('sign-in links: the candidate account made on applying, and password-less sign-in', (ctx) => {
	const setup = async () => {
		const base = await setupCaseProgrammes(ctx.db);
		const auth = createAuth({ db: ctx.db, config, sendResetPasswordMail: async () => {} });
		return { ...base, auth };
	};
	const apply = (programmeId: string, email: string, locale: 'fr' | 'en' = 'fr', now = new Date()) =>
		submitApplication(
			{ programmeId, input: application({ email, firstName: 'Inès', lastName: 'Roy' }), locale },
			{ db: ctx.db, config, now }
		);

	test('applying creates a candidate account that owns the case, and the confirmation carries a sign-in link', async () => {
		const { db, programme } = await setup();
		const { case: kase, candidateUserId } = await apply(programme.id, 'Ines.Roy@Example.org', 'en');
		expect(candidateUserId).toMatch(/^usr_/);
		const [stored] = await db.select().from(casesTable).where(eq(casesTable.id, kase.id));
		expect(stored.candidateUserId).toBe(candidateUserId);
		const [user] = await db.select().from(usersTable).where(eq(usersTable.id, candidateUserId!));
		expect(user).toMatchObject({
			email: 'ines.roy@example.org',
			name: 'Inès Roy',
			locale: 'en',
			emailVerified: false
		});
		const memberships = await db.select().from(membershipsTable).where(eq(membershipsTable.userId, user.id));
		expect(memberships).toMatchObject([{ programmeId: programme.id, role: 'candidate', status: 'active' }]);
		const [mail] = await db
			.select()
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.kind, 'case.application_received'));
		expect(mail.textBody).toContain('Open my space');
		expect(mail.textBody).toMatch(/https:\/\/soho\.example\/signin\/link\/[A-Za-z0-9_-]{40,}/);
		expect(mail.caseId).toBe(kase.id);
	});

	test('a second application by the same person reuses their account; a staff address gets no candidate access', async () => {
		const { db, programme, actors } = await setup();
		const first = await apply(programme.id, 'ines.roy@example.org');
		const second = await apply(programme.id, 'ines.roy@example.org');
		expect(second.candidateUserId).toBe(first.candidateUserId);
		expect(
			await db.select().from(usersTable).where(eq(usersTable.email, 'ines.roy@example.org'))
		).toHaveLength(1);
		// Someone typing the advisor's address does not attach a case to the advisor's account.
		const staff = await apply(programme.id, actors.advisor.email);
		expect(staff.candidateUserId).toBeNull();
		const [mail] = (
			await db.select().from(mailMessagesTable).where(eq(mailMessagesTable.toAddress, actors.advisor.email))
		).filter((m) => m.kind === 'case.application_received');
		expect(mail.textBody).not.toContain('/signin/link/');
	});

	test('the mailed link signs the candidate in once, to their own actor', async () => {
		const { programme, auth } = await setup();
		const { candidateUserId } = await apply(programme.id, 'ines.roy@example.org');
		const token = await mailedToken(ctx.db, 'ines.roy@example.org');
		expect(await checkSignInLink({ token }, { db: ctx.db })).toEqual({ state: 'usable' });
		const { actor, headers, isTwoFactorPending } = await signInWithLink({ token }, { db: ctx.db, auth });
		expect(actor).toMatchObject({ userId: candidateUserId, role: 'candidate', programmeId: programme.id });
		expect(isTwoFactorPending).toBe(false);
		const session = await findActorBySession(
			{ requestHeaders: cookieHeader(headers) },
			{ auth, db: ctx.db, config }
		);
		expect(session.actor?.userId).toBe(candidateUserId);
		const [user] = await ctx.db.select().from(usersTable).where(eq(usersTable.id, candidateUserId!));
		expect(user.emailVerified).toBe(true);
		// Reused: refused, and the page can say why.
		expect(await checkSignInLink({ token }, { db: ctx.db })).toEqual({ state: 'used' });
		await expectDomainError(signInWithLink({ token }, { db: ctx.db, auth }), 'account.sign_in_link_used');
	});

	test("a person of several programmes is signed in by a link and picks one, or acts in the host's or remembered one", async () => {
		const { programme, other, auth } = await setup();
		const { candidateUserId } = await apply(programme.id, 'ines.roy@example.org');
		// The same account also advises in the Lot programme.
		await ctx.db
			.insert(membershipsTable)
			.values({ userId: candidateUserId!, programmeId: other.id, role: 'advisor' });
		const deps = { auth, db: ctx.db, config };

		// No choice yet: signed in, no actor, asked to pick among both.
		const fresh = await signInWithLink({ token: await mailedToken(ctx.db, 'ines.roy@example.org') }, deps);
		expect(fresh.actor).toBeNull();
		expect(fresh.mustChooseProgramme).toBe(true);
		expect(fresh.programmes.map((p) => p.programmeId).sort()).toEqual([programme.id, other.id].sort());
		const cookie = cookieHeader(fresh.headers);
		expect(
			(await findActorBySession({ requestHeaders: cookie, programmeId: other.id }, deps)).actor
		).toMatchObject({ userId: candidateUserId, programmeId: other.id, role: 'advisor' });

		// The remembered choice, then the programme of the host (which wins), choose at once.
		await requestSignInLink({ input: { email: 'ines.roy@example.org' } }, { db: ctx.db, config });
		const remembered = await signInWithLink(
			{ token: await mailedToken(ctx.db, 'ines.roy@example.org'), programmeId: other.id },
			deps
		);
		expect(remembered).toMatchObject({
			mustChooseProgramme: false,
			actor: { programmeId: other.id, role: 'advisor' }
		});
		await requestSignInLink({ input: { email: 'ines.roy@example.org' } }, { db: ctx.db, config });
		const byHost = await signInWithLink(
			{
				token: await mailedToken(ctx.db, 'ines.roy@example.org'),
				programmeId: other.id,
				programmeOfHost: programme.id
			},
			deps
		);
		expect(byHost.actor).toMatchObject({ programmeId: programme.id, role: 'candidate' });
	});

	test("account mails asked on a programme's address speak for that programme when the person is a member there", async () => {
		const { programme, other } = await setup();
		const email = 'ines.roy@example.org';
		const { candidateUserId } = await apply(programme.id, email);
		await ctx.db
			.insert(membershipsTable)
			.values({ userId: candidateUserId!, programmeId: other.id, role: 'advisor' });
		const mailsOf = async (kind: string) =>
			(await ctx.db.select().from(mailMessagesTable)).filter((mail) => mail.kind === kind);

		// Asked on the Lot's address: the Lot's name, the Lot's address, sent for the Lot.
		await requestSignInLink({ input: { email }, programmeId: other.id }, { db: ctx.db, config });
		const [fromLot] = await mailsOf('account.sign_in_link');
		expect(fromLot.programmeId).toBe(other.id);
		expect(fromLot.subject).toContain(other.name);
		expect(fromLot.textBody).toContain(`https://soho.example/p/${other.slug}/signin/link/`);
		// Asked on no programme's address (or one where the person is no member): their first.
		await requestSignInLink({ input: { email } }, { db: ctx.db, config });
		const [, first] = await mailsOf('account.sign_in_link');
		expect(first.programmeId).toBe(programme.id);
		expect(first.subject).toContain(programme.name);

		// The password reset goes through better-auth, whose callback knows only the user and token.
		const auth = createAuth({
			db: ctx.db,
			config,
			sendResetPasswordMail: ({ user, token }) =>
				queuePasswordResetMail({ user, token }, { db: ctx.db, config })
		});
		await requestPasswordReset({ input: { email }, programmeId: other.id }, { auth, db: ctx.db, config });
		const [reset] = await mailsOf('account.password_reset');
		expect(reset.programmeId).toBe(other.id);
		expect(reset.subject).toContain(other.name);
		expect(reset.textBody).toContain(`https://soho.example/p/${other.slug}/reset-password?token=`);
	});

	test('a link of a person whose only programme is suspended says so and opens no session', async () => {
		const { programme, auth } = await setup();
		await apply(programme.id, 'ines.roy@example.org');
		const token = await mailedToken(ctx.db, 'ines.roy@example.org');
		await suspendProgramme(
			{ by: 'operator', input: { programme: programme.id, reason: 'Convention échue' } },
			{ db: ctx.db }
		);
		await expectDomainError(signInWithLink({ token }, { db: ctx.db, auth }), 'account.programme_suspended');
		await resumeProgramme({ by: 'operator', input: { programme: programme.id } }, { db: ctx.db });
		await requestSignInLink({ input: { email: 'ines.roy@example.org' } }, { db: ctx.db, config });
		const resumed = await signInWithLink(
			{ token: await mailedToken(ctx.db, 'ines.roy@example.org') },
			{ db: ctx.db, auth }
		);
		expect(resumed.actor).toMatchObject({ programmeId: programme.id, role: 'candidate' });
	});

	test('an expired link is refused as expired, an unknown one as invalid, and neither opens a session', async () => {
		const { programme, auth } = await setup();
		const issuedAt = new Date(Date.now() - (SIGN_IN_LINK_TTL_MINUTES + 1) * 60_000);
		await apply(programme.id, 'ines.roy@example.org', 'fr', issuedAt);
		const token = await mailedToken(ctx.db, 'ines.roy@example.org');
		expect(await checkSignInLink({ token }, { db: ctx.db })).toEqual({ state: 'expired' });
		await expectDomainError(signInWithLink({ token }, { db: ctx.db, auth }), 'account.sign_in_link_expired');
		await expectDomainError(
			signInWithLink({ token: `${token}x` }, { db: ctx.db, auth }),
			'account.invalid_sign_in_link'
		);
		expect(await checkSignInLink({ token: '' }, { db: ctx.db })).toEqual({ state: 'unknown' });
	});

	test('asking for a link mails one to an account, nothing to an unknown address, and at most three an hour', async () => {
		const { db, programme, auth } = await setup();
		await apply(programme.id, 'ines.roy@example.org');
		const linkMails = async () =>
			(await db.select().from(mailMessagesTable)).filter((mail) => mail.kind === 'account.sign_in_link');
		expect(await requestSignInLink({ input: { email: 'nobody@example.org' } }, { db, config })).toEqual({
			status: 'requested'
		});
		expect(await linkMails()).toHaveLength(0);
		for (let i = 0; i < 4; i++) {
			await requestSignInLink({ input: { email: ' Ines.Roy@example.org ' } }, { db, config });
		}
		const mails = await linkMails();
		expect(mails).toHaveLength(3);
		expect(mails[0]).toMatchObject({
			toAddress: 'ines.roy@example.org',
			subject: 'Votre lien de connexion — Gers'
		});
		const token = await mailedToken(db, 'ines.roy@example.org');
		const { actor } = await signInWithLink({ token }, { db, auth });
		expect(actor?.role).toBe('candidate');
	});

	test('the link form is rate-limited per client address', async () => {
		const { db } = await setup();
		const limited = { ...config, limitPasswordResetsPerHour: 2 };
		for (let i = 0; i < 2; i++) {
			await requestSignInLink(
				{ input: { email: `a${i}@example.org` }, clientAddress: '10.1.1.1' },
				{ db, config: limited }
			);
		}
		await expectDomainError(
			requestSignInLink(
				{ input: { email: 'b@example.org' }, clientAddress: '10.1.1.1' },
				{ db, config: limited }
			),
			'rate_limit.exceeded'
		);
	});

	test('a candidate who signed in with a link adds a password once, and then signs in with it too', async () => {
		const { programme, auth } = await setup();
		await apply(programme.id, 'ines.roy@example.org');
		const linked = await signInWithLink(
			{ token: await mailedToken(ctx.db, 'ines.roy@example.org') },
			{ db: ctx.db, auth }
		);
		const { headers } = linked;
		const actor = linked.actor!;
		const requestHeaders = cookieHeader(headers);
		expect(await getOwnPasswordStatus({ actor }, { db: ctx.db })).toEqual({ hasPassword: false });
		await expectDomainError(
			setOwnPassword(
				{
					actor,
					input: { password: 'une vie à la campagne', confirmation: 'une vie a la campagne' },
					requestHeaders
				},
				{ db: ctx.db, auth }
			),
			'account.password_mismatch'
		);
		await setOwnPassword(
			{
				actor,
				input: { password: 'une vie à la campagne', confirmation: 'une vie à la campagne' },
				requestHeaders
			},
			{ db: ctx.db, auth }
		);
		expect(await getOwnPasswordStatus({ actor }, { db: ctx.db })).toEqual({ hasPassword: true });
		const signedIn = await signIn(
			{ input: { email: 'ines.roy@example.org', password: 'une vie à la campagne' }, ipAddress: '10.0.0.9' },
			{ db: ctx.db, auth, config }
		);
		expect(signedIn.actor?.userId).toBe(actor.userId);
		await expectDomainError(
			setOwnPassword(
				{
					actor,
					input: { password: 'another long phrase', confirmation: 'another long phrase' },
					requestHeaders
				},
				{ db: ctx.db, auth }
			),
			'account.password_already_set'
		);
	});
});
