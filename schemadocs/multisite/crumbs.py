"""The database level in a several-database site's breadcrumbs.

In: one database's pages, already under its folder (`<name>/...`: docs-dir path → Markdown)
and the database's name (a slug: safe in HTML as it is). Out: the same pages whose breadcrumbs
start `Databases › <name> › ...`: the one-database renderer's first crumb, `Home` (that
database's home page), becomes the database's name after a link to the site's home; the
database's own home page, which has no breadcrumbs, gets `Databases › <name>` under its title.
Pages without breadcrumbs (the shared assets, files that are not pages) are left as they are.
"""

from __future__ import annotations

import re

from schemadocs.render.slugs import HOME_PAGE

CRUMB = re.compile(r'(<p class="sd-breadcrumbs"[^>]*>)<a href="([^"]*)">Home</a>')
HEADING = re.compile(r"^# .*\n", re.M)  # the home page's title
TOP = "Databases"


def with_database_crumbs(files: dict[str, str], name: str) -> dict[str, str]:
    """`files` with the database level in their breadcrumbs (see the module's docstring)."""
    home = f"{name}/{HOME_PAGE}"
    crumbed = {}
    for path, text in files.items():
        if path == home:
            heading = HEADING.search(text)
            at = heading.end() if heading else 0
            text = (f'{text[:at]}\n<p class="sd-breadcrumbs" data-search-exclude><a href="../index.html">{TOP}</a>'
                    f" › {name}</p>\n{text[at:]}")
        elif path.endswith(".md") and path.startswith(f"{name}/"):
            text = CRUMB.sub(lambda m: f'{m.group(1)}<a href="../{m.group(2)}">{TOP}</a> › '
                                       f'<a href="{m.group(2)}">{name}</a>', text, count=1)
        crumbed[path] = text
    return crumbed
