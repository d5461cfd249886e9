"""Selections shared by the claims and their service levels."""

CLAIM_TYPES = [
    ("information", "Information Request"),
    ("complaint", "Complaint"),
    ("return", "Return"),
    ("quality", "Quality Non-Conformity"),
    ("delivery", "Delivery Problem"),
    ("invoice", "Invoice Dispute"),
]
CLAIM_PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]
ROOT_CAUSES = [
    ("product_defect", "Product Defect"),
    ("transport", "Transport Damage"),
    ("picking", "Wrong Item or Quantity Shipped"),
    ("late_delivery", "Late Delivery"),
    ("documents", "Documents or Invoicing Error"),
    ("customer", "Customer Misuse or Error"),
    ("other", "Other"),
]
