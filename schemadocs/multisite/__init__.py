"""Several databases in one site: each database's pages under `<name>/`, a home page comparing
them, one search over all of them (`build.py`, `home.py`, `prefix.py`, `search_labels.py`), and
what the commands share to work on one database or each in turn (`commands.py`)."""
