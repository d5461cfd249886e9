"""Storing a supplier evaluation's results: the period's evaluations created
or recomputed in place, their criteria, the class and score copied onto the
suppliers, and the review of the suppliers that fell into class C."""

import json

from odoo import fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.tools import SQL

from .bo_supplier_evaluation import CRITERION_FIELDS, DOCUMENT_FIELDS
from .bo_supplier_qualification import REVIEWED_STATES


class BoSupplierEvaluation(models.Model):
    _inherit = "bo.supplier.evaluation"

    # ------------------------------------------------------------------
    # Storing the results
    # ------------------------------------------------------------------

    # The computation writes an evaluation and its criteria as a whole.
    @bo_guard.writes()
    @bo_guard.writes(model="bo.supplier.evaluation.line")
    def _bo_store(self, company, date_from, date_to, period_type, lines_by_partner):
        """Create the period's new evaluations, recompute the existing ones that
        changed, and copy the latest results onto the suppliers."""
        existing = {
            evaluation.partner_id.id: evaluation
            for evaluation in self.search(
                [
                    ("company_id", "=", company.id),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                    ("partner_id", "in", list(lines_by_partner)),
                ]
            )
        }
        was_c = {pid for pid, evaluation in existing.items() if evaluation.evaluation_class == "c"}
        now, to_create, changed = fields.Datetime.now(), {}, self.browse()
        for partner_id, lines in lines_by_partner.items():
            vals = self._bo_evaluation_vals(company, period_type, now, lines)
            line_vals = [self._bo_line_vals(sequence, line) for sequence, line in enumerate(lines)]
            evaluation = existing.get(partner_id)
            if not evaluation:
                vals.update(
                    partner_id=partner_id,
                    company_id=company.id,
                    date_from=date_from,
                    date_to=date_to,
                )
                to_create[partner_id] = (vals, line_vals)
            elif self._bo_changes(evaluation, vals, line_vals):
                # figures without data this time are emptied; the changes of
                # score and class are tracked in the evaluation's chatter
                vals.update(
                    {fname: False for fname in CRITERION_FIELDS.values() if fname not in vals}
                )
                evaluation.line_ids.unlink()
                evaluation.write(
                    {**vals, "line_ids": [fields.Command.create(v) for v in line_vals]}
                )
                changed |= evaluation
        created = self._bo_insert_evaluations(to_create)
        evaluations = created | changed
        if evaluations:
            self._bo_update_suppliers(evaluations, was_c)
        return evaluations | self.browse([e.id for e in existing.values()])

    def _bo_line_vals(self, sequence, line):
        vals = {key: value for key, value in line.items() if key not in DOCUMENT_FIELDS}
        vals["sequence"] = sequence
        for fname in DOCUMENT_FIELDS:
            if line.get(fname):
                vals[fname] = [fields.Command.set(line[fname])]
        return vals

    def _bo_changes(self, evaluation, vals, line_vals):
        if (
            evaluation.score != vals["score"]
            or evaluation.evaluation_class != vals["evaluation_class"]
        ):
            return True
        old = [(line.criterion, line.value, line.figure) for line in evaluation.line_ids]
        new = [(v["criterion"], v.get("value", 0.0), v.get("figure", False)) for v in line_vals]
        return old != new

    # The ORM creates and updates records by chunks of a hundred: the number
    # of queries would grow with the suppliers. New evaluations, their lines
    # and the suppliers' figures are written with one statement each instead.

    def _bo_insert(self, model, vals_list, key):
        """Insert ``vals_list`` (column values) into ``model``'s table in one
        statement; returns {tuple of the ``key`` columns: new id}."""
        Model = self.env[model]
        now = fields.Datetime.now()
        rows = [
            {
                **vals,
                "create_uid": self.env.uid,
                "write_uid": self.env.uid,
                "create_date": now,
                "write_date": now,
            }
            for vals in vals_list
        ]
        columns = sorted(set().union(*rows))
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (%(columns)s)
                SELECT %(columns)s FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(%(types)s)
                RETURNING id, %(key)s
                """,
                table=SQL.identifier(Model._table),
                columns=SQL(", ").join(SQL.identifier(column) for column in columns),
                rows=json.dumps(rows, default=str),
                types=SQL(", ").join(
                    SQL("%s %s", SQL.identifier(column), SQL(Model._fields[column].column_type[1]))
                    for column in columns
                ),
                key=SQL(", ").join(SQL.identifier(column) for column in key),
            )
        )
        return {tuple(row[1:]): row[0] for row in self.env.cr.fetchall()}

    def _bo_insert_evaluations(self, to_create):
        if not to_create:
            return self.browse()
        evaluation_ids = self._bo_insert(
            self._name, [vals for vals, _lines in to_create.values()], ["partner_id"]
        )
        Line = self.env["bo.supplier.evaluation.line"]
        lines, documents = [], []
        for partner_id, (_vals, line_vals) in to_create.items():
            for vals in line_vals:
                line = {k: v for k, v in vals.items() if k not in DOCUMENT_FIELDS}
                line["evaluation_id"] = evaluation_ids[(partner_id,)]
                lines.append(line)
                documents.append(
                    {fname: vals[fname][0][2] for fname in DOCUMENT_FIELDS if fname in vals}
                )
        line_ids = self._bo_insert(Line._name, lines, ["evaluation_id", "criterion"])
        for fname in DOCUMENT_FIELDS:
            field = Line._fields[fname]
            pairs = [
                (line_ids[(line["evaluation_id"], line["criterion"])], document_id)
                for line, docs in zip(lines, documents, strict=True)
                for document_id in docs.get(fname, [])
            ]
            if pairs:
                self.env.cr.execute(
                    SQL(
                        "INSERT INTO %s (%s, %s) SELECT unnest(%s::int[]), unnest(%s::int[])",
                        SQL.identifier(field.relation),
                        SQL.identifier(field.column1),
                        SQL.identifier(field.column2),
                        [pair[0] for pair in pairs],
                        [pair[1] for pair in pairs],
                    )
                )
        self.env["res.partner"].invalidate_model(["bo_evaluation_ids"])
        return self.browse(sorted(evaluation_ids.values()))

    def _bo_update_suppliers(self, evaluations, was_c):
        """Copy the score and class of each supplier's latest evaluation in the
        company onto the supplier (company-dependent figures), and put class C
        suppliers to review. One computation covers one company.

        Only evaluations of the company's own period (month or quarter) make
        the class: an evaluation over another period chosen in the wizard is
        for information, so nobody lifts a supplier out of class C by
        evaluating a few good days."""
        company = evaluations.company_id
        company.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id) partner_id, id
                  FROM bo_supplier_evaluation
                 WHERE partner_id IN %s AND company_id = %s AND period_type = %s
              ORDER BY partner_id, date_to DESC, computed_date DESC, id DESC
                """,
                tuple(set(evaluations.partner_id.ids)),
                company.id,
                company.bo_evaluation_period,
            )
        )
        latest = self.browse([row[1] for row in self.env.cr.fetchall()]) & evaluations
        if not latest:
            return
        # The evaluations are the trail of the class: no tracking message per
        # supplier, and one statement for all of them. The figures are stored
        # as Odoo stores company-dependent values: {company id: value}.
        key = str(company.id)
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET bo_evaluation_score = COALESCE(p.bo_evaluation_score, '{}'::jsonb)
                           || jsonb_build_object(%(key)s::text, e.score),
                       bo_evaluation_class = COALESCE(p.bo_evaluation_class, '{}'::jsonb)
                           || jsonb_build_object(%(key)s::text, e.evaluation_class),
                       write_date = now() AT TIME ZONE 'UTC',
                       write_uid = %(uid)s
                  FROM bo_supplier_evaluation e
                 WHERE e.id IN %(ids)s AND p.id = e.partner_id
                """,
                key=key,
                uid=self.env.uid,
                ids=tuple(latest.ids),
            )
        )
        partners = latest.partner_id
        fnames = ["bo_evaluation_score", "bo_evaluation_class", "write_date", "write_uid"]
        partners.invalidate_recordset(fnames)
        partners.modified(fnames[:2])
        new_c = latest.filtered(
            lambda e: e.evaluation_class == "c" and e.partner_id.id not in was_c
        )
        if new_c:
            self._bo_review_class_c(new_c)

    def _bo_review_class_c(self, evaluations):
        """A class C result puts the supplier to review: qualified suppliers go
        back under evaluation, and the buyer (or the Back Office escalation
        manager) gets an activity."""
        by_period = {}
        for evaluation in evaluations:
            by_period.setdefault(evaluation._period_label(), self.browse())
            by_period[evaluation._period_label()] |= evaluation
        for period, period_evaluations in by_period.items():
            to_review = period_evaluations.partner_id.filtered(
                lambda p: p.bo_qualification_state in REVIEWED_STATES
            )
            if to_review:
                to_review._bo_set_qualification(
                    "under_evaluation",
                    self.env._("Class C in the supplier evaluation of %(period)s.", period=period),
                )
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id("res.partner")
        activities = []
        for evaluation in evaluations:
            partner = evaluation.partner_id
            user = (
                partner.buyer_id
                if partner.buyer_id.active and not partner.buyer_id.share
                else False
            )
            user = user or evaluation.company_id._bo_escalation_user()
            if not user:
                continue
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "user_id": user.id,
                    "summary": self.env._("Review supplier: class C"),
                    "note": self.env._(
                        "%(supplier)s scored %(score)s in %(period)s (class C). Review the "
                        "supplier and its qualification.",
                        supplier=partner.display_name,
                        score=evaluation.score,
                        period=evaluation._period_label(),
                    ),
                    "date_deadline": fields.Date.context_today(self),
                }
            )
        if activities:
            # no email per activity: the assignees find them in their activities
            self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
                activities
            )
