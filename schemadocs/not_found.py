"""The site's 404 page, styled wherever the site is served, and the checked `--site-url`.

In: the site URL a build was given (`build --site-url`, else `site_url` in mkdocs.yml), and
the built site. Out: `check_site_url`, the URL as MkDocs wants it (or a `ConfigError` saying
what to pass); and the MkDocs plugin `NotFoundPage` (build.py adds it): with a site URL,
MkDocs already links the 404 page's assets under its path; without one it links them from the
domain root (`/assets/...`), which loses the styling when the site is served under a sub-path
(a GitHub Pages project site, say). The plugin then makes those links relative to a `<base>`
that a small script at the top of the page sets to the site's root, found in the address: the
longest tail of the missing page's folder that is a folder of the site (listed in the page),
else what comes before one of the site's top folders, else the address's first folder (a
GitHub Pages project site) or the domain root. A site served deeper than one folder should
be built with its site URL.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.plugins import BasePlugin

from schemadocs.errors import ConfigError
from schemadocs.render.escape import script_json

NAME = "schemadocs/not-found"
PAGE = "404.html"
MARK = "data-sd-root"  # on the page's root-finding script: the page was made portable already
MAX_FOLDERS = 5000  # folders listed in the page; a larger site still finds its root by its top folders
_ROOT_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)')
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)
_BUNDLE = re.compile(r'<script src="assets/javascripts/bundle\.')


def check_site_url(url: str) -> str:
    """`url` with a trailing slash, when it is an absolute http(s) URL without query or fragment."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"--site-url {url!r} is not the address the site is served at; pass an absolute "
                          "http(s) URL such as https://example.org/docs/")
    return url.strip() if url.strip().endswith("/") else url.strip() + "/"


class NotFoundPage(BasePlugin):  # type: ignore[type-arg]
    def on_post_build(self, *, config: Any) -> None:
        if not config.get("site_url"):
            portable(Path(config["site_dir"]))


def portable(site: Path) -> None:
    """Rewrite `site`/404.html so that it finds the site's root from its own address."""
    page = site / PAGE
    if not page.is_file():
        return
    html = page.read_text(encoding="utf-8")
    charset = _CHARSET.search(html)
    if MARK in html or charset is None:
        return
    folders = sorted({p.parent.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"."})[:MAX_FOLDERS]
    html = _ROOT_LINK.sub(r"\1", html)
    html = _CONFIG.sub(lambda m: m.group(1) + _relative_config(m.group(2)) + m.group(3), html, count=1)
    html = html[:charset.end()] + _finder(folders) + html[charset.end():]  # before any link, after the charset
    html = html.replace('new URL("/",location)', 'new URL(window.sdRoot||"/",location)', 1)  # its storage scope
    html = _BUNDLE.sub(lambda m: _ROOTED_CONFIG + m.group(0), html, count=1)
    page.write_text(html, encoding="utf-8")


def _relative_config(text: str) -> str:
    """mkdocs-material's page config with its root-absolute paths made relative to the root."""
    try:
        config = json.loads(text)
    except ValueError:
        return text
    for key in ("base", "search"):
        if isinstance(config.get(key), str) and config[key].startswith("/"):
            config[key] = config[key][1:]
    return script_json(json.dumps(config, separators=(",", ":")))


def _finder(folders: list[str]) -> str:
    known = script_json(json.dumps(folders, separators=(",", ":")))
    return (f"<script {MARK}>(function(){{var known={known},top={{}};"
            "known.forEach(function(f){top[f.split('/')[0]]=1});"
            "var segs=location.pathname.replace(/[^\\/]*$/,'').split('/').filter(Boolean),n=segs.length,at=n,k;"
            "for(k=0;k<n;k++){if(known.indexOf(segs.slice(k).join('/'))>=0){at=k;break}}"
            "if(at===n){for(k=0;k<n;k++){if(top[segs[k]]){at=k;break}}}if(at===n)at=Math.min(n,1);"
            "var root='/'+segs.slice(0,at).join('/')+(at?'/':'');window.sdRoot=root;"
            "var b=document.createElement('base');b.href=root;document.head.appendChild(b)})()</script>")


# put the root into mkdocs-material's page config before its bundle reads it
_ROOTED_CONFIG = ("<script>(function(){var c=document.getElementById('__config');if(!c||!window.sdRoot)return;"
                  "var j=JSON.parse(c.textContent);j.base=window.sdRoot+(j.base==='.'?'':j.base||'');"
                  "if(j.search)j.search=window.sdRoot+j.search;c.textContent=JSON.stringify(j)})()</script>")
