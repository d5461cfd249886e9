{
    "name": "Back Office Base Tests",
    "summary": "Test-only model for the Back Office deadline mixin",
    "description": "Installed by the test runs only: never in production.",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "Back Office Suite",
    "website": "https://github.com/backoffice-suite/backoffice",
    "license": "LGPL-3",
    "depends": ["bo_base"],
    "data": ["security/ir.model.access.csv"],
    "installable": True,
}
