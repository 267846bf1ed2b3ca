import enNational from '../../../../messages/en/national.json' with { type: 'json' };
import enEventAdmin from '../../../../messages/en/event_admin.json' with { type: 'json' };
import enVillageAdmin from '../../../../messages/en/village_admin.json' with { type: 'json' };
import enOrganisation from '../../../../messages/en/organisation.json' with { type: 'json' };
import enSetup from '../../../../messages/en/setup.json' with { type: 'json' };
import enFollowUp from '../../../../messages/en/follow_up.json' with { type: 'json' };
import enProgrammeSettings from '../../../../messages/en/programme_settings.json' with { type: 'json' };
import enMember from '../../../../messages/en/member.json' with { type: 'json' };
import enAmbassador from '../../../../messages/en/ambassador.json' with { type: 'json' };
import enCaseImport from '../../../../messages/en/case_import.json' with { type: 'json' };
import enCaseEdit from '../../../../messages/en/case_edit.json' with { type: 'json' };
import enAudit from '../../../../messages/en/audit.json' with { type: 'json' };
import enCommon from '../../../../messages/en/common.json' with { type: 'json' };
import enAccount from '../../../../messages/en/account.json' with { type: 'json' };
import enMail from '../../../../messages/en/mail.json' with { type: 'json' };
import enTerritory from '../../../../messages/en/territory.json' with { type: 'json' };
import enReference from '../../../../messages/en/reference.json' with { type: 'json' };
import enProgramme from '../../../../messages/en/programme.json' with { type: 'json' };
import enOps from '../../../../messages/en/ops.json' with { type: 'json' };
import enPortal from '../../../../messages/en/portal.json' with { type: 'json' };
import enCase from '../../../../messages/en/case.json' with { type: 'json' };
import enBackofficeCases from '../../../../messages/en/backoffice_cases.json' with { type: 'json' };
import enVillage from '../../../../messages/en/village.json' with { type: 'json' };
import enWorkspace from '../../../../messages/en/workspace.json' with { type: 'json' };
import enOffer from '../../../../messages/en/offer.json' with { type: 'json' };
import enBackofficeListings from '../../../../messages/en/backoffice_listings.json' with { type: 'json' };
import enApply from '../../../../messages/en/apply.json' with { type: 'json' };
import enPortalPages from '../../../../messages/en/portal_pages.json' with { type: 'json' };
import enEvent from '../../../../messages/en/event.json' with { type: 'json' };
import enAdvisorDashboard from '../../../../messages/en/advisor_dashboard.json' with { type: 'json' };
import enEventRegistration from '../../../../messages/en/event_registration.json' with { type: 'json' };
import enDigest from '../../../../messages/en/digest.json' with { type: 'json' };
import enReferral from '../../../../messages/en/referral.json' with { type: 'json' };
import enMailTemplate from '../../../../messages/en/mail_template.json' with { type: 'json' };
import enObservatory from '../../../../messages/en/observatory.json' with { type: 'json' };
import enObservatoryGeography from '../../../../messages/en/observatory_geography.json' with { type: 'json' };
import enObservatoryDurability from '../../../../messages/en/observatory_durability.json' with { type: 'json' };
import enObservatoryExports from '../../../../messages/en/observatory_exports.json' with { type: 'json' };
import enObservatoryApi from '../../../../messages/en/observatory_api.json' with { type: 'json' };
import enObservatorySummary from '../../../../messages/en/observatory_summary.json' with { type: 'json' };
import enObservatoryComparison from '../../../../messages/en/observatory_comparison.json' with { type: 'json' };
import enStats from '../../../../messages/en/stats.json' with { type: 'json' };
import enPeople from '../../../../messages/en/people.json' with { type: 'json' };
import enPrivacy from '../../../../messages/en/privacy.json' with { type: 'json' };
import enCandidateSpace from '../../../../messages/en/candidate_space.json' with { type: 'json' };
import enMatching from '../../../../messages/en/matching.json' with { type: 'json' };

import enStays from '../../../../messages/en/stays.json' with { type: 'json' };
import enDashboard from '../../../../messages/en/dashboard.json' with { type: 'json' };
import enVocabulary from '../../../../messages/en/vocabulary.json' with { type: 'json' };
import enDemo from '../../../../messages/en/demo.json' with { type: 'json' };
/**
 * Every English message: one file per business area (messages/en/<area>.json); keys are
 * `<area>_<context>_<element>` and unique across areas. The server, the CLI and the back office use it;
 * the public pages' browser code loads the lighter portal catalogue (portal-en.ts).
 */
export default {
	...enEventAdmin,
	...enVillageAdmin,
	...enOrganisation,
	...enSetup,
	...enFollowUp,
	...enProgrammeSettings,
	...enMember,
	...enAmbassador,
	...enCaseImport,
	...enCaseEdit,
	...enAudit,
	...enCommon,
	...enAccount,
	...enMail,
	...enTerritory,
	...enReference,
	...enProgramme,
	...enOps,
	...enPortal,
	...enCase,
	...enBackofficeCases,
	...enVillage,
	...enWorkspace,
	...enOffer,
	...enBackofficeListings,
	...enApply,
	...enPortalPages,
	...enEvent,
	...enAdvisorDashboard,
	...enEventRegistration,
	...enDigest,
	...enReferral,
	...enMailTemplate,
	...enObservatory,
	...enObservatoryGeography,
	...enObservatoryDurability,
	...enObservatoryExports,
	...enObservatoryApi,
	...enObservatorySummary,
	...enObservatoryComparison,
	...enStats,
	...enPeople,
	...enPrivacy,
	...enStays,
	...enCandidateSpace,
	...enMatching,
	...enDashboard,
	...enVocabulary,
	...enDemo,
	...enNational
};
