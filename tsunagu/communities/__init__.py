"""Communities: people with a shared mission who act on it together and refer work to each other.

Models (``tsunagu.communities.models``)
    ``Community`` — name, slug, mission, rules, cover image (public media, checked as an image),
    ``join_policy`` (open / approval / invitation) and ``requires_real_name`` /
    ``requires_face_photo`` (identity levels a member must have verified).
    ``Membership`` — one person in one community: ``role`` owner / moderator / member, ``state``
    pending / active / invited / declined / left / removed, and whether the member shows their
    verified real name and face photo to the community. Rows are kept, never deleted.
    ``Activity`` — an event (start, place or online, capacity) or a project; ``SignUp`` with
    ``took_part`` set by the organiser afterwards; ``Endorsement`` ("一緒に活動した") between two
    people who took part, once per pair and activity, never oneself.
    ``Post`` — the feed, with replies (``parent``), announcements pinned and posts hidden by
    moderators.

Reads (``selectors``): ``communities_list``, ``community_get``, ``membership_of``, ``feed``,
``members`` (directory with skills, trust badge, standing), ``member_get``, ``activities``,
``activity_state``, ``community_jobs``; what outsiders may not see is refused as not found.

Writes (``services``), one transaction each, moderator actions audited: ``community_create`` /
``update``, ``membership_join`` / ``invite`` / ``approve`` / ``decline`` / ``leave`` / ``remove``
/ ``role_set`` / ``display_set``, ``post_create`` (through the contact guard, as messages before
funding) / ``hide`` / ``pin``, ``activity_create`` / ``sign_up`` (capacity under the activity's
row lock) / ``cancel_sign_up`` / ``record_attendance``, ``endorsement_give``.

Other apps learn from this one through their registries, filled in ``apps.ready``: jobs asks
``jobs.audience`` which communities a person is in (community-only jobs), and trust reads the
endorsements as network edges and the endorsers and activities as contributions
(``trust.sources``).
"""
