"""Widgets of the student UI, one module per domain: meters, card, advisors, news, debrief."""
