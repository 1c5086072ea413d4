"""Physique monitoring: national scoring standards as data, test stations and sessions, results,
personal records, exercise prescriptions and figures per division (issue 6)."""
