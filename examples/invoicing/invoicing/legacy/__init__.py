"""The old billing code (2014). Being replaced by invoicing.billing: do not add importers."""
