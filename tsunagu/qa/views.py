"""Ask-an-expert pages: the list with search and category filter, the ask form, a question with
its answers (best answer, helpful votes by htmx, close) and the offer form prefilled from an
answer. Thin: forms parse, services decide, a refusal changes nothing and says why."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from tsunagu.accounts.request import signed_in_user
from tsunagu.contracts import forms as contract_forms
from tsunagu.contracts.services import MAX_MILESTONES
from tsunagu.core.errors import DomainError, error_text
from tsunagu.messaging.display import highlight
from tsunagu.qa import forms, membership, selectors, services
from tsunagu.qa.errors import ContactRefused, QAError
from tsunagu.qa.models import Answer, Question


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _blocked(exc: QAError, text: str) -> Any:
    """The refused text with the outside contact details marked, to show what to remove."""
    return highlight(text, exc.findings) if isinstance(exc, ContactRefused) else None


# --- list and search ----------------------------------------------------------------------------


@require_GET
def question_list(request: HtmxHttpRequest) -> HttpResponse:
    categories = selectors.categories()
    form = forms.QuestionSearchForm(request.GET or None, categories=categories)
    community = None
    slug = request.GET.get("community", "")
    if slug:
        # one community's questions: its members only; anyone else finds nothing there
        community = membership.community_for_list(slug=slug, viewer=request.user)
        if community is None:
            raise Http404
    community_id = community.pk if community else None
    filters = selectors.QuestionFilter(community_id=community_id)
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QuestionFilter(
            query=data["q"],
            category=data["category"],
            status=data["status"],
            community_id=community_id,
        )
    page = selectors.question_page(
        viewer=request.user, filters=filters, page_number=request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "community": community,
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "qa/_results.html", context)
    return render(request, "qa/list.html", context)


# --- ask ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    raw = request.GET.get("expert") or request.POST.get("expert") or ""
    expert = selectors.expert_profile(profile_id=int(raw)) if raw.isdigit() else None
    if expert is not None and expert.user_id == user.pk and request.method == "GET":
        expert = None  # one's own "ask me" link: ask everyone
    blocked = None
    status = 200
    if request.method == "POST":
        form = forms.QuestionForm(request.POST, user=user)
        if raw and expert is None:
            form.add_error(None, QAError.refuse("unknown_expert").message)
        if form.is_valid():
            data = form.cleaned_data
            try:
                question = services.question_ask(
                    asker=user,
                    title=data["title"],
                    body=data["body"],
                    category_id=data["category"].pk if data["category"] else None,
                    expert=expert.user if expert else None,
                    community_id=data["community"].pk if data["community"] else None,
                )
            except QAError as exc:
                blocked = _blocked(exc, data.get(exc.field or "body") or "")
                forms.add_error(form, exc)
            else:
                if question.warns_of_solicitation:
                    messages.warning(request, _solicit_warning())
                messages.success(request, _("Your question was posted."))
                return redirect("qa:detail", question.pk)
        status = 400
    else:
        # "Ask in this community" links preselect it (only one the asker belongs to)
        slug = request.GET.get("community", "")
        chosen = membership.communities_for_asking(user).filter(slug=slug).first() if slug else None
        form = forms.QuestionForm(user=user, initial={"community": chosen})
    return render(
        request,
        "qa/ask.html",
        {"form": form, "expert": expert, "blocked": blocked},
        status=status,
    )


def _solicit_warning() -> str:
    return _(
        "It was posted with a warning: it suggests dealing outside Tsunagu. Payments made "
        "outside the platform are not protected by escrow."
    )


# --- one question -------------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    question: Question,
    *,
    answer_form: forms.AnswerForm | None = None,
    blocked: Any = None,
    status: int = 200,
) -> HttpResponse:
    viewer = request.user if request.user.is_authenticated else None
    rows = selectors.answer_rows(question=question, viewer=viewer)
    is_asker = viewer is not None and viewer.pk == question.asker_id
    can_answer = (
        viewer is not None
        and question.is_open
        and not is_asker
        and not any(r.is_mine for r in rows)
        and (
            question.community_id is None
            or membership.is_active_member(viewer, question.community_id)
        )
    )
    context = {
        "question": question,
        "rows": rows,
        "is_asker": is_asker,
        "can_answer": can_answer,
        "answer_form": answer_form or forms.AnswerForm(),
        "blocked": blocked,
    }
    return render(request, "qa/detail.html", context, status=status)


@require_GET
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for_viewer(pk=pk, viewer=request.user)
    return _detail(request, question)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    question = selectors.question_for_viewer(pk=pk, viewer=user)
    form = forms.AnswerForm(request.POST)
    form.is_valid()
    body = form.cleaned_data.get("body", "")
    try:
        made = services.answer_post(question=question, author=user, body=body)
    except QAError as exc:
        forms.add_error(form, exc)
        return _detail(request, question, answer_form=form, blocked=_blocked(exc, body), status=400)
    if made.warns_of_solicitation:
        messages.warning(request, _solicit_warning())
    messages.success(request, _("Your answer was posted."))
    return redirect(reverse("qa:detail", args=[question.pk]) + f"#answer-{made.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    item = selectors.answer_for_viewer(pk=answer_pk, viewer=user, question_id=pk)
    if item.author_id != user.pk:
        messages.error(request, QAError.refuse("not_the_author").message)
        return redirect("qa:detail", pk)
    blocked = None
    status = 200
    if request.method == "POST":
        form = forms.AnswerForm(request.POST)
        form.is_valid()
        body = form.cleaned_data.get("body", "")
        try:
            services.answer_edit(answer=item, by=user, body=body)
        except QAError as exc:
            blocked = _blocked(exc, body)
            forms.add_error(form, exc)
            status = 400
        else:
            messages.success(request, _("Your answer was changed; the earlier wording is kept."))
            return redirect(reverse("qa:detail", args=[pk]) + f"#answer-{item.pk}")
    else:
        form = forms.AnswerForm(initial={"body": item.body})
    return render(
        request,
        "qa/answer_edit.html",
        {"form": form, "answer": item, "question": item.question, "blocked": blocked},
        status=status,
    )


def _act(request: HttpRequest, pk: int, call: Any, done: str) -> HttpResponse:
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("qa:detail", pk)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    question = selectors.question_for_viewer(pk=pk, viewer=user)
    return _act(
        request,
        pk,
        lambda: services.question_close(question=question, by=user),
        _("The question is closed."),
    )


@login_required
@require_POST
def best(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    question = selectors.question_for_viewer(pk=pk, viewer=user)
    item = selectors.answer_for_viewer(pk=answer_pk, viewer=user)
    return _act(
        request,
        pk,
        lambda: services.answer_mark_best(question=question, answer=item, by=user),
        _("You marked the best answer."),
    )


@login_required
@require_POST
def vote(request: HtmxHttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    """Mark an answer helpful, or take the mark back; htmx swaps the button in place."""
    user = signed_in_user(request)
    item = selectors.answer_for_viewer(pk=answer_pk, viewer=user, question_id=pk)
    error = ""
    try:
        if request.POST.get("action") == "unvote":
            services.answer_unvote(answer=item, by=user)
        else:
            services.answer_vote(answer=item, by=user)
    except QAError as exc:
        error = exc.message
    if request.htmx:
        context = {
            "answer": item,
            "question_id": pk,
            "helpful": selectors.helpful_count(answer=item),
            "voted": selectors.has_voted(answer=item, viewer=user),
            "is_mine": item.author_id == user.pk,
            "vote_error": error,
        }
        return render(request, "qa/_vote.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(reverse("qa:detail", args=[pk]) + f"#answer-{item.pk}")


# --- an offer from an answer --------------------------------------------------------------------


def _offer_initial(
    request: HttpRequest, question: Question, item: Answer
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    link = request.build_absolute_uri(reverse("qa:detail", args=[question.pk]))
    due = timezone.localdate() + datetime.timedelta(days=14)
    note = _("This offer follows your answer to my question “%(title)s”: %(link)s") % {
        "title": question.title,
        "link": link,
    }
    initial = {
        "title": question.title[:120],
        "description": f"{note}\n\n{question.body}"[:5000],
        "deliverables": "",
        "payment_due": due + datetime.timedelta(days=30),
        "inspection_days": 7,
        "revision_limit": 2,
        "withholding_category": question.category.withholding_applies,
    }
    rows = [{"title": question.title[:120], "amount": None, "due_date": due}]
    return initial, rows


@login_required
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    """The contract offer form, prefilled from the question, to the author of an answer; the
    contract it creates remembers the question."""
    user = signed_in_user(request)
    question = selectors.question_for_viewer(pk=pk, viewer=user)
    item = selectors.answer_for_viewer(pk=answer_pk, viewer=user, question_id=pk)
    if question.asker_id != user.pk:
        messages.error(request, QAError.refuse("not_the_asker").message)
        return redirect("qa:detail", pk)
    initial, rows = _offer_initial(request, question, item)
    status = 200
    if request.method == "POST":
        posted = contract_forms.milestone_rows(request.POST)
        if "add_milestone" in request.POST or "remove_milestone" in request.POST:
            if "add_milestone" in request.POST and len(posted) < MAX_MILESTONES:
                last = posted[-1]["due_date"] if posted else ""
                posted.append({"title": "", "amount": "", "due_date": last})
            remove = request.POST.get("remove_milestone", "")
            if remove.isdigit() and int(remove) < len(posted) and len(posted) > 1:
                del posted[int(remove)]
            form = contract_forms.OfferForm(initial=request.POST.dict())
            formset = contract_forms.MilestoneFormSet(
                prefix=contract_forms.MILESTONE_PREFIX, initial=posted
            )
            return _offer_page(request, question, item, form, formset, posted)
        form = contract_forms.OfferForm(request.POST)
        formset = contract_forms.milestone_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                contract = services.answer_offer(
                    answer=item,
                    by=user,
                    title=data["title"],
                    description=data["description"],
                    deliverables=data["deliverables"],
                    milestones=contract_forms.milestone_inputs(formset),
                    payment_due=data["payment_due"],
                    inspection_days=data["inspection_days"],
                    revision_limit=data["revision_limit"],
                    withholding_category=data["withholding_category"],
                    weekly_hours=data["weekly_hours"],
                )
            except DomainError as exc:
                form.add_error(None, error_text(exc))
            except ValidationError as exc:
                contract_forms.add_service_errors(form, formset, exc)
            else:
                messages.success(
                    request, _("The offer was sent. The contract starts when the worker accepts.")
                )
                return redirect("contracts:detail", contract.pk)
        status = 400
        return _offer_page(request, question, item, form, formset, posted, status=status)
    form = contract_forms.OfferForm(initial=initial)
    formset = contract_forms.MilestoneFormSet(prefix=contract_forms.MILESTONE_PREFIX, initial=rows)
    return _offer_page(request, question, item, form, formset, [])


def _offer_page(
    request: HttpRequest,
    question: Question,
    item: Answer,
    form: Any,
    formset: Any,
    rows: list[dict[str, str]],
    *,
    status: int = 200,
) -> HttpResponse:
    withholding = request.POST.get("withholding_category") in ("on", "true", "1")
    context = {
        "question": question,
        "answer": item,
        "profile": item.author.profile,
        "form": form,
        "formset": formset,
        "estimate": contract_forms.offer_estimate(rows, withholding=withholding),
        "max_milestones": MAX_MILESTONES,
    }
    return render(request, "qa/offer.html", context, status=status)
