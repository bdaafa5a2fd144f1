"""Community pages: list and search, create, the community (mission, rules, feed), joining and
leaving, moderation, activities with sign-up, attendance and endorsements, the job board, the
member directory and a member's page with their standing.

Every page calls the selectors, every POST one service. What an outsider may not see answers 404
(the selectors refuse with a "not found" kind); other refusals show the service's message and
change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagu.accounts.models import User
from tsunagu.accounts.request import signed_in_user
from tsunagu.communities import forms, selectors, services
from tsunagu.communities.errors import CommunityError, PostBlocked
from tsunagu.communities.models import Community, MemberState
from tsunagu.core.errors import ErrorKind, error_text
from tsunagu.core.files import private_file_response
from tsunagu.messaging.errors import MessagingError
from tsunagu.messaging.services import room_open_inquiry

View = Callable[..., HttpResponseBase]


def _not_found_as_404(view: View) -> View:
    """A refusal of the "not found" kind is the site's 404 page, as for a missing address; a
    page this person may not open is the 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except CommunityError as exc:
            if exc.kind == ErrorKind.NOT_FOUND:
                raise Http404 from exc
            if exc.kind == ErrorKind.FORBIDDEN:
                raise PermissionDenied(exc.message) from exc
            raise

    return wrapper


def _community(slug: str) -> Community:
    return selectors.community_get(slug=slug)


def _act(request: HttpRequest, fallback: str, action: Callable[[], Any], done: str) -> HttpResponse:
    """Run one service; say what happened (or why not) and go back."""
    try:
        action()
    except CommunityError as exc:
        if exc.kind == ErrorKind.NOT_FOUND:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(fallback)


# --- communities ----------------------------------------------------------------------------


