import importlib
import inspect

from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestGuardCoverage(TransactionCase):
    def test_every_guarded_model_is_attacked_by_the_kit(self):
        """A model that declares guarded fields gets the attack kit: a test
        class of its addon runs it (GuardAttackKit with its guarded_model)."""
        modules = self.env["ir.module.module"].search(
            [
                ("state", "=", "installed"),
                "|",
                ("name", "=like", "bo\\_%"),
                ("name", "=like", "test\\_bo\\_%"),
            ]
        )
        attacked = set()
        for module in modules:
            try:
                tests = importlib.import_module(f"odoo.addons.{module.name}.tests")
            except ModuleNotFoundError:
                continue
            for submodule in vars(tests).values():
                if not inspect.ismodule(submodule):
                    continue
                for value in vars(submodule).values():
                    if (
                        inspect.isclass(value)
                        and issubclass(value, GuardAttackKit)
                        and value.guarded_model
                    ):
                        attacked.add(value.guarded_model)
        guarded = {name for name in self.env.registry if self.env[name]._bo_guarded_fields()}
        guarded = {name for name in guarded if not self.env[name]._abstract}
        self.assertFalse(
            guarded - attacked,
            "guarded models that no GuardAttackKit test attacks",
        )
