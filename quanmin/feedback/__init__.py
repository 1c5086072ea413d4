"""Residents' reports and complaints (投诉举报) with response and resolution deadlines counted in
working days, escalation when overdue, and the resident's rating (issue 5)."""
