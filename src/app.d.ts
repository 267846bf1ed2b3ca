import type { Logger } from 'pino';
import type { Actor } from '#server/auth/actor.ts';
import type { ProgrammeChoice } from '#server/domain/account/account.service.ts';
import type { Locale } from '$lib/i18n/core.ts';

declare global {
	namespace App {
		interface Error {
			code: string;
			message: string;
			errorId?: string;
		}
		interface Locals {
			requestId: string;
			logger: Logger;
			locale: Locale;
			/** The signed-in user, or null for a visitor. */
			actor: Actor | null;
			sessionToken: string | null;
			/** The programme the request's host name belongs to (set by the host handle when there is one). */
			programmeOfHost?: string | null;
			/** The programmes the signed-in person may act in (the switcher shows them when several). */
			programmes: ProgrammeChoice[];
			/** Several programmes and no valid choice yet: they pick one on /choose-programme. */
			mustChooseProgramme: boolean;
			/** The signed-in instance admin (programmes, suspension, usage on /instance), or null. */
			instanceAdmin: { userId: string; name: string; email: string } | null;
		}
	}
}

export {};
