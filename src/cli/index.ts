import { Command } from 'commander';
import { registerConfigCommands } from './commands/config.ts';
import { registerConnectivityCommands } from './commands/connectivity.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerDemoCommands } from './commands/demo.ts';
import { registerExportCommands } from './commands/export.ts';
import { registerImportCommands } from './commands/import.ts';
import { registerJobsCommands } from './commands/jobs.ts';
import { registerGeoCommands } from './commands/geo.ts';
import { registerObservatoryCommands } from './commands/observatory.ts';
import { registerOfferCommands } from './commands/offers.ts';
import { registerPrivacyCommands } from './commands/privacy.ts';
import { registerProgrammeCommands } from './commands/programme.ts';
import { registerStatsCommands } from './commands/stats.ts';
import { registerTerritoryCommands } from './commands/territory.ts';
import { registerUserCommands } from './commands/user.ts';
import { createCliContext, describeFailure, EXIT } from './context.ts';

/**
 * The `soho` command. Each area registers its subcommands from cli/commands/<area>.ts;
 * commands parse arguments and call services, nothing more.
 */
export function buildProgram(): Command {
	const context = createCliContext();
	const program = new Command('soho')
		.description('soho: run a rural welcome programme and measure whether it works')
		.option('--json', 'print data as JSON')
		.showHelpAfterError()
		.exitOverride();
	registerConfigCommands(program, context);
	registerDbCommands(program, context);
	registerDemoCommands(program, context);
	registerJobsCommands(program, context);
	registerProgrammeCommands(program, context);
	registerTerritoryCommands(program, context);
	registerGeoCommands(program, context);
	registerUserCommands(program, context);
	registerConnectivityCommands(program, context);
	registerOfferCommands(program, context);
	registerImportCommands(program, context);
	registerExportCommands(program, context);
	registerStatsCommands(program, context);
	registerObservatoryCommands(program, context);
	registerPrivacyCommands(program, context);
	return program;
}

export async function runCli(argv: string[]): Promise<number> {
	const program = buildProgram();
	try {
		await program.parseAsync(argv, { from: 'user' });
		return EXIT.ok;
	} catch (error) {
		const { message, exitCode } = describeFailure(error, createCliContext().locale);
		if (message) process.stderr.write(`soho: ${message}\n`);
		return exitCode;
	}
}

const isMain = process.argv[1] && /(?:bin\/soho(?:\.js)?|cli\/index\.ts)$/.test(process.argv[1]);
if (isMain) {
	const code = await runCli(process.argv.slice(2));
	process.exitCode = code;
	// Let pending stdout flush, then leave even if a library kept a handle open.
	setTimeout(() => process.exit(code), 50).unref();
}
