"""The findings of a FatturaPA against the purchase orders, the supplier's
DDTs and the supplier's trusted bank accounts.

A finding is kept as plain data (a code and its values, JSON in a guarded
text field) and put into words when it is read: each reader sees it in their
own language, whoever imported the invoice (OdooBot through the SdI or the
mail alias, or an accountant uploading the file).
"""

import json

from odoo.tools import formatLang

# What bo_suppliers' three-way match already says (and blocks on) by itself:
# shown on the lines, not repeated among the match's reasons.
MATCH_COVERS = frozenset({"price", "qty"})


def load_findings(text):
    """The findings stored in ``text`` (a list of dicts), or none."""
    if not text:
        return []
    try:
        findings = json.loads(text)
    except ValueError:
        return []
    return (
        [item for item in findings if isinstance(item, dict)] if isinstance(findings, list) else []
    )


def dump_findings(findings):
    return json.dumps(findings, sort_keys=True) if findings else False


def _qty(env, value):
    return formatLang(env, value, digits=3).rstrip("0").rstrip(",.") or "0"


def render_finding(env, finding):
    """``finding`` in words, in the language of ``env``."""
    code = finding.get("code")
    if code == "order_missing":
        return env._(
            "The invoice names the purchase order %(order)s, which is not an order of "
            "this supplier in this company.",
            order=finding.get("order"),
        )
    if code == "ddt_missing":
        return env._(
            "The invoice names the DDT %(ddt)s of %(date)s, but no receipt of this "
            "supplier records that DDT.",
            ddt=finding.get("ddt"),
            date=finding.get("date") or "-",
        )
    if code == "ambiguous":
        return env._(
            "Several purchase order lines fit this line: %(lines)s. None was linked: "
            "choose the right one.",
            lines=", ".join(finding.get("lines") or ()),
        )
    if code == "no_fit":
        return env._(
            "No line of %(orders)s fits this line (product, supplier's code, "
            "description and price).",
            orders=", ".join(finding.get("orders") or ()),
        )
    if code == "price":
        return env._(
            "Unit price %(billed)s on the invoice, %(ordered)s on the order %(order)s.",
            billed=finding.get("billed"),
            ordered=finding.get("ordered"),
            order=finding.get("order"),
        )
    if code == "qty":
        return env._(
            "%(billed)s invoiced on this line, %(received)s received on the order %(order)s.",
            billed=_qty(env, finding.get("billed") or 0.0),
            received=_qty(env, finding.get("received") or 0.0),
            order=finding.get("order"),
        )
    if code == "ddt_qty" and finding.get("elsewhere"):
        return env._(
            "%(billed)s invoiced on this line, %(received)s received with the DDT %(ddts)s, "
            "of which %(elsewhere)s already invoiced on %(bills)s.",
            billed=_qty(env, finding.get("billed") or 0.0),
            received=_qty(env, finding.get("received") or 0.0),
            ddts=", ".join(finding.get("ddts") or ()),
            elsewhere=_qty(env, finding["elsewhere"]),
            bills=", ".join(finding.get("bills") or ()),
        )
    if code == "ddt_qty":
        return env._(
            "%(billed)s invoiced on this line, %(received)s received with the DDT %(ddts)s.",
            billed=_qty(env, finding.get("billed") or 0.0),
            received=_qty(env, finding.get("received") or 0.0),
            ddts=", ".join(finding.get("ddts") or ()),
        )
    if code == "supplier_unknown":
        return env._(
            "The supplier of the invoice, %(name)s (VAT number %(vat)s), is not known "
            "to the company.",
            name=finding.get("name") or "-",
            vat=finding.get("vat") or "-",
        )
    if code == "iban":
        return env._(
            "The invoice asks for payment to the bank account %(iban)s, which is not a "
            "trusted account of %(partner)s: check it with the supplier by phone before "
            "paying (invoice redirection fraud).",
            iban=finding.get("iban"),
            partner=finding.get("partner") or "-",
        )
    if code == "credit_unnamed":
        return env._(
            "The credit note names no invoice (DatiFattureCollegate): it is netted against no bill."
        )
    if code == "credit_missing":
        return env._(
            "The credit note names the invoice %(invoice)s of %(date)s, which is not a bill "
            "of this supplier in this company: it is netted against no bill.",
            invoice=finding.get("invoice"),
            date=finding.get("date") or "-",
        )
    if code == "credit_ambiguous":
        return env._(
            "The credit note names the invoice %(invoice)s of %(date)s, and several bills "
            "of this supplier have that number (%(bills)s): it is netted against none.",
            invoice=finding.get("invoice"),
            date=finding.get("date") or "-",
            bills=", ".join(finding.get("bills") or ()),
        )
    if code == "credit_several":
        return env._(
            "The credit note names several bills (%(bills)s): it is netted against none; "
            "split it with the supplier or settle it by hand.",
            bills=", ".join(finding.get("bills") or ()),
        )
    if code == "credit_duplicate":
        return env._(
            "The same credit note (same supplier and number) is already netted against "
            "%(bill)s as %(credit_note)s: this one is not counted again.",
            bill=finding.get("bill"),
            credit_note=finding.get("credit_note"),
        )
    if code == "credit_currency":
        return env._(
            "The credit note is in %(currency)s and the bill %(bill)s in %(bill_currency)s: "
            "it is netted against no bill.",
            currency=finding.get("currency"),
            bill=finding.get("bill"),
            bill_currency=finding.get("bill_currency"),
        )
    return env._("Unknown finding: %(code)s", code=code)


