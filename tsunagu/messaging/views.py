"""Messaging pages: room list, room (history, composer, pins, tasks, members), my tasks.

Views only read requests and render: who may see what comes from ``selectors.room_access``,
every change is made by a function in ``services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagu.accounts.models import User
from tsunagu.accounts.request import signed_in_user
from tsunagu.contracts.models import Contract
from tsunagu.core.errors import error_text
from tsunagu.core.files import private_file_response
from tsunagu.messaging import display, selectors, services
from tsunagu.messaging.errors import ContactBlocked, MessagingError
from tsunagu.messaging.export import evidence_export
from tsunagu.messaging.forms import (
    ComposerForm,
    EditForm,
    GroupCreateForm,
    InquiryStartForm,
    MemberAddForm,
    TaskForm,
)
from tsunagu.messaging.models import Attachment, Pin, RoomKind
from tsunagu.messaging.selectors import Access


def _access(request: HttpRequest, pk: int) -> Access:
    return selectors.room_access(room_id=pk, viewer=signed_in_user(request))


def _active(request: HttpRequest, pk: int) -> Access:
    """Access of a current member, who may write; removed members and staff may only read."""
    access = _access(request, pk)
    if not access.active:
        raise PermissionDenied(_("You can read this room but no longer write in it."))
    return access


def _room_url(pk: int, seq: int | None = None) -> str:
    url = reverse("messaging:room", args=[pk])
    return f"{url}#m{seq}" if seq else url


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- room list, my tasks ----------------------------------------------------------------------


@login_required
@require_GET
def room_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.rooms_for_user(user=signed_in_user(request))
    return render(request, "messaging/rooms.html", {"rows": rows})


@login_required
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    include_done = request.GET.get("done") == "1"
    tasks = selectors.tasks_for_user(user=signed_in_user(request), include_done=include_done)
    return render(
        request,
        "messaging/tasks.html",
        {"rows": display.task_rows(tasks), "include_done": include_done},
    )


@login_required
@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """The header's link with the unread count, polled by htmx."""
    return render(request, "messaging/_nav_link.html", {"with_count": True})


# --- the room ---------------------------------------------------------------------------------


def _reply_item(request: HttpRequest, access: Access) -> selectors.Item | None:
    """The message being answered, from ``?reply=<id>`` on the room's address."""
    value = request.GET.get("reply", "")
    if not value.isdigit() or not access.active:
        return None
    try:
        item = selectors.message_item(access=access, message_id=int(value))
    except Http404:
        return None
    return None if item.deleted else item


def _draft(request: HttpRequest) -> str:
    """The text as the service read it (line ends normalised), so finding spans fit it."""
    return request.POST.get("body", "").replace("\r\n", "\n").replace("\r", "\n")


