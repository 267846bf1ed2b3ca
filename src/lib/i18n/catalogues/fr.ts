import frNational from '../../../../messages/fr/national.json' with { type: 'json' };
import frEventAdmin from '../../../../messages/fr/event_admin.json' with { type: 'json' };
import frVillageAdmin from '../../../../messages/fr/village_admin.json' with { type: 'json' };
import frOrganisation from '../../../../messages/fr/organisation.json' with { type: 'json' };
import frSetup from '../../../../messages/fr/setup.json' with { type: 'json' };
import frFollowUp from '../../../../messages/fr/follow_up.json' with { type: 'json' };
import frProgrammeSettings from '../../../../messages/fr/programme_settings.json' with { type: 'json' };
import frMember from '../../../../messages/fr/member.json' with { type: 'json' };
import frAmbassador from '../../../../messages/fr/ambassador.json' with { type: 'json' };
import frCaseImport from '../../../../messages/fr/case_import.json' with { type: 'json' };
import frCaseEdit from '../../../../messages/fr/case_edit.json' with { type: 'json' };
import frAudit from '../../../../messages/fr/audit.json' with { type: 'json' };
import frCommon from '../../../../messages/fr/common.json' with { type: 'json' };
import frAccount from '../../../../messages/fr/account.json' with { type: 'json' };
import frMail from '../../../../messages/fr/mail.json' with { type: 'json' };
import frTerritory from '../../../../messages/fr/territory.json' with { type: 'json' };
import frReference from '../../../../messages/fr/reference.json' with { type: 'json' };
import frProgramme from '../../../../messages/fr/programme.json' with { type: 'json' };
import frOps from '../../../../messages/fr/ops.json' with { type: 'json' };
import frPortal from '../../../../messages/fr/portal.json' with { type: 'json' };
import frCase from '../../../../messages/fr/case.json' with { type: 'json' };
import frBackofficeCases from '../../../../messages/fr/backoffice_cases.json' with { type: 'json' };
import frVillage from '../../../../messages/fr/village.json' with { type: 'json' };
import frWorkspace from '../../../../messages/fr/workspace.json' with { type: 'json' };
import frOffer from '../../../../messages/fr/offer.json' with { type: 'json' };
import frBackofficeListings from '../../../../messages/fr/backoffice_listings.json' with { type: 'json' };
import frApply from '../../../../messages/fr/apply.json' with { type: 'json' };
import frPortalPages from '../../../../messages/fr/portal_pages.json' with { type: 'json' };
import frEvent from '../../../../messages/fr/event.json' with { type: 'json' };
import frAdvisorDashboard from '../../../../messages/fr/advisor_dashboard.json' with { type: 'json' };
import frEventRegistration from '../../../../messages/fr/event_registration.json' with { type: 'json' };
import frDigest from '../../../../messages/fr/digest.json' with { type: 'json' };
import frReferral from '../../../../messages/fr/referral.json' with { type: 'json' };
import frMailTemplate from '../../../../messages/fr/mail_template.json' with { type: 'json' };
import frObservatory from '../../../../messages/fr/observatory.json' with { type: 'json' };
import frObservatoryGeography from '../../../../messages/fr/observatory_geography.json' with { type: 'json' };
import frObservatoryDurability from '../../../../messages/fr/observatory_durability.json' with { type: 'json' };
import frObservatoryExports from '../../../../messages/fr/observatory_exports.json' with { type: 'json' };
import frObservatoryApi from '../../../../messages/fr/observatory_api.json' with { type: 'json' };
import frObservatorySummary from '../../../../messages/fr/observatory_summary.json' with { type: 'json' };
import frObservatoryComparison from '../../../../messages/fr/observatory_comparison.json' with { type: 'json' };
import frStats from '../../../../messages/fr/stats.json' with { type: 'json' };
import frPeople from '../../../../messages/fr/people.json' with { type: 'json' };
import frPrivacy from '../../../../messages/fr/privacy.json' with { type: 'json' };
import frCandidateSpace from '../../../../messages/fr/candidate_space.json' with { type: 'json' };
import frMatching from '../../../../messages/fr/matching.json' with { type: 'json' };

import frStays from '../../../../messages/fr/stays.json' with { type: 'json' };
import frDashboard from '../../../../messages/fr/dashboard.json' with { type: 'json' };
import frVocabulary from '../../../../messages/fr/vocabulary.json' with { type: 'json' };
import frDemo from '../../../../messages/fr/demo.json' with { type: 'json' };
/**
 * Every French message: one file per business area (messages/fr/<area>.json); keys are
 * `<area>_<context>_<element>` and unique across areas. The server, the CLI and the back office use it;
 * the public pages' browser code loads the lighter portal catalogue (portal-fr.ts).
 */
export default {
	...frEventAdmin,
	...frVillageAdmin,
	...frOrganisation,
	...frSetup,
	...frFollowUp,
	...frProgrammeSettings,
	...frMember,
	...frAmbassador,
	...frCaseImport,
	...frCaseEdit,
	...frAudit,
	...frCommon,
	...frAccount,
	...frMail,
	...frTerritory,
	...frReference,
	...frProgramme,
	...frOps,
	...frPortal,
	...frCase,
	...frBackofficeCases,
	...frVillage,
	...frWorkspace,
	...frOffer,
	...frBackofficeListings,
	...frApply,
	...frPortalPages,
	...frEvent,
	...frAdvisorDashboard,
	...frEventRegistration,
	...frDigest,
	...frReferral,
	...frMailTemplate,
	...frObservatory,
	...frObservatoryGeography,
	...frObservatoryDurability,
	...frObservatoryExports,
	...frObservatoryApi,
	...frObservatorySummary,
	...frObservatoryComparison,
	...frStats,
	...frPeople,
	...frPrivacy,
	...frStays,
	...frCandidateSpace,
	...frMatching,
	...frDashboard,
	...frVocabulary,
	...frDemo,
	...frNational
};
