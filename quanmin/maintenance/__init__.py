"""Equipment inspection and maintenance: inspection plans and rounds, defects, maintenance units and
work orders (issue 5). The equipment register itself lives in facilities (facilities.Equipment)."""
