"""Why a community action was refused: a stable code for the API and a message for people.

A community's feed, activities and members are not told to exist to outsiders (not found); the
wrong person acting inside is forbidden; what the community's or activity's state does not allow
is a conflict; bad values are invalid.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from tsunagu.core.errors import DomainError, ErrorKind


class CommunityError(DomainError):
    messages = {
        "not_found": _("There is no such community page."),
        "not_a_member": _("Only members of this community can do this."),
        "not_a_moderator": _("Only the community's moderators can do this."),
        "not_the_owner": _("Only the community's owner can do this."),
        "already_member": _("You are already a member of this community."),
        "already_pending": _("Your request to join is already waiting for the moderators."),
        "invitation_only": _("This community can be joined by invitation only."),
        "removed": _("You were removed from this community and cannot join again."),
        "real_name_required": _(
            "This community requires a verified real name. Verify your real name first."
        ),
        "face_photo_required": _(
            "This community requires a verified face photo. Verify your face photo first."
        ),
        "not_pending": _("This request is no longer waiting for approval."),
        "already_invited": _("This person has already been invited."),
        "last_owner": _("The community needs an owner: make someone else owner first."),
        "not_oneself": _("You cannot do this to yourself."),
        "owner_protected": _("Only the owner can remove or change a moderator or the owner."),
        "not_active": _("This person is not an active member."),
        "name_required": _("Give the community a name."),
        "mission_required": _("Write the community's mission."),
        "too_long": _("This text can be at most %(limit)d characters."),
        "bad_choice": _("Choose one of the options."),
        "cover_invalid": _("The cover must be a PNG, JPEG, GIF or WebP image of at most 5 MB."),
        "body_required": _("Write something."),
        "contact_blocked": _(
            "This post was not published: it contains outside contact details. Please keep all "
            "contact on Tsunagu, so that everyone is protected. Edit the highlighted part and "
            "post again."
        ),
        "bad_parent": _("You can only reply to a visible post of this community."),
        "already_hidden": _("This post is already hidden."),
        "reason_required": _("Say why."),
        "reply_not_pinnable": _("Only a post, not a reply, can be pinned as an announcement."),
        "title_required": _("Give the activity a title."),
        "starts_required": _("An event needs a start date and time."),
        "starts_in_past": _("The event must start in the future."),
        "ends_before_start": _("The end must be after the start."),
        "place_required": _("Give a place, or mark the event as online."),
        "capacity_range": _("The capacity must be between 1 and 10,000, or left empty."),
        "activity_over": _("This activity has already started; sign-up is closed."),
        "capacity_full": _("This activity is full."),
        "already_signed_up": _("You have already signed up."),
        "not_signed_up": _("You have not signed up for this activity."),
        "not_the_organiser": _("Only the organiser or a moderator can record who took part."),
        "not_started": _("Who took part can be recorded once the event has started."),
        "has_endorsements": _(
            "%(names)s already gave or received endorsements for this activity and must stay "
            "marked as having taken part."
        ),
        "not_signed_up_people": _("Only people who signed up can be marked as having taken part."),
        "you_did_not_take_part": _("Only people who took part can endorse each other."),
        "they_did_not_take_part": _("You can endorse only people who took part."),
        "already_endorsed": _("You have already endorsed this person for this activity."),
        "member_not_found": _("There is no such member in this community."),
    }
    kinds = {
        "not_found": ErrorKind.NOT_FOUND,
        "not_a_member": ErrorKind.NOT_FOUND,
        "member_not_found": ErrorKind.NOT_FOUND,
        "not_a_moderator": ErrorKind.FORBIDDEN,
        "not_the_owner": ErrorKind.FORBIDDEN,
        "invitation_only": ErrorKind.FORBIDDEN,
        "removed": ErrorKind.FORBIDDEN,
        "real_name_required": ErrorKind.FORBIDDEN,
        "face_photo_required": ErrorKind.FORBIDDEN,
        "owner_protected": ErrorKind.FORBIDDEN,
        "not_the_organiser": ErrorKind.FORBIDDEN,
        "you_did_not_take_part": ErrorKind.FORBIDDEN,
        "name_required": ErrorKind.INVALID,
        "mission_required": ErrorKind.INVALID,
        "too_long": ErrorKind.INVALID,
        "bad_choice": ErrorKind.INVALID,
        "cover_invalid": ErrorKind.INVALID,
        "body_required": ErrorKind.INVALID,
        "contact_blocked": ErrorKind.INVALID,
        "bad_parent": ErrorKind.INVALID,
        "reason_required": ErrorKind.INVALID,
        "title_required": ErrorKind.INVALID,
        "starts_required": ErrorKind.INVALID,
        "starts_in_past": ErrorKind.INVALID,
        "ends_before_start": ErrorKind.INVALID,
        "place_required": ErrorKind.INVALID,
        "capacity_range": ErrorKind.INVALID,
        "not_signed_up_people": ErrorKind.INVALID,
        "not_oneself": ErrorKind.INVALID,
    }
    default_kind = ErrorKind.CONFLICT


class PostBlocked(CommunityError):
    """The post holds outside contact details: not published, the findings say where."""

    def __init__(self, findings: list[dict[str, Any]]) -> None:
        super().__init__("contact_blocked")
        self.findings = findings