# What a contest letter asks the supplier to credit: the differences that are
# the supplier's to correct (not an IBAN to check by phone, nor an order line
# the clerk has to choose).
CONTESTABLE = frozenset({"price", "qty", "ddt_qty", "order_missing", "ddt_missing", "no_fit"})


def is_contestable(finding):
    """Whether ``finding`` is a difference to contest with the supplier: a
    price only when the invoice charges more than the order."""
    code = finding.get("code")
    return code in CONTESTABLE and (code != "price" or bool(finding.get("higher")))


def render_letter_finding(env, finding):
    """``finding`` as the contest letter tells it to the supplier, in the
    language of ``env`` (the supplier's)."""
    code = finding.get("code")
    if code == "price":
        return env._(
            "unit price %(billed)s invoiced, %(ordered)s agreed in our order %(order)s.",
            billed=finding.get("billed"),
            ordered=finding.get("ordered"),
            order=finding.get("order"),
        )
    if code == "qty":
        return env._(
            "%(billed)s invoiced, %(received)s received against our order %(order)s.",
            billed=_qty(env, finding.get("billed") or 0.0),
            received=_qty(env, finding.get("received") or 0.0),
            order=finding.get("order"),
        )
    if code == "ddt_qty" and finding.get("elsewhere"):
        return env._(
            "%(billed)s invoiced, %(received)s delivered with your transport document "
            "(DDT) %(ddts)s, of which %(elsewhere)s already invoiced in %(bills)s.",
            billed=_qty(env, finding.get("billed") or 0.0),
            received=_qty(env, finding.get("received") or 0.0),
            ddts=", ".join(finding.get("ddts") or ()),
            elsewhere=_qty(env, finding["elsewhere"]),
            bills=", ".join(finding.get("bills") or ()),
        )
    if code == "ddt_qty":
        return env._(
            "%(billed)s invoiced, %(received)s delivered with your transport document "
            "(DDT) %(ddts)s.",
            billed=_qty(env, finding.get("billed") or 0.0),
            received=_qty(env, finding.get("received") or 0.0),
            ddts=", ".join(finding.get("ddts") or ()),
        )
    if code == "order_missing":
        return env._(
            "the invoice names the order %(order)s, which is not an order we placed with you.",
            order=finding.get("order"),
        )
    if code == "ddt_missing":
        return env._(
            "the invoice names your transport document (DDT) %(ddt)s of %(date)s, which "
            "we have not received.",
            ddt=finding.get("ddt"),
            date=finding.get("date") or "-",
        )
    if code == "no_fit":
        return env._(
            "the line matches no line of our order %(orders)s.",
            orders=", ".join(finding.get("orders") or ()),
        )
    return render_finding(env, finding)
