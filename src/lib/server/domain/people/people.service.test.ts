import { hashPassword } from 'better-auth/crypto';
import { and, eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { createAuth } from '../../auth/auth.ts';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	auditEntriesTable,
	authAccountsTable,
	invitationsTable,
	mailMessagesTable,
	membershipsTable,
	sessionsTable,
	signInAttemptsTable,
	villageCommitteeMembersTable
} from '../../db/schema/index.ts';
import { isDomainError } from '../../errors.ts';
import { ValidationError } from '../../validation.ts';
import { findActorBySession, signIn } from '../account/account.service.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import {
	acceptInvitation,
	changePersonRole,
	deactivatePerson,
	getInvitationByToken,
	getPerson,
	invitePerson,
	listPeople,
	reactivatePerson,
	resendInvitation,
	revokeInvitation
} from './people.service.ts';
import {
	createTestVillage,
	createTestProgrammes,
	createTestOrganisation,
	createTestUser
} from '../../testing/factories.ts';

const config = parseConfig({ NODE_ENV: 'test', SOHO_AUTH_SECRET: 'x'.repeat(40) });
const NOW = new Date('2026-03-02T09:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

function cookieHeader(headers: Headers): Headers {
	return new Headers({
		cookie: headers
			.getSetCookie()
			.map((line) => line.split(';')[0])
			.join('; ')
	});
}

function linkToken(text: string): string {
	const match = /\/invitation\/([A-Za-z0-9_-]+)/.exec(text);
	if (!match) throw new Error(`no invitation link in: ${text}`);
	return match[1];
}

describeEachDb('people and invitations', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const { programme, other } = await createTestProgrammes(db);
		const simorre = await createTestVillage(db, {
			programmeId: programme.id,
			communeCode: '32433',
			slug: 'simorre'
		});
		const samatan = await createTestVillage(db, {
			programmeId: programme.id,
			communeCode: '32410',
			slug: 'samatan'
		});
		const cahors = await createTestVillage(db, {
			programmeId: other.id,
			communeCode: '32013',
			slug: 'auch-lot'
		});
		const bank = await createTestOrganisation(db, {
			programmeId: programme.id,
			name: 'Banque',
			kind: 'bank'
		});
		const otherBank = await createTestOrganisation(db, {
			programmeId: other.id,
			name: 'Banque',
			kind: 'bank'
		});
		const { actor: admin } = await createTestUser(db, {
			role: 'admin',
			programmeId: programme.id,
			email: 'admin@gers.example'
		});
		const { actor: otherAdmin } = await createTestUser(db, {
			role: 'admin',
			programmeId: other.id,
			email: 'admin@lot.example'
		});
		const auth = createAuth({ db, config, sendResetPasswordMail: async () => {} });
		const mails = async (to: string) =>
			db
				.select()
				.from(mailMessagesTable)
				.where(eq(mailMessagesTable.toAddress, to))
				.orderBy(mailMessagesTable.createdAt);
		return {
			db,
			programme,
			other,
			simorre,
			samatan,
			cahors,
			bank,
			otherBank,
			admin,
			otherAdmin,
			auth,
			mails
		};
	};

	test('an admin invites a mayor of a village; the link lets them choose a password, join the committee and sign in', async () => {
		const { db, admin, simorre, samatan, auth, mails } = await setup();
		const { invitation } = await invitePerson(
			{
				actor: admin,
				input: {
					email: ' Maire@Simorre.example ',
					name: 'Jeanne Maire',
					locale: 'en',
					role: 'committee',
					villages: [
						{ villageId: simorre.id, committeeRole: 'mayor' },
						{ villageId: samatan.id, committeeRole: 'deputy' }
					]
				}
			},
			{ db, config, now: NOW }
		);
		expect(invitation.email).toBe('maire@simorre.example');
		const [mail] = await mails('maire@simorre.example');
		expect(mail.subject).toBe('Invitation to join Gers');
		expect(mail.kind).toBe('people.invitation');
		const token = linkToken(mail.textBody);
		// Only the hash is stored.
		expect(JSON.stringify(await db.select().from(invitationsTable))).not.toContain(token);

		const shown = await getInvitationByToken({ token }, { db, now: NOW });
		expect(shown).toMatchObject({
			programmeName: 'Gers',
			hasAccount: false,
			invitation: { role: 'committee' }
		});

		const { actor, headers } = await acceptInvitation(
			{
				input: {
					token,
					name: 'Jeanne Lacoste',
					password: 'un mot de passe sûr',
					confirmation: 'un mot de passe sûr'
				},
				ipAddress: '10.0.0.9'
			},
			{ db, auth, config, now: new Date(NOW.getTime() + DAY) }
		);
		expect(actor).toMatchObject({
			role: 'committee',
			name: 'Jeanne Lacoste',
			programmeId: admin.programmeId
		});
		const session = await findActorBySession({ requestHeaders: cookieHeader(headers) }, { auth, db, config });
		expect(session.actor?.userId).toBe(actor?.userId);
		const seats = await db
			.select()
			.from(villageCommitteeMembersTable)
			.where(eq(villageCommitteeMembersTable.userId, actor!.userId));
		expect(seats.map((s) => [s.villageId, s.committeeRole]).sort()).toEqual(
			[
				[simorre.id, 'mayor'],
				[samatan.id, 'deputy']
			].sort()
		);
		// A link works once.
		await expectDomainError(getInvitationByToken({ token }, { db, now: NOW }), 'people.invitation_used');
		await expectDomainError(
			acceptInvitation(
				{
					input: {
						token,
						name: 'X',
						password: 'un autre mot de passe',
						confirmation: 'un autre mot de passe'
					},
					ipAddress: null
				},
				{ db, auth, config, now: NOW }
			),
			'people.invitation_used'
		);
		const { people, invitations } = await listPeople(
			{ actor: admin, input: { q: 'lacoste' } },
			{ db, now: NOW }
		);
		expect(people.map((p) => p.email)).toEqual(['maire@simorre.example']);
		expect(people[0].seats.map((s) => s.committeeRole).sort()).toEqual(['deputy', 'mayor']);
		expect(invitations).toEqual([]);
		// The set-up's organisations are logged by the organisation service too: the invitation's own entries.
		const actions = (await db.select().from(auditEntriesTable))
			.filter((e) => e.entityType !== 'organisation')
			.map((e) => `${e.entityType}:${e.action}`)
			.sort();
		expect(actions).toEqual(['invitation:accept', 'invitation:invite', 'membership:accept']);
	});

	test('an invitation to an e-mail that already has an account asks for its current password: a wrong one accepts nothing, and the link never replaces the password', async () => {
		const { db, admin, otherAdmin, auth, mails } = await setup();
		// Alice gets her account by accepting the Gers' invitation.
		await invitePerson(
			{ actor: admin, input: { email: 'alice@example.org', name: 'Alice', role: 'advisor' } },
			{ db, config, now: NOW }
		);
		const [first] = await mails('alice@example.org');
		await acceptInvitation(
			{
				input: {
					token: linkToken(first.textBody),
					name: 'Alice Martin',
					password: 'alice-password',
					confirmation: 'alice-password'
				},
				ipAddress: null
			},
			{ db, auth, config, now: NOW }
		);
		// The Lot invites the same e-mail; whoever holds that link is asked for Alice's password.
		await invitePerson(
			{ actor: otherAdmin, input: { email: 'alice@example.org', name: 'A. Martin', role: 'admin' } },
			{ db, config, now: NOW }
		);
		const second = (await mails('alice@example.org')).find((m) => m.programmeId === otherAdmin.programmeId);
		const token = linkToken(second!.textBody);
		expect(await getInvitationByToken({ token }, { db, now: NOW })).toMatchObject({
			hasAccount: true,
			programmeName: 'Lot'
		});
		const later = new Date(NOW.getTime() + DAY);
		const lotMemberships = () =>
			db
				.select()
				.from(membershipsTable)
				.where(
					and(eq(membershipsTable.programmeId, otherAdmin.programmeId), eq(membershipsTable.role, 'admin'))
				);
		const adminsBefore = (await lotMemberships()).length;
		// A new password with its confirmation (what the form used to take) takes nothing over.
		await expectDomainError(
			acceptInvitation(
				{
					input: { token, name: 'Mallory', password: 'mallory-password', confirmation: 'mallory-password' },
					ipAddress: '10.0.0.66'
				},
				{ db, auth, config, now: later }
			),
			'account.wrong_password'
		);
		await expect(
			acceptInvitation(
				{ input: { token, password: '' }, ipAddress: '10.0.0.66' },
				{ db, auth, config, now: later }
			)
		).rejects.toBeInstanceOf(ValidationError);
		// Nothing accepted: no membership, the link still works, the wrong try counted like a failed sign-in.
		expect(await lotMemberships()).toHaveLength(adminsBefore);
		expect(await getInvitationByToken({ token }, { db, now: later })).toMatchObject({ hasAccount: true });
		const attempts = await db
			.select()
			.from(signInAttemptsTable)
			.where(eq(signInAttemptsTable.email, 'alice@example.org'));
		expect(attempts.filter((attempt) => attempt.isSuccess === false)).toHaveLength(1);
		await expectDomainError(
			signIn(
				{ input: { email: 'alice@example.org', password: 'mallory-password' }, ipAddress: null },
				{ db, auth, config, now: later }
			),
			'account.invalid_credentials'
		);

		// With her own password: the Lot's membership is added; her name and password are unchanged.
		const accepted = await acceptInvitation(
			{ input: { token, password: 'alice-password' }, ipAddress: '10.0.0.9' },
			{ db, auth, config, now: later }
		);
		expect(accepted.programmeId).toBe(otherAdmin.programmeId);
		expect(accepted.actor).toMatchObject({
			programmeId: otherAdmin.programmeId,
			role: 'admin',
			name: 'Alice Martin'
		});
		expect(await lotMemberships()).toHaveLength(adminsBefore + 1);
		const again = await signIn(
			{
				input: { email: 'alice@example.org', password: 'alice-password' },
				ipAddress: null,
				programmeId: admin.programmeId
			},
			{ db, auth, config, now: later }
		);
		expect(again.actor).toMatchObject({ programmeId: admin.programmeId, role: 'advisor' });
		await expectDomainError(getInvitationByToken({ token }, { db, now: later }), 'people.invitation_used');
	});

	test('an advisor and a partner are invited with their scope; the invitation is resent with a new link and the old one stops working', async () => {
		const { db, admin, bank, auth, mails } = await setup();
		await invitePerson(
			{
				actor: admin,
				input: { email: 'p@bank.example', name: 'Paul', role: 'partner', organisationId: bank.id }
			},
			{ db, config, now: NOW }
		);
		const { invitation } = await invitePerson(
			{ actor: admin, input: { email: 'claire@gers.example', name: 'Claire', role: 'advisor' } },
			{ db, config, now: NOW }
		);
		const oldToken = linkToken((await mails('claire@gers.example'))[0].textBody);
		const later = new Date(NOW.getTime() + 8 * DAY);
		// Expired after 7 days; resending gives a new link valid 7 more days.
		await expectDomainError(
			getInvitationByToken({ token: oldToken }, { db, now: later }),
			'people.invitation_expired'
		);
		await resendInvitation({ actor: admin, invitationId: invitation.id }, { db, config, now: later });
		const sent = await mails('claire@gers.example');
		expect(sent).toHaveLength(2);
		const newToken = linkToken(sent[1].textBody);
		expect(newToken).not.toBe(oldToken);
		await expectDomainError(
			getInvitationByToken({ token: oldToken }, { db, now: later }),
			'people.invitation_invalid'
		);
		const { actor } = await acceptInvitation(
			{
				input: {
					token: newToken,
					name: 'Claire',
					password: 'claire-password',
					confirmation: 'claire-password'
				},
				ipAddress: null
			},
			{ db, auth, config, now: later }
		);
		expect(actor?.role).toBe('advisor');

		const partnerToken = linkToken((await mails('p@bank.example'))[0].textBody);
		const { actor: partner } = await acceptInvitation(
			{
				input: {
					token: partnerToken,
					name: 'Paul',
					password: 'paul-password',
					confirmation: 'paul-password'
				},
				ipAddress: null
			},
			{ db, auth, config, now: NOW }
		);
		expect(partner).toMatchObject({ role: 'partner', organisationId: bank.id });
	});

	test('a revoked invitation link shows that it was withdrawn and cannot be used', async () => {
		const { db, admin, auth, mails } = await setup();
		const { invitation } = await invitePerson(
			{ actor: admin, input: { email: 'x@gers.example', name: 'X', role: 'advisor' } },
			{ db, config, now: NOW }
		);
		const token = linkToken((await mails('x@gers.example'))[0].textBody);
		await revokeInvitation({ actor: admin, invitationId: invitation.id }, { db, now: NOW });
		await expectDomainError(getInvitationByToken({ token }, { db, now: NOW }), 'people.invitation_revoked');
		await expectDomainError(
			acceptInvitation(
				{
					input: { token, name: 'X', password: 'x-password-1', confirmation: 'x-password-1' },
					ipAddress: null
				},
				{ db, auth, config, now: NOW }
			),
			'people.invitation_revoked'
		);
		await expectDomainError(
			resendInvitation({ actor: admin, invitationId: invitation.id }, { db, config, now: NOW }),
			'people.invitation_not_pending'
		);
		await expectDomainError(
			getInvitationByToken({ token: 'not-a-real-token-at-all-xyz' }, { db }),
			'people.invitation_invalid'
		);
	});

	test('bad invitations are refused with the field named, and nothing is written', async () => {
		const { db, programme, admin, cahors, otherBank, simorre } = await setup();
		await createTestUser(db, { role: 'advisor', programmeId: programme.id, email: 'anna@gers.example' });
		const invite = (input: Parameters<typeof invitePerson>[0]['input']) =>
			invitePerson({ actor: admin, input }, { db, config, now: NOW });
		await expectDomainError(
			invite({ email: 'anna@gers.example', name: 'Anna', role: 'advisor' }),
			'people.already_member'
		);
		await expectDomainError(
			invite({ email: 'c@gers.example', name: 'C', role: 'committee' }),
			'people.village_required'
		);
		await expectDomainError(
			invite({
				email: 'c@gers.example',
				name: 'C',
				role: 'committee',
				villages: [{ villageId: cahors.id, committeeRole: 'mayor' }]
			}),
			'people.unknown_village'
		);
		await expectDomainError(
			invite({ email: 'p@gers.example', name: 'P', role: 'partner' }),
			'people.organisation_required'
		);
		await expectDomainError(
			invite({ email: 'p@gers.example', name: 'P', role: 'partner', organisationId: otherBank.id }),
			'people.unknown_organisation'
		);
		const error = await invite({
			email: 'not an email',
			name: '',
			role: 'member' as never,
			villages: [{ villageId: simorre.id, committeeRole: 'king' as never }]
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect((error as ValidationError).issues.map((i) => i.field).sort()).toEqual(
			['email', 'name', 'role', 'villages.0.committeeRole'].sort()
		);
		// A pending invitation blocks a second one to the same address.
		await invite({ email: 'new@gers.example', name: 'New', role: 'advisor' });
		await expectDomainError(
			invite({ email: 'new@gers.example', name: 'New', role: 'admin' }),
			'people.already_invited'
		);
		expect(await db.select().from(invitationsTable)).toHaveLength(1);
		expect(await db.select().from(mailMessagesTable)).toHaveLength(1);
	});

	test('only admins invite and change roles; advisors read the list; an admin of another programme touches nobody here', async () => {
		const { db, programme, admin, otherAdmin, bank } = await setup();
		const others = {
			advisor: (
				await createTestUser(db, { role: 'advisor', programmeId: programme.id, email: 'adv@gers.example' })
			).actor,
			committee: (
				await createTestUser(db, { role: 'committee', programmeId: programme.id, email: 'com@gers.example' })
			).actor,
			partner: (
				await createTestUser(db, {
					role: 'partner',
					programmeId: programme.id,
					email: 'par@gers.example',
					organisationId: bank.id
				})
			).actor,
			member: (
				await createTestUser(db, { role: 'member', programmeId: programme.id, email: 'mem@gers.example' })
			).actor,
			candidate: (
				await createTestUser(db, { role: 'candidate', programmeId: programme.id, email: 'can@gers.example' })
			).actor
		};
		const { invitation } = await invitePerson(
			{ actor: admin, input: { email: 'z@gers.example', name: 'Z', role: 'advisor' } },
			{ db, config, now: NOW }
		);
		for (const [role, actor] of Object.entries(others)) {
			const refusals = [
				invitePerson(
					{ actor, input: { email: 'y@gers.example', name: 'Y', role: 'admin' } },
					{ db, config, now: NOW }
				),
				changePersonRole({ actor, input: { userId: others.member.userId, role: 'admin' } }, { db }),
				deactivatePerson({ actor, userId: others.member.userId }, { db }),
				resendInvitation({ actor, invitationId: invitation.id }, { db, config }),
				revokeInvitation({ actor, invitationId: invitation.id }, { db })
			];
			for (const refusal of refusals) {
				const error = await refusal.catch((e: unknown) => e);
				expect(isDomainError(error, 'people.forbidden'), `${role}: ${String(error)}`).toBe(true);
			}
		}
		const advisorView = await listPeople({ actor: others.advisor }, { db, now: NOW });
		expect(advisorView.canManage).toBe(false);
		expect(advisorView.people).toHaveLength(6);
		await expectDomainError(listPeople({ actor: others.committee }, { db }), 'people.forbidden');

		await expectDomainError(
			changePersonRole(
				{ actor: otherAdmin, input: { userId: others.advisor.userId, role: 'admin' } },
				{ db }
			),
			'people.not_found'
		);
		await expectDomainError(
			deactivatePerson({ actor: otherAdmin, userId: others.advisor.userId }, { db }),
			'people.not_found'
		);
		await expectDomainError(
			getPerson({ actor: otherAdmin, userId: others.advisor.userId }, { db }),
			'people.not_found'
		);
		await expectDomainError(
			revokeInvitation({ actor: otherAdmin, invitationId: invitation.id }, { db }),
			'people.invitation_not_found'
		);
		expect((await listPeople({ actor: otherAdmin }, { db })).people.map((p) => p.email)).toEqual([
			'admin@lot.example'
		]);
		await expectDomainError(
			changePersonRole({ actor: admin, input: { userId: admin.userId, role: 'advisor' } }, { db }),
			'people.cannot_change_self'
		);
	});

	test('a role change moves the committee seats and is logged; deactivation ends sessions at once and forbids sign-in until reactivated', async () => {
		const { db, programme, admin, simorre, samatan, bank, auth } = await setup();
		const { actor: mayor } = await createTestUser(db, {
			role: 'committee',
			programmeId: programme.id,
			email: 'm@gers.example'
		});
		await db
			.insert(villageCommitteeMembersTable)
			.values({ villageId: simorre.id, userId: mayor.userId, committeeRole: 'councillor' });
		await changePersonRole(
			{
				actor: admin,
				input: {
					userId: mayor.userId,
					role: 'committee',
					villages: [{ villageId: samatan.id, committeeRole: 'secretary' }]
				}
			},
			{ db, now: NOW }
		);
		const seats = await db
			.select()
			.from(villageCommitteeMembersTable)
			.where(eq(villageCommitteeMembersTable.userId, mayor.userId));
		expect(seats.map((s) => [s.villageId, s.committeeRole])).toEqual([[samatan.id, 'secretary']]);
		await changePersonRole(
			{ actor: admin, input: { userId: mayor.userId, role: 'partner', organisationId: bank.id } },
			{ db, now: NOW }
		);
		expect(
			await db
				.select()
				.from(villageCommitteeMembersTable)
				.where(eq(villageCommitteeMembersTable.userId, mayor.userId))
		).toEqual([]);

		// The person gets a password (as "forgot password" would give one: an invitation no longer
		// sets it), is promoted by invitation with that password, and is signed in.
		await changePersonRole(
			{ actor: admin, input: { userId: mayor.userId, role: 'advisor' } },
			{ db, now: NOW }
		);
		await db.insert(authAccountsTable).values({
			userId: mayor.userId,
			accountId: mayor.userId,
			providerId: 'credential',
			password: await hashPassword('m-password-1')
		});
		const { invitation } = await invitePerson(
			{ actor: admin, input: { email: 'm@gers.example', name: 'M', role: 'admin' } },
			{ db, config, now: NOW }
		);
		const [mail] = await db
			.select()
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.toAddress, 'm@gers.example'));
		const { headers } = await acceptInvitation(
			{ input: { token: linkToken(mail.textBody), password: 'm-password-1' }, ipAddress: null },
			{ db, auth, config, now: NOW }
		);
		expect(invitation.role).toBe('admin');
		expect(await db.select().from(sessionsTable).where(eq(sessionsTable.userId, mayor.userId))).toHaveLength(
			1
		);

		await deactivatePerson({ actor: admin, userId: mayor.userId }, { db, now: NOW });
		expect(await db.select().from(sessionsTable).where(eq(sessionsTable.userId, mayor.userId))).toEqual([]);
		expect(
			(await findActorBySession({ requestHeaders: cookieHeader(headers) }, { auth, db, config })).actor
		).toBeNull();
		await expectDomainError(
			signIn(
				{ input: { email: 'm@gers.example', password: 'm-password-1' }, ipAddress: null },
				{ db, auth, config }
			),
			'account.deactivated'
		);
		expect(await db.select().from(sessionsTable).where(eq(sessionsTable.userId, mayor.userId))).toEqual([]);
		const { people } = await listPeople({ actor: admin, input: { status: 'deactivated' } }, { db });
		expect(people.map((p) => p.email)).toEqual(['m@gers.example']);

		await reactivatePerson({ actor: admin, userId: mayor.userId }, { db, now: NOW });
		const { actor } = await signIn(
			{ input: { email: 'm@gers.example', password: 'm-password-1' }, ipAddress: null },
			{ db, auth, config }
		);
		expect(actor?.role).toBe('admin');
		const { history } = await getPerson({ actor: admin, userId: mayor.userId }, { db });
		expect(history.map((h) => h.action)).toEqual(
			expect.arrayContaining(['change_role', 'invite', 'accept', 'deactivate', 'reactivate'])
		);
		const changes = await db
			.select()
			.from(auditEntriesTable)
			.where(
				and(eq(auditEntriesTable.action, 'change_role'), eq(auditEntriesTable.programmeId, programme.id))
			);
		expect(changes[0].before).toMatchObject({
			role: 'committee',
			villages: [{ villageId: simorre.id, committeeRole: 'councillor' }]
		});
		expect(changes[0].actorId).toBe(admin.userId);
	});
});
