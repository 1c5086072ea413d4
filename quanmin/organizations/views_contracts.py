"""Staff pages for government purchase contracts (C11): the list of every contract in scope with its
Excel export, and, from the organisation's page, make one, upload evidence, accept or refuse,
record payments."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from quanmin.accounts.decorators import role_required
from quanmin.core import excel
from quanmin.core.forms import DayField
from quanmin.core.uploads import file_response

from . import contracts, permissions, selectors
from .errors import OrganizationError
from .models import ServiceContract

reader = role_required(permissions.can_read)
# Posting changes: supervisors and evaluators read the register but change nothing (403 here).
writer = role_required(permissions.can_write)


class ContractForm(forms.Form):
    service = forms.CharField(label=pgettext_lazy("purchased service", "Service"), max_length=200)
    amount = forms.DecimalField(label=gettext_lazy("Amount (yuan)"), max_digits=12, decimal_places=2, min_value=0)
    starts_on = DayField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DayField(label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    deliverables = forms.CharField(label=gettext_lazy("Deliverables"), max_length=4000,
                                   widget=forms.Textarea(attrs={"rows": 3}))


@reader
def contract_list(request):
    """Every contract in the user's scope (purchased by their division or with their organisation)."""
    qs = contracts.filtered(contracts.contracts_for(request.user), request.GET)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "organizations/staff/contracts.html", {
        "page": page, "totals": contracts.totals(qs), "statuses": ServiceContract.Status.choices,
        "payments": [("unpaid", _("Unpaid")), ("partly", _("Partly paid")), ("full", _("Paid in full"))],
        "query": query.urlencode(), "today": timezone.localdate(),
    })


@reader
def contract_export(request):
    qs = contracts.filtered(contracts.contracts_for(request.user), request.GET)
    return excel.xlsx_response(f"organization-contracts-{timezone.localdate():%Y%m%d}.xlsx",
                               [("政府购买服务合同", contracts.HEADERS, contracts.sheet_rows(qs))])


def _back(request, org, call, success):
    try:
        call()
    except OrganizationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect("organizations:staff_org", pk=org.pk)


def _contract(request, pk, contract_pk):
    org = selectors.get_or_404(request.user, pk)
    contract = ServiceContract.objects.filter(organization=org, pk=contract_pk).first()
    if contract is None:
        raise Http404
    return org, contract


@reader
def evidence_file(request, pk, contract_pk, evidence_pk):
    """One file of a contract's evidence, for whoever may see the organisation (404 otherwise)."""
    _org, contract = _contract(request, pk, contract_pk)
    item = contract.evidence.filter(pk=evidence_pk).first()
    if item is None:
        raise Http404
    return file_response(item.file)


@require_POST
@writer
def create(request, pk):
    org = selectors.get_or_404(request.user, pk)
    form = ContractForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("organizations:staff_org", pk=org.pk)
    return _back(request, org, lambda: contracts.create(org, form.cleaned_data, actor=request.user, request=request),
                 _("Contract saved."))


@require_POST
@writer
def evidence(request, pk, contract_pk):
    org, contract = _contract(request, pk, contract_pk)
    return _back(request, org, lambda: contracts.add_evidence(contract, request.FILES.get("file"),
                                                              request.POST.get("note", ""), actor=request.user,
                                                              request=request), _("Evidence uploaded."))


@require_POST
@writer
def decide(request, pk, contract_pk):
    org, contract = _contract(request, pk, contract_pk)
    accept = request.POST.get("decision") != "refuse"
    return _back(request, org, lambda: contracts.decide(contract, accept, actor=request.user, request=request),
                 _("Decision saved."))


@require_POST
@writer
def pay(request, pk, contract_pk):
    org, contract = _contract(request, pk, contract_pk)
    return _back(request, org, lambda: contracts.pay(contract, request.POST.get("amount", ""), actor=request.user,
                                                     request=request), _("Payment recorded."))
