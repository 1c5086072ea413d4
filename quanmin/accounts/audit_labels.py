"""What each audit action code means, in the reader's language (the log page, its filter, exports).

Every code an app passes to `audit.record` has a label here, and so does every field a read of
personal data names; tests/web/test_audit_page.py reads the source for every code and field and
fails on one without a label. A code not listed (an old entry) is shown as "Other action", never raw.
"""

from django.apps import apps as django_apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

# Each label is in the context "audit action", apart from the same words elsewhere ("Created" is
# also a column's name).
ACTION_LABELS = {
    # Accounts and sign-in
    "sign_in": pgettext_lazy("audit action", "Signed in"),
    "sign_in_failed": pgettext_lazy("audit action", "Failed sign-in"),
    "sign_out": pgettext_lazy("audit action", "Signed out"),
    "register": pgettext_lazy("audit action", "Registered"),
    "lift_lockout": pgettext_lazy("audit action", "Sign-in lock lifted"),
    "grant_role": pgettext_lazy("audit action", "Role granted"),
    "revoke_role": pgettext_lazy("audit action", "Role taken away"),
    "create_token": pgettext_lazy("audit action", "API token created"),
    "revoke_token": pgettext_lazy("audit action", "API token revoked"),
    "consent_given": pgettext_lazy("audit action", "Consent given"),
    "consent_withdrawn": pgettext_lazy("audit action", "Consent withdrawn"),
    "read_personal": pgettext_lazy("audit action", "Personal data read"),
    "list_personal": pgettext_lazy("audit action", "List of people read"),
    "export_own_data": pgettext_lazy("audit action", "Own data downloaded"),
    "delete_own_data": pgettext_lazy("audit action", "Own data erased"),
    "cityapp_sign_in": pgettext_lazy("audit action", "Signed in through the city app"),
    "cityapp_sign_in_failed": pgettext_lazy("audit action", "Failed sign-in through the city app"),
    "cityapp_link": pgettext_lazy("audit action", "Linked to the city app"),
    "cityapp_unlink": pgettext_lazy("audit action", "Unlinked from the city app"),
    "set_password": pgettext_lazy("audit action", "Password set"),
    # Any register
    "create": pgettext_lazy("audit action", "Created"),
    "update": pgettext_lazy("audit action", "Changed"),
    "delete": pgettext_lazy("audit action", "Deleted"),
    "close": pgettext_lazy("audit action", "Closed"),
    "import": pgettext_lazy("audit action", "Imported"),
    "export": pgettext_lazy("audit action", "Exported"),
    "set_status": pgettext_lazy("audit action", "Status changed"),
    "set_rule": pgettext_lazy("audit action", "Rule changed"),
    "publish": pgettext_lazy("audit action", "Published"),
    "unpublish": pgettext_lazy("audit action", "Publication withdrawn"),
    # Booking
    "generate_slots": pgettext_lazy("audit action", "Time slots generated"),
    "update_template": pgettext_lazy("audit action", "Weekly hours changed"),
    "remove_template": pgettext_lazy("audit action", "Weekly hours removed"),
    "block_time": pgettext_lazy("audit action", "Time blocked"),
    "unblock_time": pgettext_lazy("audit action", "Time unblocked"),
    "block_book": pgettext_lazy("audit action", "Block booking"),
    "book_override": pgettext_lazy("audit action", "Booked by staff past a rule"),
    "walk_in": pgettext_lazy("audit action", "Walk-in booked"),
    "confirm": pgettext_lazy("audit action", "Confirmed"),
    "cancel": pgettext_lazy("audit action", "Booking cancelled"),
    "check_in": pgettext_lazy("audit action", "Checked in"),
    "waitlist_join": pgettext_lazy("audit action", "Joined a waiting list"),
    "payment_simulated": pgettext_lazy("audit action", "Payment (simulated)"),
    "forgive_strike": pgettext_lazy("audit action", "No-show forgiven"),
    "certificate_upload": pgettext_lazy("audit action", "Certificate sent"),
    "verify_certificate": pgettext_lazy("audit action", "Certificate verified"),
    "reject_certificate": pgettext_lazy("audit action", "Certificate rejected"),
    "visit_count": pgettext_lazy("audit action", "Visitors counted"),
    "open_booking": pgettext_lazy("audit action", "Booking opened"),
    # Physique
    "physique_result": pgettext_lazy("audit action", "Physique result recorded"),
    "physique_prescription": pgettext_lazy("audit action", "Exercise prescription made"),
    "physique_rescore": pgettext_lazy("audit action", "Physique results rescored"),
    "exercise_grade": pgettext_lazy("audit action", "Exercise standard grade recorded"),
    "exercise_grade_annulled": pgettext_lazy("audit action", "Exercise standard grade annulled"),
    "book_physique_session": pgettext_lazy("audit action", "Physique test booked"),
    "refer": pgettext_lazy("audit action", "Resident referred to a sport–medicine site"),
    "accept_referral": pgettext_lazy("audit action", "Referral accepted"),
    "decline_referral": pgettext_lazy("audit action", "Referral declined"),
    "prescribe": pgettext_lazy("audit action", "Prescription given on a referral"),
    "import_results": pgettext_lazy("audit action", "Results imported"),
    # Equipment, inspections, repairs, reports
    "equipment.create": pgettext_lazy("audit action", "Equipment added"),
    "equipment.update": pgettext_lazy("audit action", "Equipment changed"),
    "equipment.status": pgettext_lazy("audit action", "Equipment status changed"),
    "equipment.import": pgettext_lazy("audit action", "Equipment imported"),
    "inspection_plan.create": pgettext_lazy("audit action", "Inspection plan created"),
    "inspection_plan.update": pgettext_lazy("audit action", "Inspection plan changed"),
    "inspection.check": pgettext_lazy("audit action", "Equipment checked"),
    "inspection.tick": pgettext_lazy("audit action", "Inspection rounds updated"),
    "maintenance_unit.create": pgettext_lazy("audit action", "Maintenance unit added"),
    "maintenance_unit.update": pgettext_lazy("audit action", "Maintenance unit changed"),
    "maintenance_unit.deactivate": pgettext_lazy("audit action", "Maintenance unit stopped"),
    "work_order.create": pgettext_lazy("audit action", "Work order opened"),
    "work_order.assign": pgettext_lazy("audit action", "Work order assigned"),
    "work_order.start": pgettext_lazy("audit action", "Repair started"),
    "work_order.done": pgettext_lazy("audit action", "Repair done"),
    "work_order.verify": pgettext_lazy("audit action", "Repair accepted"),
    "work_order.refuse": pgettext_lazy("audit action", "Repair sent back"),
    "work_order.cancel": pgettext_lazy("audit action", "Work order cancelled"),
    "work_order.photo": pgettext_lazy("audit action", "Repair photo added"),
    "work_order.replacements": pgettext_lazy("audit action", "Replacements recorded"),
    "work_order.export": pgettext_lazy("audit action", "Work orders exported"),
    "feedback_settings.save": pgettext_lazy("audit action", "Report settings changed"),
    "report.create": pgettext_lazy("audit action", "Report received"),
    "report.respond": pgettext_lazy("audit action", "Report answered"),
    "report.note": pgettext_lazy("audit action", "Report updated"),
    "report.escalate": pgettext_lazy("audit action", "Report escalated"),
    "report.work_order": pgettext_lazy("audit action", "Report sent for repair"),
    "report.resolve": pgettext_lazy("audit action", "Report resolved"),
    "report.reject": pgettext_lazy("audit action", "Report not accepted"),
    "report.rate": pgettext_lazy("audit action", "Report rated"),
    "report.photo": pgettext_lazy("audit action", "Report photo added"),
    # Instructors
    "apply": pgettext_lazy("audit action", "Applied"),
    "review": pgettext_lazy("audit action", "Reviewed"),
    "approve": pgettext_lazy("audit action", "Approved"),
    "reject": pgettext_lazy("audit action", "Not approved"),
    "promote": pgettext_lazy("audit action", "Promoted"),
    "appoint": pgettext_lazy("audit action", "Appointed"),
    "enrol": pgettext_lazy("audit action", "Enrolled"),
    "training_result": pgettext_lazy("audit action", "Training result recorded"),
    "contest_result": pgettext_lazy("audit action", "Contest result recorded"),
    "ask_guidance": pgettext_lazy("audit action", "Asked for guidance"),
    "answer_guidance": pgettext_lazy("audit action", "Guidance answered"),
    # Organisations and groups
    "organization.create": pgettext_lazy("audit action", "Organisation registered"),
    "organization.update": pgettext_lazy("audit action", "Organisation changed"),
    "organization.approve": pgettext_lazy("audit action", "Organisation approved"),
    "organization.reject": pgettext_lazy("audit action", "Organisation not approved"),
    "organization.grading": pgettext_lazy("audit action", "Grading recorded"),
    "organization.grading_removed": pgettext_lazy("audit action", "Grading removed"),
    "organization.amateur_grade": pgettext_lazy("audit action", "Amateur grade awarded"),
    "organization.contract": pgettext_lazy("audit action", "Service contract recorded"),
    "organization.contract_evidence": pgettext_lazy("audit action", "Contract evidence added"),
    "organization.contract_decision": pgettext_lazy("audit action", "Contract delivery decided"),
    "organization.contract_payment": pgettext_lazy("audit action", "Contract payment recorded"),
    "association.enrol": pgettext_lazy("audit action", "Instructor enrolled in an association"),
    "association.remove": pgettext_lazy("audit action", "Instructor left an association"),
    "group.join": pgettext_lazy("audit action", "Asked to join a group"),
    "group.accept": pgettext_lazy("audit action", "Group member accepted"),
    "group.refuse": pgettext_lazy("audit action", "Group member refused"),
    "group.leave": pgettext_lazy("audit action", "Left a group"),
    "group.announce": pgettext_lazy("audit action", "Group announcement sent"),
    # Games and events
    "add_competition": pgettext_lazy("audit action", "Competition added"),
    "update_competition": pgettext_lazy("audit action", "Competition changed"),
    "add_delegation": pgettext_lazy("audit action", "Delegation added"),
    "enter_athlete": pgettext_lazy("audit action", "Athlete entered"),
    "approve_entry": pgettext_lazy("audit action", "Entry approved"),
    "reject_entry": pgettext_lazy("audit action", "Entry not approved"),
    "withdraw_entry": pgettext_lazy("audit action", "Entry withdrawn"),
    "cancel_entry": pgettext_lazy("audit action", "Entry withdrawn: event cancelled"),
    "cancel_games": pgettext_lazy("audit action", "Games or event cancelled"),
    "export_entries": pgettext_lazy("audit action", "Entries exported"),
    "record_result": pgettext_lazy("audit action", "Result recorded"),
    "submit_result": pgettext_lazy("audit action", "Result sent for review"),
    "review_result": pgettext_lazy("audit action", "Result reviewed"),
    "issue_awards": pgettext_lazy("audit action", "Awards issued"),
    "promote_sport": pgettext_lazy("audit action", "Promoted sport named"),
    "drop_promoted_sport": pgettext_lazy("audit action", "Promoted sport removed"),
    "register_brand": pgettext_lazy("audit action", "Brand registered"),
    "update_brand": pgettext_lazy("audit action", "Brand changed"),
    "retire_brand": pgettext_lazy("audit action", "Brand retired"),
    "reinstate_brand": pgettext_lazy("audit action", "Brand held again"),
    "link_brand": pgettext_lazy("audit action", "Event linked to its brand"),
    "import_brands": pgettext_lazy("audit action", "Brands imported"),
    "appoint_judge": pgettext_lazy("audit action", "Judge appointed"),
    "appoint_leader": pgettext_lazy("audit action", "Delegation leader appointed"),
    "dismiss_official": pgettext_lazy("audit action", "Official dismissed"),
    # Surveys
    "funding.lottery_save": pgettext_lazy("audit action", "Sports-lottery fund recorded"),
    "funding.lottery_delete": pgettext_lazy("audit action", "Sports-lottery fund removed"),
    "funding.project_save": pgettext_lazy("audit action", "Funded project saved"),
    "funding.project_delete": pgettext_lazy("audit action", "Funded project removed"),
    "funding.import": pgettext_lazy("audit action", "Project funding table imported"),
    "youth.school_save": pgettext_lazy("audit action", "School saved in the youth register"),
    "youth.return_save": pgettext_lazy("audit action", "School term return recorded"),
    "youth.return_delete": pgettext_lazy("audit action", "School term return removed"),
    "youth.import": pgettext_lazy("audit action", "School term returns imported"),
    "inclusive.institution_save": pgettext_lazy("audit action", "Institution saved in the special-populations register"),
    "inclusive.fitting_save": pgettext_lazy("audit action", "Fitting of an institution recorded"),
    "inclusive.fitting_delete": pgettext_lazy("audit action", "Fitting of an institution removed"),
    "inclusive.activity_save": pgettext_lazy("audit action", "Programme activity for a special population recorded"),
    "inclusive.activity_delete": pgettext_lazy("audit action", "Programme activity for a special population removed"),
    "inclusive.import": pgettext_lazy("audit action", "Special-populations institutions imported"),
    "outreach.lecture_create": pgettext_lazy("audit action", "Fitness lecture scheduled"),
    "outreach.lecture_update": pgettext_lazy("audit action", "Fitness lecture changed"),
    "outreach.lecture_cancel": pgettext_lazy("audit action", "Fitness lecture cancelled"),
    "outreach.lecture_audience": pgettext_lazy("audit action", "Lecture audience recorded"),
    "outreach.signup": pgettext_lazy("audit action", "Signed up for a lecture"),
    "outreach.signup_cancel": pgettext_lazy("audit action", "Lecture sign-up cancelled"),
    "outreach.article_save": pgettext_lazy("audit action", "Column article saved"),
    "outreach.article_publish": pgettext_lazy("audit action", "Column article published"),
    "outreach.article_withdraw": pgettext_lazy("audit action", "Column article taken back to draft"),
    "outreach.activity_save": pgettext_lazy("audit action", "\"Five into\" activity recorded"),
    "outreach.workplace_save": pgettext_lazy("audit action", "Workplace exercise unit saved"),
    "outreach.import": pgettext_lazy("audit action", "Lectures imported"),
    "outreach.channel_create": pgettext_lazy("audit action", "Online channel registered"),
    "outreach.channel_update": pgettext_lazy("audit action", "Online channel changed"),
    "outreach.channel_import": pgettext_lazy("audit action", "Online channels imported"),
    "outreach.course_save": pgettext_lazy("audit action", "Online course saved"),
    "outreach.course_publish": pgettext_lazy("audit action", "Online course published"),
    "outreach.course_withdraw": pgettext_lazy("audit action", "Online course taken back to draft"),
    "outreach.course_done": pgettext_lazy("audit action", "Online course marked done"),
    "outreach.course_undone": pgettext_lazy("audit action", "Online course mark taken back"),
    "people.stations_import": pgettext_lazy("audit action", "Stations imported"),
    "people.contest_import": pgettext_lazy("audit action", "Contest results imported"),
    "people.volunteering_cancel": pgettext_lazy("audit action", "Volunteer activity cancelled"),
    "volunteer_sign_up": pgettext_lazy("audit action", "Signed up to volunteer"),
    "volunteer_withdraw": pgettext_lazy("audit action", "Volunteer sign-up withdrawn"),
    "volunteer_service": pgettext_lazy("audit action", "Volunteer hours recorded"),
    "residential.project_save": pgettext_lazy("audit action", "Residential project saved"),
    "residential.project_accept": pgettext_lazy("audit action", "Residential project accepted"),
    "residential.import": pgettext_lazy("audit action", "Residential projects imported"),
    "heritage.route_save": pgettext_lazy("audit action", "Sports-tourism route saved"),
    "heritage.base_save": pgettext_lazy("audit action", "Sports-tourism base saved"),
    "heritage.event_save": pgettext_lazy("audit action", "Quality sports event saved"),
    "heritage.holder_save": pgettext_lazy("audit action", "Heritage collection holder saved"),
    "heritage.item_save": pgettext_lazy("audit action", "Heritage item catalogued"),
    "heritage.item_log": pgettext_lazy("audit action", "Heritage item condition or loan recorded"),
    "heritage.import": pgettext_lazy("audit action", "Heritage items imported"),
    "safety.record_save": pgettext_lazy("audit action", "Venue safety record saved"),
    "safety.import": pgettext_lazy("audit action", "Venue safety records imported"),
    "safety.check_record": pgettext_lazy("audit action", "Venue safety check recorded"),
    "safety.hazard_add": pgettext_lazy("audit action", "Safety hazard added"),
    "safety.hazard_rectify": pgettext_lazy("audit action", "Safety hazard reported rectified"),
    "safety.hazard_confirm": pgettext_lazy("audit action", "Safety hazard rectification confirmed"),
    "safety.hazard_return": pgettext_lazy("audit action", "Safety hazard rectification sent back"),
    "opening.round_open": pgettext_lazy("audit action", "Venue-opening evaluation round opened"),
    "opening.round_close": pgettext_lazy("audit action", "Venue-opening evaluation round finished"),
    "opening.evaluate": pgettext_lazy("audit action", "Venue opening evaluated"),
    "opening.rectification_request": pgettext_lazy("audit action", "Opening rectification requested"),
    "opening.rectification_report": pgettext_lazy("audit action", "Opening rectification reported done"),
    "opening.rectification_confirm": pgettext_lazy("audit action", "Opening rectification confirmed"),
    "opening.rectification_return": pgettext_lazy("audit action", "Opening rectification sent back"),
    "survey.create": pgettext_lazy("audit action", "Survey created"),
    "survey.status": pgettext_lazy("audit action", "Survey status changed"),
    "survey.question_add": pgettext_lazy("audit action", "Survey question added"),
    "survey.question_delete": pgettext_lazy("audit action", "Survey question removed"),
    "survey.quota_add": pgettext_lazy("audit action", "Survey quota added"),
    "survey.quota_delete": pgettext_lazy("audit action", "Survey quota removed"),
    "survey.answer": pgettext_lazy("audit action", "Survey answered"),
    # Writing a plan (planning/services/authoring.py)
    "planning.target_add": pgettext_lazy("audit action", "Plan target added"),
    "planning.target_update": pgettext_lazy("audit action", "Plan target changed"),
    "planning.target_remove": pgettext_lazy("audit action", "Plan target removed"),
    "planning.phase_add": pgettext_lazy("audit action", "Plan phase added"),
    "planning.phase_update": pgettext_lazy("audit action", "Plan phase changed"),
    "planning.phase_remove": pgettext_lazy("audit action", "Plan phase removed"),
    "planning.task_add": pgettext_lazy("audit action", "Plan task added"),
    "planning.task_update": pgettext_lazy("audit action", "Plan task changed"),
    "planning.task_remove": pgettext_lazy("audit action", "Plan task removed"),
    # Supervision
    "supervision.cancel_visit": pgettext_lazy("audit action", "Supervision visit cancelled"),
    "supervision.extend_deadline": pgettext_lazy("audit action", "Rectification deadline extended"),
    # Points and vouchers
    "points_rule": pgettext_lazy("audit action", "Points rule saved"),
    "points_spend": pgettext_lazy("audit action", "Points spent"),
    "points_settings": pgettext_lazy("audit action", "Points rate and cap saved"),
    "honour_selection": pgettext_lazy("audit action", "Honour selection opened"),
    "honour_step": pgettext_lazy("audit action", "Honour selection moved to its next step"),
    "honour_nomination": pgettext_lazy("audit action", "Nominee put forward"),
    "honour_review": pgettext_lazy("audit action", "Nomination reviewed"),
    "honour_publish": pgettext_lazy("audit action", "Honour winners published"),
    "settlement_draft": pgettext_lazy("audit action", "Voucher settlement drafted"),
    "settlement_confirm": pgettext_lazy("audit action", "Voucher settlement confirmed by the venue"),
    "settlement_approve": pgettext_lazy("audit action", "Voucher settlement approved"),
    "voucher_campaign": pgettext_lazy("audit action", "Voucher campaign created"),
    "voucher_venue": pgettext_lazy("audit action", "Venue joined a voucher campaign"),
    "voucher_publish": pgettext_lazy("audit action", "Voucher campaign published"),
    "voucher_close": pgettext_lazy("audit action", "Voucher campaign closed"),
    "voucher_redeem": pgettext_lazy("audit action", "Voucher redeemed"),
}

