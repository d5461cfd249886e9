"""Odoo's partner merge wizard, for suppliers.

The wizard moves everything that points to the merged partners onto the
survivor in SQL (orders, bills, qualification history, evaluations) and
copies field values onto it. A merge declares the records one party: a block
on any of them (suspended, blocked, class C where the company blocks such
orders) becomes the survivor's, with a note in its chatter, so that the
orders of a blocked supplier are not confirmed as a clean one's. The
survivor's own qualification and class are never overwritten by the values
the wizard copies: only the qualification and the evaluation write them.
"""

from odoo import api, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.res_partner import EVALUATION_FIELDS, QUALIFICATION_FIELDS

STANDING_FIELDS = QUALIFICATION_FIELDS + EVALUATION_FIELDS


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids).exists()
        if len(partners) < 2:
            return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        self._bo_check_evaluations_kept(partners)
        # read before the merge: the merged records are gone afterwards
        before = [
            (entity.id, entity.display_name, entity._bo_supplier_blocks())
            for entity in partners.commercial_partner_id
        ]
        res = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        survivor = partners.exists()
        if len(survivor) != 1:
            return res
        survivor_entity = survivor.commercial_partner_id
        held = survivor_entity._bo_supplier_blocks()
        for entity_id, name, blocks in before:
            if entity_id == survivor_entity.id:
                continue
            missing = survivor_entity._bo_blocks_missing(blocks, held)
            if missing:
                survivor_entity._bo_take_blocks(missing, name)
                held = survivor_entity._bo_supplier_blocks()
        return res

    @api.model
    def _update_values(self, src_partners, dst_partner):
        """The wizard copies every field of the merged partners onto the
        survivor; the qualification and the class are kept as they were
        (``_merge`` then adds the blocks of the merged partners)."""
        kept = {fname: dst_partner._fields[fname] for fname in STANDING_FIELDS}
        kept = {
            fname: field.convert_to_write(dst_partner[fname], dst_partner)
            for fname, field in kept.items()
        }
        granted = bo_guard.grant(dst_partner, *STANDING_FIELDS)
        res = super()._update_values(src_partners, granted)
        changed = {
            fname: value
            for fname, value in kept.items()
            if dst_partner._fields[fname].convert_to_write(dst_partner[fname], dst_partner) != value
        }
        if changed:
            granted.write(changed)
        return res

    @api.model
    def _bo_check_evaluations_kept(self, partners):
        """Refuse a merge that would delete supplier evaluations: the wizard
        deletes the rows it cannot move (two evaluations of the same period
        and company), and evaluations are kept as evidence."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT e.company_id, e.date_from, e.date_to
                  FROM bo_supplier_evaluation e
                 WHERE e.partner_id IN %(ids)s
              GROUP BY e.company_id, e.date_from, e.date_to
                HAVING count(*) > 1
                 LIMIT 1
                """,
                ids=tuple(partners.ids),
            )
        )
        clash = self.env.cr.fetchone()
        if clash:
            raise UserError(
                self.env._(
                    "%(partners)s each have a supplier evaluation for %(start)s - %(end)s: "
                    "merging them would delete one of them, and evaluations are kept as "
                    "evidence.",
                    partners=", ".join(partners.mapped("display_name")),
                    start=clash[1],
                    end=clash[2],
                )
            )
