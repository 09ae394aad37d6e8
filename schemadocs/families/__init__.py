"""Schema families: schemas with the same structure (one per tenant), documented once.

`settings.py` reads the project file's `families:` section, `structure.py` writes each schema's
structure with its own name normalised out, `detect.py` groups schemas into families and
near-members, `collapse.py` keeps one representative per family for the pages, `lint.py`,
`diff.py` and `lineage.py` carry families into those commands.
"""
