"""Output formats for lint reports: text, json, sarif, github, markdown."""
