import { expect, test } from 'vitest';
import { isDomainError } from '../../errors.ts';
import {
	connectionLevelsAtLeast,
	effectiveConnectionLevel,
	levelFromFibreShare,
	parseConnectivityCsv,
	quarterEndDate
} from './connectivity.rules.ts';

const ARCEP_SAMPLE = [
	"Réseaux en fibre optique jusqu'à l'abonné (FttH),,,,",
	'Déploiement par Commune,,,,',
	',,,,',
	',,,,',
	'Code commune,Champ,T3 2017,T4 2017,T1 2018',
	'32013,Locaux Raccordables,4842,5364,5808',
	'32013,Catégorie,25,25,25',
	'32117,Locaux Raccordables,211,211,245',
	'32117,Catégorie,50,50,80',
	'32001,Locaux Raccordables,0,0,0',
	'32001,Catégorie,0,0,0',
	''
].join('\n');

function errorOf(run: () => unknown): unknown {
	try {
		run();
	} catch (error) {
		return error;
	}
	return undefined;
}

test('the effective level is the override when staff set one, the imported level otherwise', () => {
	expect(effectiveConnectionLevel({ level: '30', overrideLevel: null })).toBe('30');
	expect(effectiveConnectionLevel({ level: '30', overrideLevel: 'gbit' })).toBe('gbit');
	expect(effectiveConnectionLevel({ level: null, overrideLevel: 'below_8' })).toBe('below_8');
	expect(effectiveConnectionLevel({ level: null, overrideLevel: null })).toBeNull();
});

test('"at least 30 Mbit/s" means 30, 100 and 1 Gbit/s', () => {
	expect(connectionLevelsAtLeast('30')).toEqual(['30', '100', 'gbit']);
	expect(connectionLevelsAtLeast('below_8')).toHaveLength(5);
	expect(connectionLevelsAtLeast('gbit')).toEqual(['gbit']);
});

test('a fibre share of 80 % or more means 1 Gbit/s; less leaves the level unknown, not slow', () => {
	expect(levelFromFibreShare(0.8)).toBe('gbit');
	expect(levelFromFibreShare(1)).toBe('gbit');
	expect(levelFromFibreShare(0.5)).toBeNull();
	expect(levelFromFibreShare(0)).toBeNull();
	expect(levelFromFibreShare(null)).toBeNull();
});

test('ARCEP quarters end on the last day of their third month', () => {
	expect(quarterEndDate('T1 2018')).toBe('2018-03-31');
	expect(quarterEndDate('T3 2017')).toBe('2017-09-30');
	expect(quarterEndDate('T4 2017')).toBe('2017-12-31');
	expect(quarterEndDate('Q1 2018')).toBeNull();
});

test('the ARCEP file gives each commune the lower bound of its category for the latest quarter', () => {
	const parsed = parseConnectivityCsv({ text: ARCEP_SAMPLE, file: 'ftth.csv', format: 'auto' });
	expect(parsed).toMatchObject({ format: 'arcep-ftth', quarter: 'T1 2018', measuredAt: '2018-03-31' });
	expect(parsed.rows.map(({ code, fibreShare, level }) => ({ code, fibreShare, level }))).toEqual([
		{ code: '32013', fibreShare: 0.25, level: null },
		{ code: '32117', fibreShare: 0.8, level: 'gbit' },
		{ code: '32001', fibreShare: 0, level: null }
	]);
	const older = parseConnectivityCsv({
		text: ARCEP_SAMPLE,
		file: 'ftth.csv',
		format: 'arcep-ftth',
		quarter: 'T3 2017'
	});
	expect(older.rows[1]).toMatchObject({ code: '32117', fibreShare: 0.5, level: null });
	expect(older.measuredAt).toBe('2017-09-30');
});

test('a levels file takes a level or a fibre share, with ; or , and an optional header', () => {
	const semicolon = parseConnectivityCsv({
		text: 'code_insee;level\n32013;100\n32433;below_8\n',
		file: 'levels.csv',
		format: 'auto'
	});
	expect(semicolon.format).toBe('levels');
	expect(semicolon.rows.map((r) => [r.code, r.level])).toEqual([
		['32013', '100'],
		['32433', 'below_8']
	]);
	const shares = parseConnectivityCsv({ text: '32013,0.9\n32433,0.3\n', file: 's.csv', format: 'levels' });
	expect(shares.rows.map((r) => [r.code, r.fibreShare, r.level])).toEqual([
		['32013', 0.9, 'gbit'],
		['32433', 0.3, null]
	]);
	const decimalComma = parseConnectivityCsv({
		text: 'code_insee;fibre_share\n32013;0,85\n',
		file: 'd.csv',
		format: 'auto'
	});
	expect(decimalComma.rows[0]).toMatchObject({ fibreShare: 0.85, level: 'gbit' });
});

test('a malformed file is refused with the line at fault', () => {
	const badLevel = errorOf(() =>
		parseConnectivityCsv({ text: 'code_insee;level\n32013;100\n32433;fast\n', file: 'l.csv', format: 'auto' })
	);
	expect(isDomainError(badLevel, 'connectivity.invalid_row')).toBe(true);
	expect((badLevel as { details: object }).details).toMatchObject({ line: 3, value: 'fast' });
	const badCategory = errorOf(() =>
		parseConnectivityCsv({
			text: ARCEP_SAMPLE.replace('32013,Catégorie,25,25,25', '32013,Catégorie,25,25,33'),
			file: 'f.csv',
			format: 'auto'
		})
	);
	expect(isDomainError(badCategory, 'connectivity.invalid_row')).toBe(true);
	expect(
		isDomainError(
			errorOf(() => parseConnectivityCsv({ text: '\n\n', file: 'e.csv', format: 'auto' })),
			'connectivity.empty_file'
		)
	).toBe(true);
	expect(
		isDomainError(
			errorOf(() => parseConnectivityCsv({ text: '32013;100\n', file: 'x.csv', format: 'arcep-ftth' })),
			'connectivity.unknown_format'
		)
	).toBe(true);
	expect(
		isDomainError(
			errorOf(() =>
				parseConnectivityCsv({ text: ARCEP_SAMPLE, file: 'f.csv', format: 'auto', quarter: 'T2 2018' })
			),
			'connectivity.unknown_quarter'
		)
	).toBe(true);
	expect(
		isDomainError(
			errorOf(() =>
				parseConnectivityCsv({ text: 'name;population\nAuch;22000\n', file: 'p.csv', format: 'auto' })
			),
			'connectivity.unknown_format'
		)
	).toBe(true);
	expect(
		isDomainError(
			errorOf(() => parseConnectivityCsv({ text: '32013;100\n32013;30\n', file: 'dup.csv', format: 'auto' })),
			'connectivity.duplicate_commune'
		)
	).toBe(true);
});
