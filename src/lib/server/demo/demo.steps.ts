import { accountsDemoSeedStep } from '../domain/account/account.seed.ts';
import { caseDemoSeedStep } from '../domain/case/case.seed.ts';
import { candidateSpaceDemoSeedStep } from '../domain/candidate-space/candidate-space.seed.ts';
import { eventDemoSeedStep } from '../domain/event/event.seed.ts';
import { eventRegistrationDemoSeedStep } from '../domain/event-registration/event-registration.seed.ts';
import { followUpDemoSeedStep } from '../domain/follow-up/follow-up.seed.ts';
import { matchingDemoSeedStep } from '../domain/matching/matching.seed.ts';
import { memberDemoSeedStep } from '../domain/member/member.seed.ts';
import { mailTemplateDemoSeedStep } from '../domain/mail-template/mail-template.seed.ts';
import { programmeSettingsDemoSeedStep } from '../domain/programme-settings/programme-settings.seed.ts';
import { offersDemoSeedStep } from '../domain/offer/offer.seed.ts';
import { privacyDemoSeedStep } from '../domain/privacy/privacy.seed.ts';
import { referralDemoSeedStep } from '../domain/referral/referral.seed.ts';
import { territoryDemoSeedStep } from '../domain/territory/territory.seed.ts';
import { villagesDemoSeedStep } from '../domain/village/village.seed.ts';
import { workspacesDemoSeedStep } from '../domain/workspace/workspace.seed.ts';
import { stayDemoSeedStep } from '../domain/discovery-stay/discovery-stay.seed.ts';
import type { DemoSeedStep } from './demo.types.ts';

/**
 * The demo seed, step by step, in dependency order. Each capability appends the
 * step exported by its `<area>.seed.ts`.
 */
export const DEMO_SEED_STEPS: DemoSeedStep[] = [
	territoryDemoSeedStep,
	accountsDemoSeedStep,
	programmeSettingsDemoSeedStep,
	villagesDemoSeedStep,
	workspacesDemoSeedStep,
	offersDemoSeedStep,
	caseDemoSeedStep,
	eventDemoSeedStep,
	eventRegistrationDemoSeedStep,
	followUpDemoSeedStep,
	referralDemoSeedStep,
	mailTemplateDemoSeedStep,
	memberDemoSeedStep,
	privacyDemoSeedStep,
	stayDemoSeedStep,
	candidateSpaceDemoSeedStep,
	matchingDemoSeedStep
];
