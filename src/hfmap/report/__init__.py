"""Reporters: turn findings, plans and results into text, JSON, GitHub annotations or Markdown."""
