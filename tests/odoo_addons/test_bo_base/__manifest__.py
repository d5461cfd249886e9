{
    "name": "Back Office Base Tests",
    "summary": "Test-only models for the bo_base mixins and the guard (test databases only)",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "Back Office Suite",
    "website": "https://github.com/backoffice-suite/backoffice",
    "license": "LGPL-3",
    "depends": ["bo_base"],
    "data": ["security/ir.model.access.csv"],
    "installable": True,
}
