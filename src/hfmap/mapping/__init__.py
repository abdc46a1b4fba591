"""The domain as typed values: a mapping's key, records and live state, plans, apply and verify reports.

Everything else in hfmap depends on this package and it depends on nothing of hfmap, so each type has one
home and one JSON form (`to_json()`, `from_json()`): the commands print it and the Action reads it back.
"""
