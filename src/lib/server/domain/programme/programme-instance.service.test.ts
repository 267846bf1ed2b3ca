import { and, eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { createAuth } from '../../auth/auth.ts';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { auditEntriesTable, mailMessagesTable, membershipsTable } from '../../db/schema/index.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { createTestProgrammes, createTestUser } from '../../testing/factories.ts';
import { findActorBySession, setInstanceAdminByEmail, signIn } from '../account/account.service.ts';
import { acceptInvitation, invitePerson } from '../people/people.service.ts';
import {
	createProgrammeWithAdmin,
	listProgrammeUsage,
	resumeProgramme,
	suspendProgramme,
	type InstanceAdmin
} from './programme-instance.service.ts';

const config = parseConfig({ NODE_ENV: 'test', SOHO_AUTH_SECRET: 'x'.repeat(40) });
const NOW = new Date('2026-03-02T09:00:00Z');

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

describeEachDb('tenancy: several programmes per person, instance admin, suspension', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const { programme: gers, other: lot } = await createTestProgrammes(db);
		const auth = createAuth({ db, config, sendResetPasswordMail: async () => {} });
		const { actor: lotAdmin } = await createTestUser(db, {
			role: 'admin',
			programmeId: lot.id,
			email: 'admin@lot.example'
		});
		const { actor: gersAdmin } = await createTestUser(db, {
			role: 'admin',
			programmeId: gers.id,
			email: 'admin@gers.example'
		});
		// Alice is advisor in the Gers; she accepts her first invitation there to get a password.
		const invite = async (actor: typeof lotAdmin, email: string, role: 'advisor' | 'admin') => {
			await invitePerson({ actor, input: { email, name: 'Alice', role } }, { db, config, now: NOW });
			const [mail] = await db
				.select()
				.from(mailMessagesTable)
				.where(
					and(eq(mailMessagesTable.toAddress, email), eq(mailMessagesTable.programmeId, actor.programmeId))
				);
			return acceptInvitation(
				{
					input: {
						token: linkToken(mail.textBody),
						name: 'Alice',
						password: 'alice-password',
						confirmation: 'alice-password'
					},
					ipAddress: null
				},
				{ db, auth, config, now: NOW }
			);
		};
		await invite(gersAdmin, 'alice@example.org', 'advisor');
		return { db, gers, lot, auth, lotAdmin, gersAdmin, invite };
	};
	const signInAlice = (
		deps: { db: typeof ctx.db; auth: ReturnType<typeof createAuth> },
		programmeId?: string
	) =>
		signIn(
			{ input: { email: 'alice@example.org', password: 'alice-password' }, ipAddress: null, programmeId },
			{ ...deps, config }
		);

	test('an admin of another programme invites an existing account: the same account gets a second membership; she then picks one', async () => {
		const { db, gers, lot, auth, lotAdmin, invite } = await setup();
		const accepted = await invite(lotAdmin, 'alice@example.org', 'admin');
		// Accepting signs her in, acting in the programme that invited her.
		expect(accepted.programmeId).toBe(lot.id);
		expect(accepted.actor).toMatchObject({ programmeId: lot.id, role: 'admin' });
		const memberships = await db
			.select()
			.from(membershipsTable)
			.where(eq(membershipsTable.userId, accepted.actor!.userId));
		expect(memberships.map((m) => [m.programmeId, m.role]).sort()).toEqual(
			[
				[gers.id, 'advisor'],
				[lot.id, 'admin']
			].sort()
		);

		// A fresh sign-in without a choice: she must pick, and is offered both with her role in each.
		const fresh = await signInAlice({ db, auth });
		expect(fresh.actor).toBeNull();
		expect(fresh.mustChooseProgramme).toBe(true);
		expect(fresh.programmes.map((p) => [p.programmeName, p.role]).sort()).toEqual([
			['Gers', 'advisor'],
			['Lot', 'admin']
		]);
		const cookie = cookieHeader(fresh.headers);
		const deps = { db, auth, config };
		// The choice (cookie) is re-checked on every request: each gives the actor of that programme only.
		expect(
			(await findActorBySession({ requestHeaders: cookie, programmeId: gers.id }, deps)).actor
		).toMatchObject({
			programmeId: gers.id,
			role: 'advisor'
		});
		expect(
			(await findActorBySession({ requestHeaders: cookie, programmeId: lot.id }, deps)).actor
		).toMatchObject({
			programmeId: lot.id,
			role: 'admin'
		});
		// A forged id gives nothing: she is asked to choose again.
		const forged = await findActorBySession({ requestHeaders: cookie, programmeId: 'prg_forged' }, deps);
		expect(forged.actor).toBeNull();
		expect(forged.mustChooseProgramme).toBe(true);
		// The host's programme wins over the choice when she is a member there.
		expect(
			(
				await findActorBySession(
					{ requestHeaders: cookie, programmeId: gers.id, programmeOfHost: lot.id },
					deps
				)
			).actor?.programmeId
		).toBe(lot.id);
	});

	test('suspending a programme stops its people acting (sign-in says why, sessions lose the actor); resuming restores them; audited', async () => {
		const { db, gers, lot, auth, lotAdmin, invite } = await setup();
		await invite(lotAdmin, 'alice@example.org', 'advisor');
		const admin = await signIn(
			{
				input: { email: 'alice@example.org', password: 'alice-password' },
				ipAddress: null,
				programmeId: gers.id
			},
			{ db, auth, config }
		);
		const deps = { db, auth, config };
		const session = cookieHeader(admin.headers);

		await expectDomainError(
			suspendProgramme({ by: null, input: { programme: 'gers', reason: 'Convention échue' } }, { db }),
			'programme.instance_forbidden'
		);
		await expectDomainError(
			suspendProgramme({ by: 'operator', input: { programme: 'gers', reason: '' } }, { db }),
			'validation.invalid_input'
		);
		const { programme } = await suspendProgramme(
			{ by: 'operator', input: { programme: 'gers', reason: 'Convention échue' } },
			{ db, now: NOW }
		);
		expect(programme).toMatchObject({ status: 'suspended', suspensionReason: 'Convention échue' });
		await expectDomainError(
			suspendProgramme({ by: 'operator', input: { programme: 'gers', reason: 'Again' } }, { db }),
			'programme.status_unchanged'
		);

		// Alice's open session chose the Gers: she now acts only in the Lot (her only active programme left).
		expect(
			(await findActorBySession({ requestHeaders: session, programmeId: gers.id }, deps)).actor
		).toMatchObject({
			programmeId: lot.id
		});
		await resumeProgramme({ by: 'operator', input: { programme: gers.id } }, { db, now: NOW });
		expect(
			(await findActorBySession({ requestHeaders: session, programmeId: gers.id }, deps)).actor
		).toMatchObject({
			programmeId: gers.id,
			role: 'advisor'
		});
		const entries = await db
			.select()
			.from(auditEntriesTable)
			.where(and(eq(auditEntriesTable.programmeId, gers.id), eq(auditEntriesTable.entityType, 'programme')));
		expect(entries.map((e) => [e.action, e.actorLabel])).toEqual([
			['suspend', 'operator'],
			['resume', 'operator']
		]);
	});

	test('a person whose only programme is suspended cannot sign in and is told so', async () => {
		const { db, lot, auth, lotAdmin, invite } = await setup();
		await invite(lotAdmin, 'carla@example.org', 'advisor');
		await suspendProgramme({ by: 'operator', input: { programme: lot.slug, reason: 'Budget' } }, { db });
		await expectDomainError(
			signIn(
				{ input: { email: 'carla@example.org', password: 'alice-password' }, ipAddress: null },
				{ db, auth, config }
			),
			'account.programme_suspended'
		);
	});

	test('an instance admin sees every programme’s usage, creates one and invites its first admin', async () => {
		const { db, gers, lot } = await setup();
		const instanceAdmin: InstanceAdmin = {
			userId: (await createTestUser(db, { role: 'advisor', programmeId: gers.id, email: 'ops@example.org' }))
				.user.id,
			name: 'Ops',
			email: 'ops@example.org'
		};
		await setInstanceAdminByEmail({ email: 'ops@example.org', isInstanceAdmin: true }, { db });
		await expectDomainError(listProgrammeUsage({ by: null }, { db }), 'programme.instance_forbidden');
		const { programmes } = await listProgrammeUsage({ by: instanceAdmin }, { db, now: NOW });
		const bySlug = Object.fromEntries(programmes.map((p) => [p.slug, p]));
		expect(bySlug.gers).toMatchObject({ id: gers.id, status: 'active', staff: 3, cases: 0 });
		expect(bySlug.lot).toMatchObject({ id: lot.id, staff: 1 });
		expect(bySlug.gers.mailsThisMonth).toBeGreaterThan(0);

		const { programme, invitationId } = await createProgrammeWithAdmin(
			{
				by: instanceAdmin,
				input: {
					programme: { slug: 'cantal', name: 'Cantal', departements: ['15'] },
					admin: { email: 'admin@cantal.example', name: 'Claude' }
				}
			},
			{ db, config, now: NOW }
		);
		expect(programme.slug).toBe('cantal');
		const [mail] = await db
			.select()
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.toAddress, 'admin@cantal.example'));
		expect(mail.programmeId).toBe(programme.id);
		expect(invitationId).toMatch(/^inv_/);
	});
});
