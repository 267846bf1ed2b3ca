import type { Command } from 'commander';
import {
	generateNational,
	NATIONAL_SCALES,
	type GenerateNationalResult,
	type NationalProgress,
	type NationalScale
} from '#server/demo/demo-national.ts';
import { ValidationError } from '#server/validation.ts';
import { translate, type MessageKey } from '../../lib/i18n/index.ts';
import type { CliContext } from '../context.ts';

type GenerateOptions = {
	scale: string;
	programmes?: string;
	persons?: string;
	cases?: string;
	entries?: string;
	seed?: string;
	departement?: string[];
	reset?: boolean;
};

/** The option that sets each field of the generator, so that an error names what was typed. */
const FIELD_NAMES: Record<string, string> = {
	programmes: '--programmes',
	persons: '--persons',
	cases: '--cases',
	entries: '--entries',
	seed: '--seed',
	departements: '--departement'
};

/** A whole number as typed, or NaN (the generator's schema names the option then). */
const whole = (value: string | undefined) =>
	value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : Number.NaN;

/**
 * `soho demo generate --scale national|small`: the synthetic nation of issue 17 (see
 * src/lib/server/demo/demo-national.ts). Sizes come from the scale and may each be overridden.
 * PGlite is allowed (the tests use it at a tiny scale) with a warning above the small scale: a
 * nation is a PostgreSQL workload (set DATABASE_URL).
 */
export function registerDemoCommands(program: Command, context: CliContext): void {
	const t = (key: MessageKey, params?: Record<string, string | number>) =>
		translate(context.locale, key, params);
	const demo = program.command('demo').description('synthetic demonstration data');
	demo
		.command('generate')
		.description(
			'generate a synthetic nation: every commune of France, programmes, cases, persons, timelines'
		)
		.option(
			'--scale <scale>',
			`national (${describeScale('national')}) or small (${describeScale('small')})`,
			'national'
		)
		.option('--programmes <n>', 'number of programmes (each covers one or more départements)')
		.option('--persons <n>', 'number of persons (household members)')
		.option('--cases <n>', 'number of cases')
		.option('--entries <n>', 'number of timeline entries (stage changes and activities)')
		.option('--seed <n>', 'seed of the generator (same seed, same data)')
		.option('--departement <code...>', 'only these départements (default: all of France)')
		.option(
			'--reset',
			'delete the data of an earlier run first (refused if anything else is in the database)'
		)
		.action(async (options: GenerateOptions, command: Command) => {
			if (!(options.scale in NATIONAL_SCALES))
				throw new ValidationError([{ field: '--scale', code: 'demo.invalid_scale' }]);
			const scale = NATIONAL_SCALES[options.scale as NationalScale];
			const input = {
				programmes: whole(options.programmes) ?? scale.programmes,
				persons: whole(options.persons) ?? scale.persons,
				cases: whole(options.cases) ?? scale.cases,
				entries: whole(options.entries) ?? scale.entries,
				seed: whole(options.seed),
				departements: options.departement?.flatMap((d) => d.split(/[\s,]+/)).filter(Boolean),
				reset: options.reset === true
			};
			const result = await context.withDb(async (database) => {
				if (database.kind === 'pglite' && input.cases > NATIONAL_SCALES.small.cases)
					context.info(t('demo_generate_pglite_warning'));
				context.info(
					t('demo_generate_start', {
						programmes: input.programmes,
						persons: input.persons,
						cases: input.cases,
						entries: input.entries,
						database: database.description
					})
				);
				try {
					return await generateNational(input, {
						db: database.db,
						onProgress: (progress) => context.info(describeProgress(progress, t))
					});
				} catch (error) {
					if (!(error instanceof ValidationError)) throw error;
					// Name the options as typed on the command line.
					throw new ValidationError(
						error.issues.map((issue) => ({ ...issue, field: FIELD_NAMES[issue.field] ?? issue.field }))
					);
				}
			});
			context.output(command, result, () => describeResult(result, t));
		});
}

const PROGRESS_KEYS: Record<NationalProgress['step'], MessageKey> = {
	reset: 'demo_progress_reset',
	territory: 'demo_progress_territory',
	programmes: 'demo_progress_programmes',
	listings: 'demo_progress_listings',
	cases: 'demo_progress_cases',
	analyze: 'demo_progress_analyze'
};

function describeProgress(
	{ step, done, total, entries = 0, seconds }: NationalProgress,
	t: (key: MessageKey, params?: Record<string, string | number>) => string
): string {
	return t(PROGRESS_KEYS[step], { done, total, entries, seconds: Math.round(seconds) });
}

function describeScale(scale: NationalScale): string {
	const s = NATIONAL_SCALES[scale];
	return `${s.programmes} programmes, ${s.persons} persons, ${s.cases} cases, ${s.entries} entries`;
}

function describeResult(
	result: GenerateNationalResult,
	t: (key: MessageKey, params?: Record<string, string | number>) => string
): string {
	return [
		t('demo_generate_done', { seconds: Math.round(result.seconds) }),
		'  ' + t('demo_generate_territory', { communes: result.communes, departements: result.departements }),
		'  ' +
			t('demo_generate_programmes', {
				programmes: result.programmes,
				staff: result.staff,
				villages: result.villages,
				workspaces: result.workspaces,
				offers: result.offers,
				events: result.events
			}),
		'  ' +
			t('demo_generate_cases', {
				cases: result.cases,
				persons: result.persons,
				entries: result.stageChanges + result.activities,
				stageChanges: result.stageChanges,
				activities: result.activities
			}),
		'  ' + t('demo_generate_synthetic')
	].join('\n');
}
