import { describe, expect, test } from 'vitest';
import {
	kaplanMeier,
	kaplanMeierByGroup,
	logRankTest,
	survivalAt,
	survivalObservation,
	survivalQuantile
} from './survival.ts';

/**
 * The `aml` data set of R's survival package (acute myelogenous leukaemia, Miller 1981, "Survival
 * Analysis", p. 49; `?survival::aml`): weeks until relapse, status 1 = relapse, 0 = censored,
 * x = whether chemotherapy was maintained.
 */
const MAINTAINED = {
	time: [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161],
	status: [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0]
};
const NONMAINTAINED = {
	time: [5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
	status: [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]
};
const flags = (status: number[]) => status.map((s) => s === 1);

function eventRows(times: number[], status: number[], confType: 'log-log' | 'log' | 'plain') {
	return kaplanMeier(times, flags(status), { confType }).steps.filter((s) => s.nEvent > 0);
}

describe('Kaplan–Meier on R survival::aml', () => {
	test('maintained group: survival, Greenwood standard errors and log CI as R summary(survfit(...))', () => {
		// R: summary(survfit(Surv(time, status) ~ 1, data = aml, subset = x == "Maintained"))
		// time n.risk n.event survival std.err lower 95% CI upper 95% CI
		//    9     11       1    0.909  0.0867       0.7541        1.000
		//   13     10       1    0.818  0.1163       0.6192        1.000
		//   18      8       1    0.716  0.1397       0.4884        1.000
		//   23      7       1    0.614  0.1526       0.3769        0.999
		//   31      5       1    0.491  0.1642       0.2549        0.946
		//   34      4       1    0.368  0.1627       0.1549        0.875
		//   48      2       1    0.184  0.1535       0.0359        0.944
		const rows = eventRows(MAINTAINED.time, MAINTAINED.status, 'log');
		const expected = [
			[9, 11, 0.909091, 0.0867, 0.7541, 1.0],
			[13, 10, 0.818182, 0.1163, 0.6192, 1.0],
			[18, 8, 0.715909, 0.1397, 0.4884, 1.0],
			[23, 7, 0.613636, 0.1526, 0.3769, 0.999],
			[31, 5, 0.490909, 0.1642, 0.2549, 0.946],
			[34, 4, 0.368182, 0.1627, 0.1549, 0.875],
			[48, 2, 0.184091, 0.1535, 0.0359, 0.944]
		];
		expect(rows).toHaveLength(expected.length);
		rows.forEach((row, i) => {
			const [time, nRisk, survival, stdErr, lower, upper] = expected[i];
			expect(row.time).toBe(time);
			expect(row.nRisk).toBe(nRisk);
			expect(row.survival).toBeCloseTo(survival, 6);
			expect(row.stdErr).toBeCloseTo(stdErr, 4);
			expect(row.lower).toBeCloseTo(lower, 4);
			expect(row.upper).toBeCloseTo(upper, 3);
		});
	});

	test('maintained group: log-log CI as R conf.type = "log-log" (checked with scipy.stats.ecdf)', () => {
		// scipy.stats.ecdf(CensoredData(...)).sf.confidence_interval(0.95, method="log-log"),
		// the same Kalbfleisch–Prentice interval as R's survfit(conf.type = "log-log").
		const rows = eventRows(MAINTAINED.time, MAINTAINED.status, 'log-log');
		const expected = [
			[0.50808, 0.986674],
			[0.447429, 0.951162],
			[0.35019, 0.899024],
			[0.265752, 0.835299],
			[0.167331, 0.7534],
			[0.09283, 0.657041],
			[0.011738, 0.525015]
		];
		rows.forEach((row, i) => {
			expect(row.lower).toBeCloseTo(expected[i][0], 5);
			expect(row.upper).toBeCloseTo(expected[i][1], 5);
		});
	});

	test('plain CI is clipped to [0, 1] (scipy method="linear")', () => {
		const rows = eventRows(MAINTAINED.time, MAINTAINED.status, 'plain');
		expect(rows[0].lower).toBeCloseTo(0.739204, 5);
		expect(rows[0].upper).toBe(1);
		expect(rows[6].lower).toBe(0);
		expect(rows[6].upper).toBeCloseTo(0.484931, 5);
	});

	test('nonmaintained group reaches zero; bounds are undefined there for log-log', () => {
		const rows = eventRows(NONMAINTAINED.time, NONMAINTAINED.status, 'log-log');
		const survival = [0.833333, 0.666667, 0.583333, 0.486111, 0.388889, 0.291667, 0.194444, 0.097222, 0];
		expect(rows.map((r) => r.time)).toEqual([5, 8, 12, 23, 27, 30, 33, 43, 45]);
		rows.forEach((row, i) => expect(row.survival).toBeCloseTo(survival[i], 6));
		expect(rows[0].lower).toBeCloseTo(0.481715, 5);
		expect(rows[0].upper).toBeCloseTo(0.955509, 5);
		expect(rows[8]).toMatchObject({ survival: 0, stdErr: null, lower: null, upper: null });
	});

	test('median survival is 31 weeks (maintained) and 23 weeks (nonmaintained), as print(survfit)', () => {
		const maintained = kaplanMeier(MAINTAINED.time, flags(MAINTAINED.status));
		const nonmaintained = kaplanMeier(NONMAINTAINED.time, flags(NONMAINTAINED.status));
		expect(maintained.median).toBe(31);
		expect(nonmaintained.median).toBe(23);
		// log-log bounds: the lower curve first drops below ½ at 13, the upper curve never does.
		expect(maintained.medianLower).toBe(13);
		expect(maintained.medianUpper).toBeNull();
		// R default "log" interval: median 31, 0.95LCL 18, 0.95UCL NA.
		const logCi = kaplanMeier(MAINTAINED.time, flags(MAINTAINED.status), { confType: 'log' });
		expect(logCi.medianLower).toBe(18);
		expect(logCi.medianUpper).toBeNull();
		// R: Nonmaintained median 23, 0.95LCL 8, 0.95UCL NA (the curve reaches 0 at 45, where the
		// upper bound is undefined, so no upper limit).
		const logNon = kaplanMeier(NONMAINTAINED.time, flags(NONMAINTAINED.status), { confType: 'log' });
		expect(logNon).toMatchObject({ median: 23, medianLower: 8, medianUpper: null });
	});

	test('survival at chosen times carries the risk table, and nothing beyond follow-up', () => {
		const km = kaplanMeier(MAINTAINED.time, flags(MAINTAINED.status));
		const [before, t12, t30, t200] = survivalAt(km, [5, 12, 30, 200]);
		expect(before).toMatchObject({ survival: 1, nRisk: 11, cumulativeEvents: 0, lower: null });
		expect(t12.survival).toBeCloseTo(0.909091, 6);
		expect(t12.lower).toBeCloseTo(0.50808, 5);
		expect(t12).toMatchObject({ nRisk: 10, cumulativeEvents: 1, cumulativeCensored: 0 });
		expect(t30.survival).toBeCloseTo(0.613636, 6);
		expect(t30).toMatchObject({ nRisk: 5, cumulativeEvents: 4, cumulativeCensored: 2 });
		expect(t200).toMatchObject({ survival: null, nRisk: 0, cumulativeEvents: 7 });
		// A subject whose time equals the requested time is still at risk at that time.
		expect(survivalAt(km, [13])[0].nRisk).toBe(10);
	});
});

describe('Kaplan–Meier edge cases', () => {
	test('at a tied time, events come before censorings', () => {
		const km = kaplanMeier([1, 1, 2], [true, false, true]);
		expect(km.steps[0]).toMatchObject({ time: 1, nRisk: 3, nEvent: 1, nCensor: 1 });
		expect(km.steps[0].survival).toBeCloseTo(2 / 3, 12);
		expect(km.steps[1]).toMatchObject({ time: 2, nRisk: 1, survival: 0 });
	});

	test('a curve sitting exactly at ½ gives the midpoint to the next drop, as R', () => {
		expect(kaplanMeier([1, 2, 3, 4], [true, true, true, true]).median).toBe(2.5);
		expect(survivalQuantile([1, 2], [0.5, 0.5], 0.5)).toBe(1);
	});

	test('all censored: survival stays 1 and there is no median', () => {
		const km = kaplanMeier([3, 1, 2], [false, false, false]);
		expect(km.nEvents).toBe(0);
		expect(km.steps.every((s) => s.survival === 1)).toBe(true);
		expect(km.median).toBeNull();
	});

	test('empty input gives an empty table; mismatched or invalid input throws', () => {
		const km = kaplanMeier([], []);
		expect(km).toMatchObject({ n: 0, nEvents: 0, steps: [], median: null });
		expect(survivalAt(km, [1])[0]).toMatchObject({ survival: null, nRisk: 0 });
		expect(() => kaplanMeier([1, 2], [true])).toThrow(/event flags/);
		expect(() => kaplanMeier([Number.NaN], [true])).toThrow(/finite/);
		expect(() => kaplanMeier([1], [true], { confLevel: 1 })).toThrow(/confLevel/);
	});
});

describe('log-rank test', () => {
	test('aml: chisq = 3.4 on 1 df, p = 0.0653 as R survdiff(Surv(time, status) ~ x, data = aml)', () => {
		// R:               N Observed Expected (O-E)^2/E (O-E)^2/V
		//   x=Maintained   11        7    10.69      1.27       3.4
		//   x=Nonmaintained 12      11     7.31      1.86       3.4
		//   Chisq= 3.4  on 1 degrees of freedom, p= 0.0653
		// scipy.stats.logrank gives z = −1.8429293798129105 (z² = 3.39638), p = 0.06533932204050502.
		const time = [...MAINTAINED.time, ...NONMAINTAINED.time];
		const status = flags([...MAINTAINED.status, ...NONMAINTAINED.status]);
		const group = [
			...MAINTAINED.time.map(() => 'Maintained'),
			...NONMAINTAINED.time.map(() => 'Nonmaintained')
		];
		const result = logRankTest(time, status, group);
		expect(result.df).toBe(1);
		expect(result.statistic).toBeCloseTo(1.8429293798129105 ** 2, 10);
		expect(result.pValue).toBeCloseTo(0.06533932204050502, 10);
		const [maintained, nonmaintained] = result.groups;
		expect(maintained).toMatchObject({ group: 'Maintained', n: 11, observed: 7 });
		expect(maintained.expected).toBeCloseTo(10.69, 2);
		expect(maintained.chiSquareContribution).toBeCloseTo(1.27, 2);
		expect(maintained.varianceContribution).toBeCloseTo(3.4, 1);
		expect(nonmaintained).toMatchObject({ group: 'Nonmaintained', n: 12, observed: 11 });
		expect(nonmaintained.expected).toBeCloseTo(7.31, 2);
		expect(nonmaintained.chiSquareContribution).toBeCloseTo(1.86, 2);
	});

	test('three groups: k − 1 df, the same statistic whatever the group order', () => {
		// Independent check with NumPy: X² = U[:2]ᵀ V[:2, :2]⁻¹ U[:2] = 2.7515184947718554,
		// p = chi2.sf(X², 2) = 0.25264770085965865.
		const time = [3, 5, 5, 7, 8, 10, 12, 12, 14, 2, 4, 4, 6, 9, 9, 11, 1, 2, 3, 3, 6, 7, 13];
		const status = flags([1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0]);
		const group = [...'aaaaaaaaa', ...'bbbbbbb', ...'ccccccc'];
		const result = logRankTest(time, status, group);
		expect(result.df).toBe(2);
		expect(result.statistic).toBeCloseTo(2.7515184947718554, 10);
		expect(result.pValue).toBeCloseTo(0.25264770085965865, 10);
		expect(result.groups.map((g) => g.observed)).toEqual([6, 6, 5]);
		const reversed = logRankTest([...time].reverse(), [...status].reverse(), [...group].reverse());
		expect(reversed.groups.map((g) => g.group)).toEqual(['c', 'b', 'a']);
		expect(reversed.statistic).toBeCloseTo(result.statistic, 10);
	});

	test('no events: statistic 0 on 0 df, p = 1; one group only throws', () => {
		expect(logRankTest([1, 2], [false, false], ['a', 'b'])).toMatchObject({
			statistic: 0,
			df: 0,
			pValue: 1
		});
		expect(() => logRankTest([1, 2], [true, true], ['a', 'a'])).toThrow(/two groups/);
	});
});

describe('building survival data', () => {
	test('one curve per group, in order of first appearance', () => {
		const time = [...MAINTAINED.time, ...NONMAINTAINED.time];
		const status = flags([...MAINTAINED.status, ...NONMAINTAINED.status]);
		const group = [...MAINTAINED.time.map(() => 'M'), ...NONMAINTAINED.time.map(() => 'N')];
		const curves = kaplanMeierByGroup(time, status, group);
		expect(curves.map((c) => [c.group, c.km.n, c.km.median])).toEqual([
			['M', 11, 31],
			['N', 12, 23]
		]);
	});

	test('an event ends follow-up at its date, otherwise the last sign of life censors it', () => {
		expect(
			survivalObservation({ start: '2020-01-01', event: '2021-01-01', lastSeen: '2024-06-01' }, 'days')
		).toEqual({ time: 366, event: true });
		const censored = survivalObservation({ start: '2020-01-01', event: null, lastSeen: '2023-01-01' });
		expect(censored.event).toBe(false);
		expect(censored.time).toBeCloseTo(1096 / 365.25, 12);
		expect(() => survivalObservation({ start: '2022-01-01', event: null, lastSeen: '2021-01-01' })).toThrow(
			/precedes/
		);
		expect(() => survivalObservation({ start: 'soon', event: null, lastSeen: '2021-01-01' })).toThrow(
			/not a valid date/
		);
	});
});