OTHER = pgettext_lazy("audit action", "Other action")


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, OTHER))


def action_choices(codes) -> list[tuple[str, str]]:
    """(code, label) for a filter's options, sorted by label."""
    return sorted(((c, action_label(c)) for c in codes), key=lambda pair: pair[1])


# The parts of a person's data a read_personal entry names.
FIELD_LABELS = {
    "phone": _("phone"),
    "id_number": _("ID number"),
    "masked": _("masked details"),
    "certificate_image": _("certificate photo"),
    "physique_results": _("physique results"),
    "referral": _("referral and prescription"),
    "exercise_grades": _("exercise standard grades"),
}


OTHER_FIELD = _("another field")


def target_model(target_type: str):
    """The model an entry's object is of ("facilities.site"), or None."""
    try:
        return django_apps.get_model(target_type) if target_type else None
    except (LookupError, ValueError):
        return None


def fields_label(fields, target_type: str = "") -> str:
    """The fields an entry names, by label: the parts of a person's data a read names (FIELD_LABELS),
    or the fields a change changed, by the names its object's model gives them; never a field's code."""
    if not isinstance(fields, list):
        return ""
    model = target_model(target_type)
    # Translators: what separates the items of a short list ("phone, ID number").
    return str(pgettext("list separator", ", ")).join(_field_label(name, model) for name in fields)


def _field_label(name, model) -> str:
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    if model is not None and isinstance(name, str):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return str(OTHER_FIELD)
