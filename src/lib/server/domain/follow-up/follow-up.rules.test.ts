import { describe, expect, test } from 'vitest';
import {
	addMonths,
	checkQuestionnaire,
	checkSettings,
	DEFAULT_QUESTIONS,
	DEFAULT_WAVE_MONTHS,
	departureOf,
	departureReasonText,
	isWaveDue,
	parseSurveyAnswers,
	questionsForWave,
	reminderDue
} from './follow-up.rules.ts';

describe('follow-up rules', () => {
	test('months are added on the calendar, clamped to the end of shorter months', () => {
		expect(addMonths('2025-11-20', 12)).toBe('2026-11-20');
		expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
		expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
		expect(addMonths('2026-03-15', -12)).toBe('2025-03-15');
		expect(addMonths('2025-12-10', 6)).toBe('2026-06-10');
	});

	test('a wave is due from its date and for 60 days, never for long-installed households', () => {
		expect(isWaveDue('2025-11-26', 12, '2026-11-26')).toBe(true);
		expect(isWaveDue('2025-11-27', 12, '2026-11-26')).toBe(false);
		expect(isWaveDue('2025-09-28', 12, '2026-11-26')).toBe(true);
		expect(isWaveDue('2025-09-27', 12, '2026-11-26')).toBe(false);
		expect(isWaveDue('2008-05-01', 60, '2026-11-26')).toBe(false);
	});

	test('reminders come after 7 days, then after 14, once each', () => {
		const sentAt = new Date('2026-11-01T09:00:00Z');
		const at = (days: number) => new Date(sentAt.getTime() + days * 86_400_000);
		expect(reminderDue({ sentAt, reminded7At: null, reminded14At: null }, at(6.9))).toBeNull();
		expect(reminderDue({ sentAt, reminded7At: null, reminded14At: null }, at(7))).toBe(7);
		// A late run sends the first reminder first.
		expect(reminderDue({ sentAt, reminded7At: null, reminded14At: null }, at(15))).toBe(7);
		expect(reminderDue({ sentAt, reminded7At: at(7), reminded14At: null }, at(13))).toBeNull();
		expect(reminderDue({ sentAt, reminded7At: at(7), reminded14At: null }, at(14))).toBe(14);
		expect(reminderDue({ sentAt, reminded7At: at(7), reminded14At: at(14) }, at(30))).toBeNull();
	});

	test('the attribution question is asked at 12 months only', () => {
		const keys = (wave: number) => questionsForWave(DEFAULT_QUESTIONS, wave).map((q) => q.key);
		expect(keys(12)).toContain('would_move_without_programme');
		expect(keys(6)).not.toContain('would_move_without_programme');
		expect(keys(6)).toEqual(expect.arrayContaining(['living_here', 'satisfaction', 'intention_to_stay']));
	});

	test('answers are parsed by type; "where" and "why" count only for households that left', () => {
		const questions = questionsForWave(DEFAULT_QUESTIONS, 6);
		const stayed = parseSurveyAnswers(questions, {
			living_here: 'yes',
			moved_to: 'Paris',
			satisfaction: '5',
			jobs_created: ' 3 ',
			associations_joined: ''
		});
		expect(stayed.issues).toEqual([]);
		expect(stayed.answers).toMatchObject({
			living_here: 'yes',
			moved_to: null,
			satisfaction: 5,
			jobs_created: 3,
			associations_joined: null
		});
		expect(departureOf(stayed.answers)).toBeNull();
		const left = parseSurveyAnswers(questions, {
			living_here: 'no',
			moved_to: 'Bordeaux',
			moved_why: 'Travail',
			satisfaction: '2'
		});
		expect(departureOf(left.answers)).toEqual({ movedTo: 'Bordeaux', reason: 'Travail' });
		expect(departureReasonText({ movedTo: 'Bordeaux', reason: 'Travail' })).toBe('Travail → Bordeaux');
		expect(departureReasonText({ movedTo: null, reason: null })).toBe('—');
		expect(
			parseSurveyAnswers(questions, { living_here: 'yes', satisfaction: '3.5', jobs_created: '1e3' }).issues
		).toEqual([
			{ field: 'jobs_created', code: 'follow_up.invalid_number' },
			{ field: 'satisfaction', code: 'follow_up.invalid_scale' }
		]);
	});

	test('a questionnaire needs French labels, two options per choice, unique keys and known waves', () => {
		expect(checkQuestionnaire(DEFAULT_QUESTIONS, DEFAULT_WAVE_MONTHS)).toEqual([]);
		expect(checkQuestionnaire([], DEFAULT_WAVE_MONTHS)).toEqual([
			{ field: 'questions', code: 'follow_up.questionnaire_empty' }
		]);
		expect(
			checkQuestionnaire(
				[
					{ key: 'a', type: 'text', labelFr: 'A', labelEn: '', required: false, waves: [18] },
					{ key: 'a', type: 'choice', labelFr: ' ', labelEn: '', required: false, options: [] },
					{
						key: 'b',
						type: 'text',
						labelFr: 'B',
						labelEn: '',
						required: false,
						showIf: { key: 'z', equals: 'no' }
					}
				],
				DEFAULT_WAVE_MONTHS
			)
		).toEqual([
			{ field: 'questions.0.waves', code: 'follow_up.invalid_waves' },
			{ field: 'questions.1.labelFr', code: 'follow_up.label_required' },
			{ field: 'questions.1.key', code: 'follow_up.duplicate_key' },
			{ field: 'questions.1.options', code: 'follow_up.options_required' },
			{ field: 'questions.2.showIf', code: 'follow_up.invalid_condition' }
		]);
	});

	test('settings: increasing waves between 1 and 240 months, a silence of 1 to 120 months', () => {
		expect(checkSettings({ waveMonths: [6, 12, 24], silenceMonths: 12 })).toEqual([]);
		expect(checkSettings({ waveMonths: [12, 6], silenceMonths: 0 })).toEqual([
			{ field: 'waveMonths', code: 'follow_up.invalid_waves' },
			{ field: 'silenceMonths', code: 'follow_up.invalid_silence' }
		]);
		expect(checkSettings({ waveMonths: [], silenceMonths: Number.NaN }).map((i) => i.field)).toEqual([
			'waveMonths',
			'silenceMonths'
		]);
	});
});
