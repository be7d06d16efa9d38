"""Evaluation: pure metrics (``metrics``) and the report writer (``report``)."""