def _room_context(request: HttpRequest, access: Access, **extra: Any) -> dict[str, Any]:
    room = access.room
    members = selectors.room_members(room=room)
    context: dict[str, Any] = {
        "access": access,
        "room": room,
        "page": selectors.room_history(access=access),
        "pins": selectors.room_pins(access=access),
        "task_rows": display.task_rows(selectors.room_tasks(room=room)),
        "members": members,
        "is_group": room.kind == RoomKind.GROUP,
        "funded": services.room_is_funded(room),
        "composer": ComposerForm(),
        "task_form": TaskForm(members=members),
        "member_form": MemberAddForm(),
        "reply_item": _reply_item(request, access),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def room(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    if access.active:
        services.room_mark_read(room=access.room, user=access.viewer, seq=access.last_seq)
    return render(request, "messaging/room.html", _room_context(request, access))


@login_required
@require_GET
def poll(request: HttpRequest, pk: int) -> HttpResponse:
    """Entries after ``after``: new messages appended, edited or deleted ones replaced."""
    access = _access(request, pk)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    update = selectors.room_updates(access=access, after=after)
    if not update.new and not update.changed:
        return HttpResponse(status=204)
    if access.active and update.new:
        services.room_mark_read(room=access.room, user=access.viewer, seq=update.last_seq)
    return render(
        request,
        "messaging/_updates.html",
        {"access": access, "room": access.room, "update": update},
    )


@login_required
@require_GET
def older(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    try:
        before = int(request.GET.get("before", ""))
    except ValueError as exc:
        raise Http404 from exc
    page = selectors.room_history(access=access, before=before)
    return render(
        request, "messaging/_older.html", {"access": access, "room": access.room, "page": page}
    )


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    access = _active(request, pk)
    form = ComposerForm(request.POST, request.FILES)
    blocked: ContactBlocked | None = None
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            reply_to = (
                selectors.message_for_viewer(access=access, message_id=data["reply_to"])
                if data["reply_to"]
                else None
            )
            message = services.message_send(
                room=access.room,
                sender=access.viewer,
                body=data["body"] or "",
                attachments=data["attachments"],
                reply_to=reply_to,
            )
        except Http404:
            error = _("The message you replied to is not in this room.")
        except ContactBlocked as exc:
            blocked = exc
        except (MessagingError, ValidationError) as exc:
            error = error_text(exc)
        else:
            if _is_htmx(request):
                response = render(
                    request,
                    "messaging/_composer.html",
                    {"room": access.room, "composer": ComposerForm(), "access": access},
                )
                response["HX-Trigger"] = "messaging-sent"
                return response
            return redirect(_room_url(pk, message.seq))
    else:
        error = _("Check the message and try again.")
    composer_context = {
        "composer": form,
        "blocked": blocked,
        "composer_error": error,
        "draft": _draft(request),
        "had_files": bool(request.FILES),
    }
    if _is_htmx(request):
        return render(
            request,
            "messaging/_composer.html",
            {"room": access.room, "access": access, **composer_context},
        )
    return render(
        request,
        "messaging/room.html",
        _room_context(request, access, **composer_context),
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    access = _active(request, pk)
    message = selectors.message_for_viewer(access=access, message_id=message_pk)
    if message.sender_id != access.viewer.pk:
        raise PermissionDenied(_("Only the sender can change this message."))
    item = selectors.message_item(access=access, message_id=message.pk)
    form = EditForm(request.POST or None, initial={"body": item.text})
    blocked: ContactBlocked | None = None
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                services.message_edit(
                    message=message, by=access.viewer, body=form.cleaned_data["body"]
                )
            except ContactBlocked as exc:
                blocked = exc
            except (MessagingError, ValidationError) as exc:
                error = error_text(exc)
            else:
                return redirect(_room_url(pk, message.seq))
        else:
            error = _("Write the new text of the message.")
    return render(
        request,
        "messaging/edit.html",
        {
            "access": access,
            "room": access.room,
            "item": item,
            "form": form,
            "blocked": blocked,
            "error": error,
            "draft": _draft(request),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def delete(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    access = _active(request, pk)
    message = selectors.message_for_viewer(access=access, message_id=message_pk)
    try:
        services.message_delete(message=message, by=access.viewer)
    except MessagingError as exc:
        messages.error(request, error_text(exc))
    return redirect(_room_url(pk, message.seq))


@login_required
@require_GET
def revisions(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    access = _access(request, pk)
    message = selectors.message_for_viewer(access=access, message_id=message_pk)
    versions, deleted = selectors.message_revisions(access=access, message=message)
    return render(
        request,
        "messaging/revisions.html",
        {
            "access": access,
            "room": access.room,
            "message": message,
            "versions": versions,
            "deleted": deleted,
        },
    )


# --- pins and tasks ---------------------------------------------------------------------------


@login_required
@require_POST
def pin(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    access = _active(request, pk)
    message = selectors.message_for_viewer(access=access, message_id=message_pk)
    try:
        services.pin_add(message=message, by=access.viewer)
    except MessagingError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Pinned. Everyone in the room sees it at the top."))
    return redirect(_room_url(pk))


@login_required
@require_POST
def unpin(request: HttpRequest, pk: int, pin_pk: int) -> HttpResponse:
    access = _active(request, pk)
    found = get_object_or_404(Pin, pk=pin_pk, room=access.room)
    services.pin_remove(pin=found, by=access.viewer)
    return redirect(_room_url(pk))


@login_required
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = _active(request, pk)
    members = selectors.room_members(room=access.room)
    form = TaskForm(request.POST, members=members)
    if form.is_valid():
        try:
            services.task_create(
                room=access.room,
                by=access.viewer,
                title=form.cleaned_data["title"],
                assignee=form.cleaned_data["assignee"],
                due_at=form.due_at(),
            )
        except (MessagingError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Task added."))
            return redirect(_room_url(pk) + "#tasks")
    return render(
        request,
        "messaging/room.html",
        _room_context(request, access, task_form=form, open_panel="tasks"),
        status=400,
    )


@login_required
@require_POST
def task_done(request: HttpRequest, task_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    task = selectors.task_for_member(task_id=task_pk, user=user)
    done = request.POST.get("done") == "1"
    try:
        services.task_set_done(task=task, by=user, done=done)
    except MessagingError as exc:
        messages.error(request, error_text(exc))
    return redirect(_next_url(request, _room_url(task.room_id) + "#tasks"))


# --- members ----------------------------------------------------------------------------------


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = _active(request, pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            services.room_member_add(
                room=access.room, user=form.cleaned_data["person"], by=access.viewer
            )
        except MessagingError as exc:
            messages.error(request, error_text(exc))
            return redirect(_room_url(pk) + "#members")
        else:
            messages.success(
                request,
                _("%(name)s was added to the group.")
                % {"name": form.cleaned_data["person"].profile.display_name},
            )
            return redirect(_room_url(pk) + "#members")
    return render(
        request,
        "messaging/room.html",
        _room_context(request, access, member_form=form, open_panel="members"),
        status=400,
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    access = _active(request, pk)
    person = get_object_or_404(User, pk=user_pk)
    try:
        services.room_member_remove(room=access.room, user=person, by=access.viewer)
    except MessagingError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(name)s was removed. They keep read access to what was said until now.")
            % {"name": person.profile.display_name},
        )
    return redirect(_room_url(pk) + "#members")


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    """A file of a message the viewer may read; files of deleted messages only for staff."""
    access = _access(request, pk)
    found = get_object_or_404(
        Attachment.objects.select_related("message"),
        pk=attachment_pk,
        message__room=access.room,
        message__seq__lte=access.last_seq,
    )
    if not access.is_staff:
        item = selectors.message_item(access=access, message_id=found.message_id)
        if item.deleted:
            raise Http404
    return private_file_response(found.file, as_attachment=True, filename=found.name)


# --- evidence ---------------------------------------------------------------------------------


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    bundle = evidence_export(room=access.room, by=access.viewer)
    response = HttpResponse(bundle, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="tsunagu-room-{pk}-evidence.zip"'
    return response


@login_required
@require_GET
def staff_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The full record for staff: originals, every revision, deletions, and the chain check."""
    if not signed_in_user(request).is_staff:
        raise Http404
    access = _access(request, pk)
    record = selectors.staff_record(room=access.room)
    return render(
        request,
        "messaging/staff_history.html",
        {
            "access": access,
            "room": access.room,
            "record": record,
            "members": selectors.room_members(room=access.room),
        },
    )


# --- starting rooms ---------------------------------------------------------------------------


@login_required
@require_POST
def inquiry_start(request: HttpRequest) -> HttpResponse:
    """Open (or reuse) the inquiry with a worker and go to it."""
    form = InquiryStartForm(request.POST)
    fallback = _next_url(request, reverse("messaging:rooms"))
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Choose the person you want to ask.")]:
            messages.error(request, str(error))
        return redirect(fallback)
    data = form.cleaned_data
    try:
        opened = services.room_open_inquiry(
            client=signed_in_user(request),
            worker=data["worker_user"],
            by=signed_in_user(request),
            subject_type=data["subject_type"],
            subject_id=data["subject_id"] or "",
            title=data["title"]
            or _("Inquiry to %(name)s") % {"name": data["worker_user"].profile.display_name},
        )
    except (MessagingError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect(fallback)
    return redirect(_room_url(opened.pk))


@login_required
@require_GET
def contract_room(request: HttpRequest, contract_pk: int) -> HttpResponse:
    """The contract's room, opened on first use by one of its two parties."""
    contract = get_object_or_404(Contract, pk=contract_pk)
    viewer = signed_in_user(request)
    if viewer.pk in (contract.client_id, contract.worker_id):
        opened = services.room_for_contract(contract=contract)
        return redirect(_room_url(opened.pk))
    existing = getattr(contract, "room", None) if viewer.is_staff else None
    if existing is None:
        raise Http404
    return redirect(_room_url(existing.pk))


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.group_room_create(
                client=signed_in_user(request),
                title=form.cleaned_data["title"],
                workers=form.cleaned_data["people"],
            )
        except ValidationError as exc:
            form.add_error("title", error_text(exc))
        else:
            return redirect(_room_url(created.pk))
    status = 400 if request.method == "POST" else 200
    return render(request, "messaging/group_create.html", {"form": form}, status=status)
