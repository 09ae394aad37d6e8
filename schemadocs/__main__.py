"""`python -m schemadocs` runs the CLI."""

from schemadocs.cli import main

main()
