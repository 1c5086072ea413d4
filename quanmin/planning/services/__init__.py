"""Every write of the planning app, one module per subject (DESIGN.md: one service layer)."""
