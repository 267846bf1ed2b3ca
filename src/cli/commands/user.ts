import { Argument, Option, type Command } from 'commander';
import { createAuth } from '#server/auth/auth.ts';
import { COMMITTEE_FUNCTIONS, ROLES } from '#server/db/schema/index.ts';
import { queuePasswordResetMail } from '#server/domain/account/account.mails.ts';
import {
	createUser,
	requestPasswordReset,
	setInstanceAdminByEmail
} from '#server/domain/account/account.service.ts';
import { resetTwoFactorOfUser } from '#server/domain/account/account-security.service.ts';
import { getProgrammeBySlug } from '#server/domain/programme/programme.service.ts';
import { translate } from '../../lib/i18n/index.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';

async function readStdin(): Promise<string> {
	if (process.stdin.isTTY)
		throw new CliFailure('--password-stdin expects the password on standard input.', EXIT.usage);
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks)
		.toString('utf8')
		.replace(/\r?\n$/, '');
}

export function registerUserCommands(program: Command, context: CliContext): void {
	const user = program.command('user').description('accounts');

	user
		.command('create')
		.description('create an account; without --password-stdin the person gets an email to choose a password')
		.requiredOption('--email <email>', 'email address (sign-in identifier)')
		.requiredOption('--name <name>', 'full name')
		.addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
		.requiredOption('--programme <slug>', 'programme the account belongs to')
		.addOption(new Option('--locale <locale>', 'language of the emails').choices(['fr', 'en']).default('fr'))
		.option(
			'--village <slug>',
			'for committee members: a village of the programme (repeatable)',
			(value: string, previous: string[] = []) => [...previous, value]
		)
		.addOption(
			new Option('--function <function>', 'function in the villages given with --village')
				.choices([...COMMITTEE_FUNCTIONS])
				.default('volunteer')
		)
		.option('--organisation <id-or-name>', 'for partners: their organisation (id or exact name)')
		.option('--password-stdin', 'read the password from standard input')
		.action(async (options, command: Command) => {
			const password = options.passwordStdin ? await readStdin() : undefined;
			await context.withDb(async ({ db }) => {
				const config = context.config();
				const { programme } = await getProgrammeBySlug({ slug: options.programme }, { db });
				const {
					user: created,
					hasPassword,
					villages
				} = await createUser(
					{
						input: {
							email: options.email,
							name: options.name,
							role: options.role,
							programmeId: programme.id,
							locale: options.locale,
							password,
							villages: ((options.village as string[] | undefined) ?? []).map((village) => ({
								village,
								committeeRole: options.function
							})),
							organisation: options.organisation
						}
					},
					{ db }
				);
				if (!hasPassword) {
					const auth = createAuth({
						db,
						config,
						sendResetPasswordMail: (request) => queuePasswordResetMail(request, { db, config })
					});
					await requestPasswordReset({ input: { email: created.email } }, { auth, db, config });
				}
				context.output(
					command,
					{
						id: created.id,
						email: created.email,
						role: created.role,
						programme: programme.slug,
						organisationId: created.organisationId,
						villages: villages.map((v) => v.slug),
						invited: !hasPassword
					},
					() =>
						[
							translate(context.locale, 'account_cli_created', {
								email: created.email,
								role: created.role,
								programme: programme.slug
							}),
							...(villages.length
								? [
										translate(context.locale, 'people_cli_villages', {
											villages: villages.map((v) => v.slug).join(', '),
											function: options.function
										})
									]
								: []),
							...(created.organisationId
								? [
										translate(context.locale, 'people_cli_organisation', {
											organisation: created.organisationId
										})
									]
								: []),
							...(hasPassword
								? []
								: [translate(context.locale, 'account_cli_invited', { email: created.email })])
						].join('\n')
				);
			});
		});

	user
		.command('reset-two-factor')
		.description(
			'remove the second factor of a person who lost their authenticator and recovery codes; ends their sessions'
		)
		.requiredOption('--email <email>', 'email address of the account')
		.action(async (options, command: Command) => {
			await context.withDb(async ({ db }) => {
				const { userId, hadTwoFactor } = await resetTwoFactorOfUser({ email: options.email }, { db });
				context.output(command, { id: userId, email: options.email, hadTwoFactor }, () =>
					translate(context.locale, 'account_cli_two_factor_reset', { email: options.email })
				);
			});
		});

	user
		.command('instance-admin')
		.description(
			'grant or revoke the instance admin (creates, suspends and resumes programmes, sees their usage on /instance)'
		)
		.addArgument(new Argument('<action>', 'grant or revoke').choices(['grant', 'revoke']))
		.argument('<email>', 'email address of the account')
		.action(async (action: 'grant' | 'revoke', email: string, _options, command: Command) => {
			await context.withDb(async ({ db }) => {
				const result = await setInstanceAdminByEmail({ email, isInstanceAdmin: action === 'grant' }, { db });
				context.output(command, result, () =>
					translate(
						context.locale,
						result.isInstanceAdmin
							? 'account_cli_instance_admin_granted'
							: 'account_cli_instance_admin_revoked',
						{ email: result.email }
					)
				);
			});
		});
}
