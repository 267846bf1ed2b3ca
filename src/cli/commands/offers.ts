import type { Command } from 'commander';
import { sendOfferExpiryReminders } from '#server/domain/offer/offer.service.ts';
import { translate } from '../../lib/i18n/index.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';

export function registerOfferCommands(program: Command, context: CliContext): Command {
	const offers = program
		.command('offers')
		.description('listings: housing, premises, businesses to take over, land, jobs');

	offers
		.command('remind-expiring')
		.description('queue one reminder to the owner of each offer expiring within 7 days (idempotent)')
		.option('--now <iso-date>', 'pretend the current time is this (ISO 8601), for catching up or testing')
		.action(async (options: { now?: string }, command: Command) => {
			const now = options.now ? new Date(options.now) : new Date();
			if (Number.isNaN(now.getTime())) {
				throw new CliFailure(translate(context.locale, 'error_offer_invalid_date'), EXIT.usage);
			}
			await context.withDb(async (database) => {
				const result = await sendOfferExpiryReminders({ now }, { db: database.db, config: context.config() });
				context.output(command, result, () =>
					[
						translate(context.locale, 'offer_remind_summary', { reminded: result.reminded }),
						...(result.withoutRecipient
							? [
									translate(context.locale, 'offer_remind_without_recipient', {
										count: result.withoutRecipient
									})
								]
							: [])
					].join('\n')
				);
			});
		});

	return offers;
}
