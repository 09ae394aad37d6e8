"""`schemadocs mcp` end to end: the MCP SDK's own client calls every tool of a real server
subprocess, on the demo (from a snapshot), on a corpus entry (from a live database) and
over streamable HTTP (from a built site); answers hold real content, stay within
--max-chars and say what they left out; unknown names get suggestions."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schemadocs import snapshot
from schemadocs.model import Catalog
from tests.api.mcp_client import over_http, over_stdio, text

TOOLS = {"search", "describe", "relationships", "lineage", "impact", "health", "sql_context"}


@pytest.fixture(scope="module")
def demo_snapshot(demo_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mcp") / "demo.json"
    snapshot.save(demo_catalog, path)
    return path


def test_every_tool_on_the_demo(demo_snapshot: Path) -> None:
    tools, (found, invoices, rels, up, down, hit, health_all, health_one, ctx, unknown, typo_col) = over_stdio(
        ["--snapshot", str(demo_snapshot)], [
            ("search", {"query": "invoice status"}),
            ("describe", {"name": "billing.invoices"}),
            ("relationships", {"name": "billing.invoices", "depth": 2}),
            ("lineage", {"name": "analytics.invoice_balances.total", "direction": "upstream"}),
            ("lineage", {"name": "app.orders.status", "direction": "downstream"}),
            ("impact", {"name": "app.orders.status"}),
            ("health", {}),
            ("health", {"name": "billing.mark_invoice_paid"}),
            ("sql_context", {"tables": ["billing.payments", "app.users"]}),
            ("describe", {"name": "billing.invoicez"}),
            ("impact", {"name": "app.orders.statuz"}),
        ])
    assert set(tools) == TOOLS
    results = [r.structured_content["result"] for r in (found, invoices, rels, up, down, hit, health_all, health_one, ctx)]
    assert not any(r.is_error for r in (found, invoices, rels, up, down, hit, health_all, health_one, ctx))

    names = [r["qualified_name"] for r in results[0]["results"]]
    assert names[0] == "billing.invoice_status" and "billing.invoices" in names
    assert "`billing.invoice_status`" in text(found)

    described = results[1]
    assert described["kind"] == "relation" and [c["name"] for c in described["columns"]][:3] == ["id", "number", "tenant_id"]
    assert described["links"] == {"api": "api/relations/billing/invoices.json", "html": "schemas/billing/invoices.html"}
    assert "| `status` | `billing.invoice_status` | no |" in text(invoices)
    assert "Monthly invoices issued to tenants." in text(invoices)

    outgoing = {(e["to"]["qualified_name"], e["constraint"]) for e in results[2]["outgoing"]}
    assert outgoing == {("app.tenants", "invoices_tenant_id_fkey"), ("billing.subscriptions", "invoices_subscription_id_fkey")}
    assert {e["from"]["qualified_name"] for e in results[2]["incoming"]} == {"billing.payments", "billing.events"}
    assert results[2]["further"], "depth 2 reaches the tenants' other tables"

    assert "billing.invoices.total" in results[3]["value"]
    assert "analytics.order_totals.status" in results[4]["value"]
    assert "analytics.tenant_monthly_revenue" in results[4]["filter"]
    assert "analytics.tenant_monthly_revenue" not in results[4]["value"], "value and filter kept apart"
    assert "(filter)" in text(down)

    assert results[5]["views_direct"] == ["analytics.order_totals"]
    assert "analytics.tenant_scorecard" in results[5]["views_transitive"]
    assert results[5]["constraints"] == ["orders_status_check"]

    assert results[6]["total"] == sum(results[6]["by_level"].values()) > 0
    assert results[6]["by_level"]["error"] >= 1
    assert {f["rule"] for f in results[7]["findings"]} >= {"security-definer-search-path"}

    sql = results[8]["sql"]
    assert "CREATE TABLE billing.payments (" in sql and "CREATE TABLE app.users (" in sql
    assert results[8]["joined_through"] == ["billing.invoices", "app.tenants"]
    assert "-- billing.payments.invoice_id = billing.invoices.id" in sql
    assert text(ctx).startswith("```sql")

    assert unknown.is_error and "did you mean" in text(unknown)
    assert "billing.invoices" in unknown.structured_content["suggestions"]
    assert typo_col.is_error and "app.orders.status" in typo_col.structured_content["suggestions"]


def test_answers_stay_within_max_chars_and_say_what_they_left_out(demo_snapshot: Path) -> None:
    limit = 1500
    _, results = over_stdio(["--snapshot", str(demo_snapshot), "--max-chars", str(limit)], [
        ("describe", {"name": "billing.invoices"}),
        ("health", {}),
        ("sql_context", {"tables": ["billing.payments", "app.users", "app.orders"]}),
        ("sql_context", {"tables": ["billing.payments"], "max_chars": 800}),
        ("search", {"query": "a", "limit": 200}),
    ])
    for result in results:
        assert not result.is_error
        assert len(text(result)) <= limit
        assert len(json.dumps(result.structured_content["result"], ensure_ascii=False, separators=(",", ":"))) <= limit
    described, health, ctx, small, found = results
    assert any(n.startswith("columns: ") for n in described.structured_content["left_out"])
    assert "Left out to stay within max_chars: " in text(described)
    assert ctx.structured_content["result"]["left_out"], "three tables' full DDL does not fit 1500 characters"
    assert "left out" in text(ctx).lower()
    assert len(text(small)) <= 800
    assert found.structured_content["left_out"] or found.structured_content["result"]["left_out"]


def test_a_corpus_entry_over_a_live_database(corpus_db) -> None:  # type: ignore[no-untyped-def]
    loaded = corpus_db("chinook")
    tools, (found, described, rels, up, hit, health, ctx) = over_stdio(["--dsn", loaded.dsn], [
        ("search", {"query": "invoice line"}),
        ("describe", {"name": "invoice_line"}),
        ("relationships", {"name": "invoice_line"}),
        ("lineage", {"name": "invoice_line", "direction": "downstream"}),
        ("impact", {"name": "track.track_id"}),
        ("health", {}),
        ("sql_context", {"tables": ["invoice_line", "customer"]}),
    ])
    assert set(tools) == TOOLS
    assert not any(r.is_error for r in (found, described, rels, up, hit, health, ctx)), [text(r) for r in (found, described)]
    assert found.structured_content["result"]["results"][0]["name"] == "invoice_line"
    columns = [c["name"] for c in described.structured_content["result"]["columns"]]
    assert {"invoice_line_id", "invoice_id", "track_id"} <= set(columns)
    assert {e["to"]["qualified_name"] for e in rels.structured_content["result"]["outgoing"]} == {"public.invoice", "public.track"}
    assert any("invoice_line" in fk for fk in hit.structured_content["result"]["foreign_keys_referencing"])
    assert health.structured_content["result"]["total"] > 0
    context = ctx.structured_content["result"]
    assert context["joined_through"] == ["public.invoice"], "invoice_line → invoice → customer"
    assert "public.invoice.customer_id = public.customer.customer_id" in context["sql"]


def test_streamable_http_from_a_built_site(demo_site: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "schemadocs", "mcp", "--site", str(demo_site),
                               "--http", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start listening"
                time.sleep(0.2)
        tools, (described, ctx) = over_http(f"http://127.0.0.1:{port}/mcp", [
            ("describe", {"name": "app.orders"}), ("sql_context", {"tables": ["app.order_items", "app.products"]})])
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert set(tools) == TOOLS
    site_file = json.loads((demo_site / "api/relations/app/orders.json").read_text(encoding="utf-8"))
    assert described.structured_content["result"] == site_file, "the MCP answer and the JSON API never disagree"
    assert ctx.structured_content["result"]["joins"] == [{
        "from": "app.order_items", "to": "app.products", "constraint": "order_items_product_id_fkey",
        "on": "app.order_items.product_id = app.products.id"}]


def test_bad_arguments_are_one_line_errors(tmp_path: Path, demo_snapshot: Path) -> None:
    for args, expected in ((["--site", str(tmp_path)], "holds no catalog.json"),
                           (["--snapshot", str(demo_snapshot), "--http", "0.0.0.0:8765"], "only listens on"),
                           (["--snapshot", str(demo_snapshot), "--http", "nonsense"], "is not HOST:PORT"),
                           (["--snapshot", str(demo_snapshot), "--site", str(tmp_path)], "pass one of")):
        run = subprocess.run([sys.executable, "-m", "schemadocs", "mcp", *args], capture_output=True, text=True,
                             stdin=subprocess.DEVNULL, timeout=60)
        assert run.returncode == 2, run.stderr
        assert run.stderr.startswith("error: ") and expected in run.stderr and run.stderr.count("\n") == 1, run.stderr
