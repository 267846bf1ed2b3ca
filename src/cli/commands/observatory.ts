import type { Command } from 'commander';
import { summariseSection } from '#domain/observatory/section-summary.ts';
import {
	computeObservatorySections,
	envelopeHead,
	isObservatorySection,
	observatorySectionNames,
	operatorObservatoryViewer
} from '#server/domain/observatory/observatory-report.service.ts';
import type { ObservatoryFiltersInput } from '#server/domain/observatory/observatory.schemas.ts';
import { translate } from '../../lib/i18n/index.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';

type ObservatoryOptions = {
	programme: string;
	from?: string;
	to?: string;
	cohort?: string;
	status?: string;
	sector?: string;
	commune?: string;
	source?: string;
	section?: string;
};

/**
 * `soho observatory --programme SLUG [--from YYYY --to YYYY] [--section NAME] [--json]`: every
 * section of the observatory (or one) computed by the same services as the pages and the API.
 * With --json, the API's envelope with `sections: {name: data}`; otherwise a readable summary.
 */
export function registerObservatoryCommands(program: Command, context: CliContext): Command {
	return program
		.command('observatory')
		.description('print the observatory’s indicators of a programme (all sections, or one)')
		.requiredOption('-p, --programme <slug>', 'the programme')
		.option('--from <year>', 'first year of the period (YYYY)')
		.option('--to <year>', 'last year of the period (YYYY)')
		.option('--cohort <year>', 'only households installed that year')
		.option('--status <status>', 'only candidates of this status')
		.option('--sector <sector>', 'only candidates of this sector (a key: digital, consulting, crafts…)')
		.option('--commune <code>', 'only households installed in this commune (INSEE code)')
		.option('--source <source>', 'only households that came through this channel')
		.option('--section <name>', `one section: ${observatorySectionNames().join(', ')}`)
		.action(async (options: ObservatoryOptions, command: Command) => {
			const { locale } = context;
			if (options.section && !isObservatorySection(options.section)) {
				throw new CliFailure(
					translate(locale, 'observatory_cli_unknown_section', {
						section: options.section,
						sections: observatorySectionNames().join(', ')
					}),
					EXIT.usage
				);
			}
			const input: Record<string, string> = {};
			for (const key of ['from', 'to', 'cohort', 'status', 'sector', 'commune', 'source'] as const) {
				if (options[key] !== undefined) input[key] = options[key];
			}
			// The observatory reads the replica of SOHO_READ_DATABASE_URL when set (else `readDb` is `db`).
			const result = await context.withDb(async ({ readDb: db }) => {
				const viewer = await operatorObservatoryViewer({ slug: options.programme }, { db });
				return computeObservatorySections(
					{
						viewer,
						input: input as ObservatoryFiltersInput,
						sections: options.section ? [options.section] : undefined
					},
					{ db }
				);
			});
			const head = envelopeHead(result.context);
			// Through JSON so that dates become ISO strings as in the API.
			const data = JSON.parse(JSON.stringify({ ...head, sections: result.sections }));
			context.output(command, data, () => {
				const lines = [
					translate(locale, 'observatory_cli_summary_title', {
						programme: head.programme.name,
						from: String(head.period.from),
						to: String(head.period.to)
					}) + (head.programme.synthetic ? ` ${translate(locale, 'observatory_cli_synthetic')}` : '')
				];
				for (const [name, section] of Object.entries(data.sections)) {
					lines.push('', translate(locale, 'observatory_cli_section', { section: name }));
					for (const line of summariseSection(section))
						lines.push(`  ${line.path}: ${line.value === null ? '–' : String(line.value)}`);
				}
				return lines.join('\n');
			});
		});
}