@require_GET
def community_list(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    viewer = request.user if request.user.is_authenticated else None
    mine = set(selectors.communities_of(user=viewer).values_list("pk", flat=True))
    return render(
        request,
        "communities/list.html",
        {"form": form, "communities": selectors.communities_list(q=q)[:100], "mine": mine, "q": q},
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = forms.CommunityForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                community = services.community_create(
                    by=user,
                    name=data["name"],
                    mission=data["mission"],
                    rules=data["rules"],
                    join_policy=data["join_policy"],
                    requires_real_name=data["requires_real_name"],
                    requires_face_photo=data["requires_face_photo"],
                    cover=data.get("cover"),
                )
            except CommunityError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The community was created. You are its owner."))
                return redirect("communities:detail", slug=community.slug)
        return render(request, "communities/new.html", {"form": form}, status=422)
    return render(request, "communities/new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
@_not_found_as_404
def community_edit(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    membership = selectors.member_required(community=community, viewer=user)
    if not membership.is_owner:
        raise PermissionDenied
    initial = {
        "name": community.name,
        "mission": community.mission,
        "rules": community.rules,
        "join_policy": community.join_policy,
        "requires_real_name": community.requires_real_name,
        "requires_face_photo": community.requires_face_photo,
    }
    form = forms.CommunityForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.community_update(
                    community=community,
                    by=user,
                    name=data["name"],
                    mission=data["mission"],
                    rules=data["rules"],
                    join_policy=data["join_policy"],
                    requires_real_name=data["requires_real_name"],
                    requires_face_photo=data["requires_face_photo"],
                    cover=data.get("cover"),
                )
            except CommunityError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The community was updated."))
                return redirect("communities:detail", slug=slug)
        status = 422
    return render(
        request, "communities/edit.html", _frame(request, community, form=form), status=status
    )


def _frame(request: HttpRequest, community: Community, **extra: Any) -> dict[str, Any]:
    membership = selectors.membership_of(community=community, viewer=request.user)
    return {
        "community": community,
        "membership": membership,
        "is_member": membership is not None and membership.is_active,
        "is_moderator": membership is not None and membership.is_moderator,
        "member_count": selectors.active_member_count(community=community),
        **extra,
    }


@require_GET
@_not_found_as_404
def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    context = _frame(request, community)
    if context["is_member"]:
        pinned, posts = selectors.feed(community=community, viewer=request.user)
        context.update(
            pinned=pinned,
            posts=posts,
            post_form=forms.PostForm(),
            display_form=forms.DisplayForm(
                initial={
                    "show_real_name": context["membership"].show_real_name,
                    "show_face_photo": context["membership"].show_face_photo,
                }
            ),
        )
    return render(request, "communities/detail.html", context)


@login_required
@require_POST
@_not_found_as_404
def community_join(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    try:
        membership = services.membership_join(community=community, user=user)
    except CommunityError as exc:
        messages.error(request, exc.message)
    else:
        if membership.state == MemberState.ACTIVE:
            messages.success(request, _("Welcome! You are now a member."))
        else:
            messages.success(request, _("Your request was sent. A moderator will look at it."))
    return redirect("communities:detail", slug=slug)


@login_required
@require_POST
@_not_found_as_404
def community_leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    return _act(
        request,
        reverse("communities:detail", args=[slug]),
        lambda: services.membership_leave(community=community, user=user),
        _("You left the community. Your contracts and reviews are unchanged."),
    )


@login_required
@require_POST
@_not_found_as_404
def display_set(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    form = forms.DisplayForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _act(
        request,
        reverse("communities:detail", args=[slug]),
        lambda: services.membership_display_set(
            community=community,
            user=user,
            show_real_name=bool(data.get("show_real_name")),
            show_face_photo=bool(data.get("show_face_photo")),
        ),
        _("Your choice was saved."),
    )


# --- feed -----------------------------------------------------------------------------------


def _post_refused(request: HttpRequest, exc: CommunityError) -> None:
    messages.error(request, exc.message)
    if isinstance(exc, PostBlocked):
        for finding in exc.findings[:3]:
            messages.error(request, _("Found: %(text)s") % {"text": finding.get("text", "")})


@login_required
@require_POST
@_not_found_as_404
def post_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    selectors.member_required(community=community, viewer=user)
    form = forms.PostForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write something."))
        return redirect("communities:detail", slug=slug)
    try:
        services.post_create(community=community, author=user, body=form.cleaned_data["body"])
    except CommunityError as exc:
        _post_refused(request, exc)
        pinned, posts = selectors.feed(community=community, viewer=user)
        context = _frame(request, community, pinned=pinned, posts=posts, post_form=form)
        context["display_form"] = forms.DisplayForm()
        return render(request, "communities/detail.html", context, status=422)
    messages.success(request, _("Your post was published."))
    return redirect("communities:detail", slug=slug)


@login_required
@require_POST
@_not_found_as_404
def post_reply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    parent = selectors.post_get(community=community, pk=pk, viewer=user)
    form = forms.ReplyForm(request.POST)
    target = reverse("communities:detail", args=[slug]) + f"#post-{parent.pk}"
    if not form.is_valid():
        messages.error(request, _("Write something."))
        return redirect(target)
    try:
        services.post_create(
            community=community, author=user, body=form.cleaned_data["body"], parent=parent
        )
    except CommunityError as exc:
        _post_refused(request, exc)
    else:
        messages.success(request, pgettext("community post", "Your reply was published."))
    return redirect(target)


@login_required
@require_POST
@_not_found_as_404
def post_pin(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    post = selectors.post_get(community=community, pk=pk, viewer=user)
    pinned = request.POST.get("pinned", "1") == "1"
    return _act(
        request,
        reverse("communities:detail", args=[slug]),
        lambda: services.post_pin(post=post, by=user, pinned=pinned),
        _("The announcement was pinned.") if pinned else _("The announcement was unpinned."),
    )


@login_required
@require_POST
@_not_found_as_404
def post_hide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    post = selectors.post_get(community=community, pk=pk, viewer=user)
    form = forms.HideForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        reverse("communities:detail", args=[slug]),
        lambda: services.post_hide(post=post, by=user, reason=reason),
        _("The post was hidden."),
    )


# --- moderation -----------------------------------------------------------------------------


@login_required
@require_GET
@_not_found_as_404
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    pending = selectors.pending_requests(community=community, viewer=user)
    return render(
        request,
        "communities/moderation.html",
        _frame(
            request,
            community,
            pending=pending,
            members=selectors.members(community=community, viewer=user),
            invite_form=forms.InviteForm(),
            roles=forms.RoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
        ),
    )


@login_required
@require_POST
@_not_found_as_404
def member_invite(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    selectors.moderator_required(community=community, viewer=user)
    back = reverse("communities:moderation", args=[slug])
    form = forms.InviteForm(request.POST)
    invitee = None
    if form.is_valid():
        invitee = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
    if invitee is None:
        messages.error(request, _("There is no account with this e-mail address."))
        return redirect(back)
    return _act(
        request,
        back,
        lambda: services.membership_invite(community=community, by=user, user=invitee),
        _("The invitation was sent."),
    )


@login_required
@require_POST
@_not_found_as_404
def request_decide(request: HttpRequest, slug: str, pk: int, decision: str) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    selectors.moderator_required(community=community, viewer=user)
    membership = selectors.membership_for_moderation(community=community, pk=pk)
    if decision not in ("approve", "decline"):
        raise Http404
    if decision == "approve":
        return _act(
            request,
            reverse("communities:moderation", args=[slug]),
            lambda: services.membership_approve(membership=membership, by=user),
            _("The request was approved."),
        )
    return _act(
        request,
        reverse("communities:moderation", args=[slug]),
        lambda: services.membership_decline(membership=membership, by=user),
        _("The request was declined."),
    )


@login_required
@require_POST
@_not_found_as_404
def member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    selectors.moderator_required(community=community, viewer=user)
    membership = selectors.membership_for_moderation(community=community, pk=pk)
    form = forms.RoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else ""
    return _act(
        request,
        reverse("communities:moderation", args=[slug]),
        lambda: services.membership_role_set(membership=membership, by=user, role=role),
        _("The role was changed."),
    )


@login_required
@require_POST
@_not_found_as_404
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    selectors.moderator_required(community=community, viewer=user)
    membership = selectors.membership_for_moderation(community=community, pk=pk)
    form = forms.RemoveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        reverse("communities:moderation", args=[slug]),
        lambda: services.membership_remove(membership=membership, by=user, reason=reason),
        _("The member was removed. Their contracts and reviews are unchanged."),
    )


# --- activities -----------------------------------------------------------------------------


@login_required
@require_GET
@_not_found_as_404
def activity_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    items = selectors.activities(community=community, viewer=user)
    return render(
        request,
        "communities/activities.html",
        _frame(request, community, activities=items, form=forms.ActivityForm()),
    )


@login_required
@require_http_methods(["GET", "POST"])
@_not_found_as_404
def activity_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    selectors.moderator_required(community=community, viewer=user)
    form = forms.ActivityForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = services.activity_create(community=community, by=user, **data)
            except CommunityError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The activity was created."))
                return redirect("communities:activity", slug=slug, pk=activity.pk)
        return render(
            request,
            "communities/activity_new.html",
            _frame(request, community, form=form),
            status=422,
        )
    return render(request, "communities/activity_new.html", _frame(request, community, form=form))


@login_required
@require_GET
@_not_found_as_404
def activity_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    activity = selectors.activity_get(community=community, pk=pk, viewer=user)
    state = selectors.activity_state(activity=activity, viewer=user)
    return render(
        request,
        "communities/activity.html",
        _frame(request, community, activity=activity, state=state),
    )


def _activity_action(
    request: HttpRequest, slug: str, pk: int, call: Callable[[Any, User], Any], done: str
) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    activity = selectors.activity_get(community=community, pk=pk, viewer=user)
    return _act(
        request,
        reverse("communities:activity", args=[slug, pk]),
        lambda: call(activity, user),
        done,
    )


@login_required
@require_POST
@_not_found_as_404
def activity_sign_up(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _activity_action(
        request,
        slug,
        pk,
        lambda a, u: services.activity_sign_up(activity=a, user=u),
        _("You signed up."),
    )


@login_required
@require_POST
@_not_found_as_404
def activity_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _activity_action(
        request,
        slug,
        pk,
        lambda a, u: services.activity_cancel_sign_up(activity=a, user=u),
        _("Your sign-up was cancelled."),
    )


@login_required
@require_POST
@_not_found_as_404
def activity_attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("took_part") if v.isdigit()]
    return _activity_action(
        request,
        slug,
        pk,
        lambda a, u: services.activity_record_attendance(activity=a, by=u, user_ids=ids),
        _("Who took part was saved."),
    )


@login_required
@require_POST
@_not_found_as_404
def activity_endorse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    raw = request.POST.get("endorsee", "")
    endorsee = User.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if endorsee is None:
        messages.error(request, _("Choose the person to endorse."))
        return redirect("communities:activity", slug=slug, pk=pk)
    return _activity_action(
        request,
        slug,
        pk,
        lambda a, u: services.endorsement_give(activity=a, by=u, endorsee=endorsee),
        _("Thank you. Your endorsement was recorded."),
    )


# --- jobs and members -----------------------------------------------------------------------


@login_required
@require_GET
@_not_found_as_404
def job_board(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    jobs = list(selectors.community_jobs(community=community, viewer=user)[:100])
    return render(request, "communities/jobs.html", _frame(request, community, jobs=jobs))


@login_required
@require_GET
@_not_found_as_404
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    form = forms.MemberFilterForm(request.GET)
    skill, q = "", ""
    if form.is_valid():
        skill = form.cleaned_data["skill"].slug if form.cleaned_data["skill"] else ""
        q = form.cleaned_data["q"]
    rows = selectors.members(community=community, viewer=user, skill=skill, q=q)
    return render(
        request, "communities/members.html", _frame(request, community, rows=rows, form=form)
    )


@login_required
@require_GET
@_not_found_as_404
def member_detail(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    community = _community(slug)
    user = signed_in_user(request)
    row = selectors.member_get(community=community, user_id=user_id, viewer=user)
    endorsements = selectors.member_endorsements(community=community, user_id=user_id)
    return render(
        request,
        "communities/member.html",
        _frame(request, community, row=row, endorsements=endorsements, is_me=user_id == user.pk),
    )


@login_required
@require_GET
@_not_found_as_404
def member_photo(request: HttpRequest, slug: str, user_id: int) -> HttpResponseBase:
    community = _community(slug)
    document = selectors.face_photo_for(
        community=community, user_id=user_id, viewer=signed_in_user(request)
    )
    return private_file_response(
        document.file,
        as_attachment=False,
        filename=f"photo-{document.pk}",
        content_type=document.content_type or "application/octet-stream",
    )


@login_required
@require_POST
@_not_found_as_404
def member_message(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """Message another member: the inquiry room about this community (the guard applies)."""
    community = _community(slug)
    user = signed_in_user(request)
    row = selectors.member_get(community=community, user_id=user_id, viewer=user)
    other = row.membership.user
    try:
        room = room_open_inquiry(
            client=user,
            worker=other,
            by=user,
            subject_type="community",
            subject_id=str(community.pk),
            title=_("%(community)s: %(name)s")
            % {"community": community.name, "name": row.profile.display_name},
        )
    except (MessagingError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect("communities:member", slug=slug, user_id=user_id)
    return redirect("messaging:room", pk=room.pk)
