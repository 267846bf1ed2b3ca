import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { mailMessagesTable } from '../../db/schema/index.ts';
import { actorOfUserId, insertTestUsers } from '../../testing/factories.ts';
import { toActor } from '../account/account.service.ts';
import { requestSignInLink } from '../account/account-sign-in-link.service.ts';
import { submitApplication } from '../case/case-intake.service.ts';
import { assignAdvisor } from '../case/case.service.ts';
import { application, setupCaseProgrammes } from '../case/case.test-utils.ts';
import { replyToCandidate, sendOwnMessage } from '../candidate-space/candidate-space.service.ts';
import { invitePerson } from '../people/people.service.ts';
import { addProgrammeHostBySlug } from './programme-host.service.ts';

/*
 * Issue 17, part 1: every mail of a programme links to the programme's address (its primary
 * host, else its /p/<slug> prefix on the public origin, the oldest programme at the public
 * origin itself), never to the configured origin alone: invitations, sign-in links, the
 * application's acknowledgement, the candidate space's messages (referrals, stays and the
 * public mails have tests of their own).
 */

const config = parseConfig({
	NODE_ENV: 'test',
	ORIGIN: 'https://soho.example',
	SOHO_AUTH_SECRET: 'x'.repeat(40)
});

describeEachDb("mails link to their programme's address", (ctx) => {
	const setup = async () => {
		const base = await setupCaseProgrammes(ctx.db);
		const [lotAdmin] = await insertTestUsers(ctx.db, {
			name: 'Admin Lot',
			email: 'admin@lot.example',
			role: 'admin',
			programmeId: base.other.id
		});
		return { ...base, lotAdmin: toActor(lotAdmin) };
	};
	const mailsOf = async (kind: string) =>
		(await ctx.db.select().from(mailMessagesTable)).filter((mail) => mail.kind === kind);
	const deps = () => ({ db: ctx.db, config });

	test('invitations and sign-in links: the prefix of a programme without a host, the origin for the oldest', async () => {
		const { actors, lotAdmin } = await setup();
		await invitePerson(
			{ actor: lotAdmin, input: { email: 'conseil@lot.example', name: 'Conseil Lot', role: 'advisor' } },
			deps()
		);
		await invitePerson(
			{
				actor: actors.admin,
				input: { email: 'conseil@gers.example', name: 'Conseil Gers', role: 'advisor' }
			},
			deps()
		);
		const invitations = await mailsOf('people.invitation');
		const toLot = invitations.find((mail) => mail.toAddress === 'conseil@lot.example');
		const toGers = invitations.find((mail) => mail.toAddress === 'conseil@gers.example');
		expect(toLot?.textBody).toMatch(/https:\/\/soho\.example\/p\/lot\/invitation\/[\w-]+/);
		expect(toGers?.textBody).toMatch(/https:\/\/soho\.example\/invitation\/[\w-]+/);
		expect(toGers?.textBody).not.toContain('/p/');

		await requestSignInLink({ input: { email: 'advisor@lot.example' } }, deps());
		const [link] = await mailsOf('account.sign_in_link');
		expect(link.textBody).toMatch(/https:\/\/soho\.example\/p\/lot\/signin\/link\/[\w-]+/);
	});

	test("with a host name of its own, the programme's mails link to its primary host", async () => {
		const { other, lotAdmin, actors } = await setup();
		await addProgrammeHostBySlug({ slug: 'lot', input: { host: 'accueil.lot.example' } }, { db: ctx.db });
		await invitePerson(
			{ actor: lotAdmin, input: { email: 'conseil@lot.example', name: 'Conseil Lot', role: 'advisor' } },
			deps()
		);
		const [invitation] = await mailsOf('people.invitation');
		expect(invitation.textBody).toMatch(/https:\/\/accueil\.lot\.example\/invitation\/[\w-]+/);

		// A household applies to the Lot: its acknowledgement carries a sign-in link to its space there…
		const applied = await submitApplication(
			{
				programmeId: other.id,
				input: application({
					email: 'famille@example.org',
					firstName: 'Lou',
					lastName: 'Test',
					villages: ['cahors']
				}),
				locale: 'fr'
			},
			deps()
		);
		const [received] = await mailsOf('case.application_received');
		expect(received.textBody).toMatch(/https:\/\/accueil\.lot\.example\/signin\/link\/[\w-]+/);
		expect(received.textBody).not.toContain('https://soho.example');

		// …and the messages of its space link to the Lot's host, both ways.
		const advisor = actors.otherAdvisor;
		await assignAdvisor(
			{ actor: lotAdmin, caseId: applied.case.id, advisorId: advisor.userId },
			{ db: ctx.db }
		);
		const candidate = await actorOfUserId(ctx.db, applied.candidateUserId!);
		await sendOwnMessage({ actor: candidate, input: { body: 'Bonjour' } }, deps());
		await replyToCandidate({ actor: advisor, caseId: applied.case.id, input: { body: 'Bienvenue' } }, deps());
		const [toAdvisor] = await mailsOf('candidate_space.message_to_advisor');
		expect(toAdvisor.textBody).toContain(`https://accueil.lot.example/backoffice/cases/${applied.case.id}`);
		const [toCandidate] = await mailsOf('candidate_space.message_to_candidate');
		expect(toCandidate.textBody).toContain('https://accueil.lot.example/space/messages');
	});
});
